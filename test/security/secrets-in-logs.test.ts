/**
 * No secret value from an object ever reaches the logs, at any level. Every admission fixture
 * plants canary values where secrets sit in real manifests (env, args, annotations); this test
 * adds more (labels, sh -c scripts, probe headers, oldObject) and bodies that fail to parse or
 * fail in the engine, then reads everything the server wrote at info, debug and trace.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { buildApp } from '../../src/server/app.js';
import { loadServingState, type ServingState } from '../../src/server/reload.js';
import { callWebhook, REPO, startChildServer, type ChildServer } from '../resilience/child-server.js';
import { readExampleReview, withUid } from '../resilience/load.js';

const FIXTURES = path.join(REPO, 'test/fixtures/admission');
const EXTRA = {
  label: 'canary-label-value-c0ffee11',
  script: 'canary-script-token-d00d2222',
  header: 'canary-probe-header-beef3333',
  old: 'canary-old-object-value-f00d4444',
  broken: 'canary-in-broken-json-aaaa5555',
  oversize: 'canary-in-oversize-body-bbbb6666',
};

function fixtureReviews(): { name: string; review: Record<string, any> }[] {
  return readdirSync(FIXTURES)
    .filter((n) => n.endsWith('.json'))
    .map((name) => ({ name, review: JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, any> }));
}

/** Every canary value the fixtures plant, plus ours. */
function canaries(): string[] {
  const found = new Set<string>(Object.values(EXTRA));
  for (const name of readdirSync(FIXTURES)) {
    for (const match of readFileSync(path.join(FIXTURES, name), 'utf8').matchAll(/canary-[a-z0-9-]+/g)) found.add(match[0]);
  }
  return [...found];
}

/** The denied example with secrets in more places, as an UPDATE whose oldObject holds one too. */
function salted(): Record<string, any> {
  const review = structuredClone(readExampleReview('deny'));
  const object = review.request.object;
  object.metadata.labels = { ...object.metadata.labels, token: EXTRA.label };
  const container = object.spec.template.spec.containers[0];
  container.command = ['sh', '-c', `export HF_TOKEN=${EXTRA.script} && exec vllm serve m --max-model-len 4096`];
  container.livenessProbe = { httpGet: { path: '/health', port: 8000, httpHeaders: [{ name: 'Authorization', value: `Bearer ${EXTRA.header}` }] } };
  const old = structuredClone(object);
  old.spec.template.spec.containers[0].env = [{ name: 'HF_TOKEN', value: EXTRA.old }];
  review.request.operation = 'UPDATE';
  review.request.oldObject = old;
  return review;
}

/** Sends what the API server sends and what an attacker or a broken client might. */
async function exercise(server: ChildServer): Promise<number> {
  const ca = server.pki.ca.certPem;
  const send = (body: unknown, opts: { path?: string; contentType?: string } = {}) => callWebhook(server.port, body, { ca, agent: false, ...opts });
  let answered = 0;
  for (const { review } of fixtureReviews()) {
    for (const route of ['/validate', '/validate/warn', '/validate/audit']) {
      if ((await send(withUid(review), { path: route })).status === 200) answered++;
    }
  }
  if ((await send(withUid(salted()))).status === 200) answered++;
  const bad = [
    await send(`{"apiVersion":"admission.k8s.io/v1","request":{"uid":"x","object":{"env":"${EXTRA.broken}"`),
    await send({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'u', object: { secret: EXTRA.broken } } }),
    await send({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { object: { secret: EXTRA.broken } } }),
    await send(JSON.stringify({ kind: 'AdmissionReview', pad: 'x'.repeat(3_200_000), secret: EXTRA.oversize })),
    await send(`secret=${EXTRA.broken}`, { contentType: 'text/plain' }),
    await send(`{"__proto__":{"polluted":"${EXTRA.broken}"},"constructor":{"prototype":{"x":"${EXTRA.broken}"}}}`),
  ];
  for (const reply of bad) if (reply.status >= 400 && reply.status < 500) answered++;
  return answered;
}

for (const level of ['info', 'debug', 'trace']) {
  t.test(`LOG_LEVEL=${level}: no secret value in any log line`, async (t) => {
    const server = await startChildServer({ dir: t.testdir(), env: { LOG_LEVEL: level } });
    t.teardown(() => server.stop('SIGKILL'));
    const answered = await exercise(server);
    t.equal(answered, fixtureReviews().length * 3 + 1 + 6, 'every review answered, every bad body refused with a 4xx');
    await server.stop('SIGTERM');
    const output = server.output();
    t.ok(server.lines.filter((l) => l.msg === 'admission reviewed').length > fixtureReviews().length, `decision lines were written (${output.length} bytes of logs)`);
    for (const canary of canaries()) t.notOk(output.includes(canary), `${canary} is not in the logs`);
  });
}

t.test('LOG_LEVEL=trace, the failure-mode path (an engine error): no secret value either', async (t) => {
  // Configs can no longer make the engine fail (patterns compile at load), so this drives the app
  // in-process with a corrupt policy set, the way test/server/app.test.ts does.
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const good = loadServingState({ configFile: null, policiesDir: null });
  const corrupt = { ...good.engine.plan, server: null as unknown as [] };
  const broken: ServingState = { ...good, engine: { ...good.engine, plan: corrupt, planWithoutRelated: corrupt } };
  const app = buildApp({ logger: createLogger({ level: 'trace', destination }), metrics: createMetrics({ defaultMetrics: false }), getState: () => broken, bodyLimit: 4 * 1024 * 1024 });
  t.teardown(() => app.close());
  for (const review of [...fixtureReviews().map((f) => f.review), salted()]) {
    await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(withUid(review)) });
  }
  t.ok(lines.some((l) => l.includes('admission review failed; answered by the failure mode')), 'the error path was taken and logged');
  const output = lines.join('\n');
  for (const canary of canaries()) t.notOk(output.includes(canary), `${canary} is not in the logs`);
});
