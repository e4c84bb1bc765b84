// Finding 5 (bodies): depth and value count are checked on the bytes before the parse; bodies in
// flight have a byte budget; a normal review still passes and prototype keys are still removed.
import t from 'tap';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scanJsonBody, surveyJsonBody } from '../../src/admission/body-scan.js';
import { buildApp } from '../../src/server/app.js';
import { DEFAULT_LIMITS } from '../../src/server/limits.js';
import { loadServingState } from '../../src/server/reload.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLogSink, FIXTURE_POLICIES, loadReview } from '../server/helpers.js';

const state = loadServingState({ configFile: null, policiesDir: FIXTURE_POLICIES });
const MiB = 1024 * 1024;

function build(body = DEFAULT_LIMITS.body) {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = buildApp({ logger: createLogSink().logger, metrics, getState: () => state, bodyLimit: 3 * MiB, body });
  return { app, metrics };
}

/** A review whose object carries `payload` under an annotation-free field the API server would pass through. */
function reviewWith(field: string): string {
  const review = JSON.stringify(loadReview('deployment-allow.json'));
  return review.replace('"spec":{', `"spec":{"x-extra":${field},`);
}

t.test('a 20,000-deep body is refused before parsing with 400 too-deep (it was answered fail-open)', async (t) => {
  const { app, metrics } = build();
  const body = reviewWith(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
  const reply = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: body });
  t.equal(reply.statusCode, 400);
  t.same(reply.json(), { error: 'ERR_INPUT', reason: 'too-deep', message: 'the body nests objects and arrays deeper than 100 levels (--max-body-depth)' });
  t.match(await metrics.registry.metrics(), /vllm_guard_admission_errors_total\{reason="too-deep"\} 1/);
  await app.close();
});

t.test('a near-3 MB body of empty arrays is refused with 400 too-many-values', async (t) => {
  const { app } = build();
  const body = reviewWith(`[${Array.from({ length: 900_000 }, () => '[]').join(',')}]`);
  t.ok(body.length < 3 * MiB, 'under the byte limit');
  const reply = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: body });
  t.equal(reply.statusCode, 400);
  t.equal(reply.json().reason, 'too-many-values');
  await app.close();
});

t.test('brackets and commas inside strings do not count; escapes are followed', async (t) => {
  const limits = { maxDepth: 3, maxValues: 10 };
  t.equal(scanJsonBody(Buffer.from(JSON.stringify({ a: '[[[[[[,,,,,,,,,,,,,,"\\' })), limits), null);
  t.equal(scanJsonBody(Buffer.from('{"a":"\\"[[[[[["}'), limits), null);
  t.equal(scanJsonBody(Buffer.from('[[[[1]]]]'), limits)?.reason, 'too-deep');
  t.equal(scanJsonBody(Buffer.from(`[${'1,'.repeat(20)}1]`), limits)?.reason, 'too-many-values');
});

t.test('normal reviews still pass, and prototype keys are still dropped', async (t) => {
  const { app } = build();
  const reply = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(loadReview('deployment-deny.json')) });
  t.equal(reply.statusCode, 200);
  t.equal(reply.json().response.allowed, false);
  const poisoned = reviewWith('{"__proto__":{"polluted":true}}');
  const second = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: poisoned });
  t.equal(second.statusCode, 200);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
  const empty = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: '' });
  t.equal(empty.json().reason, 'empty-body', 'the empty-body answer is unchanged');
  const broken = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
  t.equal(broken.json().reason, 'invalid-json', 'the invalid-JSON answer is unchanged');
  await app.close();
});

t.test('prototype keys are dropped in every spelling, whether or not the body is parsed without the filter', async (t) => {
  const { app } = build();
  // A route of the test's own that answers the body it was handed: what every review route receives.
  app.post('/echo', (request, reply) => {
    void reply.send(request.body);
  });
  const echo = async (payload: string) => (await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload })).body;
  const spellings = ['"__proto__"', '"\\u005f_proto__"', '"__pr\\u006fto__"', '"\\u005F\\u005F\\u0070\\u0072\\u006F\\u0074\\u006F\\u005F\\u005F"'];
  for (const key of spellings) {
    t.equal(await echo(`{"spec":{"a":1,${key}:{"polluted":true},"b":"\\"x\\""}}`), '{"spec":{"a":1,"b":"\\"x\\""}}', `${key} removed`);
  }
  t.equal(await echo('{"m":{"constructor":{"prototype":{"polluted":true}},"n":1}}'), '{"m":{"n":1}}', 'constructor.prototype removed');
  t.equal(await echo('{"m":{"c\\u006fnstructor":{"prototype":{"x":1}},"n":1}}'), '{"m":{"n":1}}', 'escaped constructor removed');
  t.equal(await echo('{"constructor":"a string","__proto_x":1,"containerID":"c"}'), '{"constructor":"a string","__proto_x":1,"containerID":"c"}', 'other keys kept as they were');
  t.equal(await echo('\ufeff{"a":1}'), '{"a":1}', 'a byte-order mark is stripped as before');
  const review = JSON.stringify(loadReview('deployment-allow.json'));
  t.equal(await echo(review), review, 'a review is handed over as it was sent');
  await app.close();
});

t.test('the scan tells which bodies may hold a prototype key', async (t) => {
  const limits = { maxDepth: 100, maxValues: 100_000 };
  const survey = (text: string) => surveyJsonBody(Buffer.from(text), limits);
  t.match(survey(JSON.stringify(loadReview('deployment-allow.json'))), { prototypeKeys: false }, 'a review: none');
  t.match(survey('{"__proto__":1}'), { prototypeKeys: true });
  t.match(survey('{"a":"constructor"}'), { prototypeKeys: true }, 'a value too: the filter decides');
  t.match(survey('{"\\u005f\\u005fproto__":1}'), { prototypeKeys: true });
  t.match(survey(`{"a":"${'\\"'.repeat(40)}"}`), { prototypeKeys: false }, 'escaped strings longer than any spelling of a key');
  t.match(survey('{"namespace":"constructo","containerID":"__proto_"}'), { prototypeKeys: false });
});

t.test('bodies in flight share a byte budget: past it, 503 busy; once they finish, room again', async (t) => {
  const { app } = build({ ...DEFAULT_LIMITS.body, maxPendingBytes: MiB });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const body = JSON.stringify(loadReview('deployment-allow.json'));
  // A slow upload that announces 900 KB and sends a little: it holds its share of the budget.
  const slow = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/validate', headers: { 'content-type': 'application/json', 'content-length': String(900 * 1024) } });
  slow.on('error', () => {});
  slow.write('{"apiVersion":');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const post = (payload: string) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/validate', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  const padded = body.replace('"spec":{', `"spec":{"x-pad":"${'p'.repeat(200 * 1024)}",`);
  const busy = await post(padded);
  t.equal(busy.status, 503);
  t.equal(busy.body.reason, 'busy');
  t.match(busy.body.message, /--max-pending-body-bytes/);
  const small = await post(body);
  t.equal(small.status, 200, 'a small body still fits beside the slow one');
  slow.destroy();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const again = await post(padded);
  t.equal(again.status, 200, 'the aborted upload gave its share back');
  await app.close();
});
