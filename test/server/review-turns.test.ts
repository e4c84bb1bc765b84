/**
 * Reviews in turns (src/server/review-turns.ts): requests that arrive together are reviewed
 * together and each still gets its own answer and its own decision line, in arrival order.
 */
import { connect } from 'node:tls';
import t from 'tap';
import { buildApp } from '../../src/server/app.js';
import { createReviewTurns } from '../../src/server/review-turns.js';
import { loadServingState } from '../../src/server/reload.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { createLogSink, FIXTURE_POLICIES, loadReview, SERVICE_NAME, startTestWebhook } from './helpers.js';

const state = loadServingState({ configFile: null, policiesDir: FIXTURE_POLICIES });

function build(metrics: Metrics = createMetrics({ defaultMetrics: false })) {
  const sink = createLogSink();
  const app = buildApp({ logger: sink.logger, metrics, getState: () => state, bodyLimit: 64 * 1024 });
  return { app, sink };
}

/** The review with another uid, so each answer can be told from the others. */
function withUid(name: string, uid: string): Record<string, unknown> {
  const review = loadReview(name);
  return { ...review, request: { ...review.request, uid } };
}

const post = (app: ReturnType<typeof build>['app'], payload: unknown) =>
  app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

t.test('items added in one turn run together, in order; items added meanwhile wait for the next turn', async (t) => {
  const runs: number[][] = [];
  const turns = createReviewTurns<number>((items) => {
    runs.push([...items]);
    if (items.includes(2)) turns.add(4);
  });
  turns.add(1);
  turns.add(2);
  turns.add(3);
  t.same(runs, [], 'nothing runs before the turn ends');
  await new Promise((resolve) => setImmediate(resolve));
  t.same(runs, [[1, 2, 3]]);
  await new Promise((resolve) => setImmediate(resolve));
  t.same(runs, [[1, 2, 3], [4]]);
});

t.test('reviews sent together: each answered with its own uid and verdict, logged in arrival order', async (t) => {
  const { app, sink } = build();
  const names = ['deployment-deny.json', 'deployment-allow.json', 'deployment-deny.json', 'pod-warn.json'];
  const replies = await Promise.all(names.map((name, i) => post(app, withUid(name, `uid-${i}`))));
  t.same(
    replies.map((r) => [r.statusCode, r.json().response.uid, r.json().response.allowed]),
    [
      [200, 'uid-0', false],
      [200, 'uid-1', true],
      [200, 'uid-2', false],
      [200, 'uid-3', true],
    ],
  );
  t.same(
    sink.lines.filter((l) => l.msg === 'admission reviewed').map((l) => l.uid),
    ['uid-0', 'uid-1', 'uid-2', 'uid-3'],
  );
});

t.test('a failure while recording one request is logged; the others of its turn are still answered and recorded', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const countRequest = metrics.countRequest.bind(metrics);
  let calls = 0;
  metrics.countRequest = (...args) => {
    calls += 1;
    if (calls === 1) throw new Error('metrics broke');
    countRequest(...args);
  };
  const { app, sink } = build(metrics);
  const replies = await Promise.all([0, 1].map((i) => post(app, withUid('deployment-allow.json', `uid-${i}`))));
  t.same(replies.map((r) => [r.statusCode, r.json().response.uid]), [
    [200, 'uid-0'],
    [200, 'uid-1'],
  ]);
  const failed = sink.lines.find((l) => l.msg === 'request failed');
  t.equal(failed?.err?.message, 'metrics broke');
  t.same(sink.lines.filter((l) => l.msg === 'admission reviewed').map((l) => l.uid), ['uid-1']);
});

t.test('over TLS, a client that half-closes right after its request still gets the answer', async (t) => {
  const webhook = await startTestWebhook({ dir: t.testdir() });
  t.teardown(() => webhook.close());
  const body = JSON.stringify(withUid('deployment-deny.json', 'uid-half-closed'));
  const socket = connect({ host: '127.0.0.1', port: webhook.port, ca: webhook.pki.caPem, servername: SERVICE_NAME });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  let response = '';
  socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  // Request and FIN in one go: the answer comes in a later turn than the request's last byte.
  socket.end(`POST /validate HTTP/1.1\r\nHost: ${SERVICE_NAME}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  await closed;
  t.match(response, /^HTTP\/1\.1 200 OK/);
  const json = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { response: { uid: string; allowed: boolean } };
  t.same([json.response.uid, json.response.allowed], ['uid-half-closed', false]);
});
