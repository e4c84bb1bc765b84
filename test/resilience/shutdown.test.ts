/**
 * Drill: Kubernetes sends SIGTERM while the API server keeps calling (endpoints are removed
 * at the same time, not before). Every request the webhook accepted must get its review;
 * requests it never read may fail at the transport, which the API server treats by its
 * failurePolicy. A request whose body is still arriving when the signal lands is accepted.
 * No fixed sleep decides the outcome: the slow request is known to be accepted when the server
 * answers its `Expect: 100-continue`, and the signal known to have landed when the drain is logged.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:https';
import t from 'tap';
import { SERVICE_NAME, startChildServer, waitFor, type ChildServer } from './child-server.js';
import { expectDecision, readExampleReview, startLoad, withUid } from './load.js';

/** Transport errors of requests the server never read: the connection was closed or refused. */
const NOT_ACCEPTED = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/**
 * Sends the headers and half the body now and resolves once the server has parsed the headers
 * (its 100 Continue); `finish()` sends the rest and resolves with the answer.
 */
function startSlowReview(server: ChildServer, review: Record<string, any>): Promise<{ finish(): Promise<{ status: number; body: any }> }> {
  const payload = Buffer.from(JSON.stringify(review));
  return new Promise((resolveStarted, reject) => {
    let resolveAnswer: (value: { status: number; body: any }) => void = () => undefined;
    const answer = new Promise<{ status: number; body: any }>((resolve) => {
      resolveAnswer = resolve;
    });
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: '/validate',
        method: 'POST',
        servername: SERVICE_NAME,
        ca: server.pki.ca.certPem,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), expect: '100-continue' },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8')) }));
      },
    );
    req.on('error', reject);
    req.once('continue', () => {
      req.write(payload.subarray(0, payload.length >> 1));
      resolveStarted({ finish: () => (req.end(payload.subarray(payload.length >> 1)), answer) });
    });
    req.flushHeaders();
  });
}

/** The grace period the server gives itself (src/server/shutdown.ts DEFAULT_GRACE_MS): a hang ceiling, not a speed target. */
const GRACE_MS = 25_000;

t.test('SIGTERM under load: every accepted review is answered, the process exits 0 in time', async (t) => {
  const server = await startChildServer({ dir: t.testdir() });
  t.teardown(() => server.stop('SIGKILL'));
  const review = readExampleReview('deny');
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  t.teardown(() => agent.destroy());
  const load = startLoad({ port: server.port, ca: server.pki.ca.certPem, review, concurrency: 8, agent, check: expectDecision(false) });
  await waitFor('load running', () => load.stats.replies.length >= 100);

  const slowUid = randomUUID();
  const slow = await startSlowReview(server, withUid(review, slowUid));
  const signalled = Date.now();
  server.child.kill('SIGTERM');
  await waitFor('the drain to begin', () => server.lines.some((l) => l.msg === 'shutting down: draining in-flight reviews'), GRACE_MS);
  const slowAnswer = await slow.finish();
  const exit = await server.exited;
  const exitMs = Date.now() - signalled;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const stats = await load.stop();

  t.equal(slowAnswer.status, 200, 'the review whose body was still arriving at SIGTERM is answered');
  t.equal(slowAnswer.body?.response?.uid, slowUid, '… with its own uid');
  t.equal(slowAnswer.body?.response?.allowed, false, '… and its real decision');
  t.same(exit, { code: 0, signal: null }, 'exits 0');
  t.ok(exitMs < GRACE_MS, `exits within the grace period (${exitMs} ms)`);

  const reviewed = server.lines.filter((l) => l.msg === 'admission reviewed').map((l) => String(l.uid));
  const answered = new Set(stats.replies.filter((r) => r.status === 200).map((r) => String(r.body?.response?.uid)));
  answered.add(slowUid);
  const lost = reviewed.filter((uid) => !answered.has(uid));
  t.same(lost, [], `every review the server logged reached its caller (${reviewed.length} reviewed)`);
  t.same(stats.wrong, [], 'no accepted request got anything but its review (no 503, no error body)');
  const unexpected = stats.errors.filter((code) => !NOT_ACCEPTED.has(code));
  t.same(unexpected, [], `transport errors are only connections the server never read (${stats.errors.length}: ${[...new Set(stats.errors)].join(', ') || 'none'})`);
  t.ok(server.lines.some((l) => l.msg === 'shutting down: draining in-flight reviews' && l.signal === 'SIGTERM'), 'the drain is logged');
  t.equal(server.lines.at(-1)?.msg, 'stopped', 'the last line says it stopped');
});
