/**
 * Property-based fuzzing of the HTTPS endpoint: the real webhook composition (startWebhook, as
 * `vllm-guard serve` runs it) on loopback with the bundled policies, called over TLS with a
 * keep-alive agent as the API server does. Every answer is a well-formed AdmissionReview for the
 * request's uid or a 4xx JSON error; never a 5xx, never an internal error in the engine; no
 * prototype polluted; the heap does not grow without bound.
 *
 * No speed assertion: every call has a hang ceiling (HANG_CEILING_MS) and the slowest answer is
 * printed as a figure; `npm run bench:pathological` measures large reviews against the 100 ms
 * target. The engine fuzz (engine.test.ts) covers mutated objects in bulk; this file runs enough
 * of each kind to exercise the envelope, parsing and limits of the server.
 * FUZZ_RUNS scales the run counts (FUZZ_RUNS=10 for a soak); FUZZ_SEED replays a failure.
 */
import { Writable } from 'node:stream';
import { Agent } from 'node:https';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import t from 'tap';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { startWebhook } from '../../src/server/start.js';
import { callWebhook, createPki, type Reply } from '../resilience/child-server.js';
import { assertUnpolluted, hostileValue, loadSeedReviews, objectArb, POISON_TEXTS, prototypeSnapshot, reviewArb } from './arbitraries.js';

const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
/** An answer not back after this long is a hang, not a slow answer. */
const HANG_CEILING_MS = 30_000;
const HEAP_GROWTH_LIMIT_MB = 64;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Why `reply` is not a well-formed answer to `sent`, or null. */
export function answerProblem(reply: Reply, sent: unknown): string | null {
  if (reply.status >= 400 && reply.status < 500) {
    return typeof reply.body?.error === 'string' && typeof reply.body?.message === 'string' ? null : `HTTP ${reply.status} without a JSON error: ${reply.text.slice(0, 200)}`;
  }
  if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.text.slice(0, 200)}`;
  const body = reply.body;
  const uid = (sent as { request?: { uid?: unknown } } | null)?.request?.uid;
  if (body?.apiVersion !== 'admission.k8s.io/v1' || body?.kind !== 'AdmissionReview') return `not an AdmissionReview: ${reply.text.slice(0, 200)}`;
  const response = body.response;
  if (typeof uid !== 'string' || response?.uid !== uid) return `uid ${JSON.stringify(response?.uid)} answers ${JSON.stringify(uid)}`;
  if (typeof response.allowed !== 'boolean') return 'allowed is not a boolean';
  if ('patch' in response) return 'a patch was sent';
  if (!response.allowed && (response.status?.code !== 403 || typeof response.status?.message !== 'string')) return 'a denial without status 403 and a message';
  const warnings: unknown = response.warnings ?? [];
  if (!Array.isArray(warnings) || warnings.some((w) => typeof w !== 'string' || w.length > 256)) return 'a warning over 256 characters or not a string';
  if (warnings.join('').length > 4096) return 'warnings over 4 KB together';
  return null;
}

t.test('the HTTPS endpoint under fuzzed AdmissionReviews', async (t) => {
  const dir = t.testdir();
  const pki = await createPki(path.join(dir, 'tls'));
  const logLines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.includes('"level":50')) logLines.push(JSON.parse(line) as Record<string, any>);
      done();
    },
  });
  const webhook = await startWebhook({
    sources: { configFile: null, policiesDir: null },
    tls: { certFile: pki.certFile, keyFile: pki.keyFile },
    host: '127.0.0.1',
    port: 0,
    metricsPort: 0,
    logger: createLogger({ destination: sink }),
    metrics: createMetrics(),
  });
  t.teardown(() => webhook.close());
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  t.teardown(() => agent.destroy());
  const ca = pki.ca.certPem;
  const seeds = loadSeedReviews();
  const before = prototypeSnapshot();
  const heapBefore = heapMb();
  const statuses = new Map<number, number>();
  let slowest = 0;
  let slowestLabel = '';

  async function post(body: unknown, sent: unknown, label: string): Promise<void> {
    const reply = await callWebhook(webhook.port, body, { ca, agent, timeoutMs: HANG_CEILING_MS });
    statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
    const problem = answerProblem(reply, sent);
    if (problem) throw new Error(`${label}: ${problem}`);
    assertUnpolluted(before);
    if (logLines.length > 0) throw new Error(`${label}: the server logged an error: ${JSON.stringify(logLines[0]).slice(0, 400)}`);
    if (reply.ms > slowest) {
      slowest = reply.ms;
      slowestLabel = label;
    }
  }
  const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)), ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true });
  let count = 0;

  // A valid envelope around a mutated object: what reaches the engine through the server.
  const wrapped = (large: boolean) =>
    fc.tuple(fc.constantFrom(...seeds), objectArb(seeds, large), fc.uuid(), fc.constantFrom('CREATE', 'UPDATE')).map(([seed, { object, label }, uid, operation]) => ({
      review: { ...seed, request: { ...seed.request, uid, operation, object, oldObject: operation === 'UPDATE' ? seed.request?.object ?? null : null } },
      label,
    }));
  await fc.assert(
    fc.asyncProperty(wrapped(false), async ({ review }) => {
      count++;
      await post(safeStringify(review), review, 'mutated object');
    }),
    runs(200),
  );
  t.pass(`${count} AdmissionReviews of mutated objects answered well-formed`);

  count = 0;
  await fc.assert(
    fc.asyncProperty(reviewArb(seeds, false), async (review) => {
      count++;
      await post(safeStringify(review), review, 'mutated review');
    }),
    runs(150),
  );
  t.pass(`${count} AdmissionReviews mutated anywhere answered well-formed`);

  count = 0;
  const envelope = fc.record({
    apiVersion: fc.oneof(fc.constant('admission.k8s.io/v1'), fc.constant('admission.k8s.io/v1beta1'), hostileValue(false)),
    kind: fc.oneof(fc.constant('AdmissionReview'), hostileValue(false)),
    request: fc.oneof(
      hostileValue(false),
      fc.record({
        uid: fc.oneof(fc.uuid(), hostileValue(false)),
        kind: fc.oneof(fc.constant({ group: 'apps', version: 'v1', kind: 'Deployment' }), hostileValue(false)),
        operation: fc.oneof(fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT'), hostileValue(false)),
        object: fc.oneof(fc.constantFrom(...seeds.map((s) => s.request?.object)), hostileValue(false)),
        oldObject: fc.oneof(fc.constantFrom(...seeds.map((s) => s.request?.object)), hostileValue(false)),
        dryRun: hostileValue(false),
        userInfo: hostileValue(false),
        namespace: hostileValue(false),
        name: hostileValue(false),
      }, { requiredKeys: [] }),
    ),
  }, { requiredKeys: [] });
  await fc.assert(
    fc.asyncProperty(envelope, async (review) => {
      count++;
      await post(safeStringify(review), review, 'fuzzed envelope');
    }),
    runs(200),
  );
  t.pass(`${count} fuzzed envelopes (wrong types, missing fields, other versions) answered well-formed`);

  count = 0;
  await fc.assert(
    fc.asyncProperty(wrapped(true), async ({ review, label }) => {
      count++;
      const text = safeStringify(review);
      await post(text, review, `large review of ${(text.length / 1e6).toFixed(2)} MB (${label})`);
    }),
    runs(20),
  );
  t.pass(`${count} reviews with huge, deep or multi-megabyte values answered (a review, or 400 over the size limit)`);

  count = 0;
  const texts = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('', 'null', '[]', '"x"', '1', 'true', '{', '{"apiVersion":', '{"a":1}{"b":2}', '\u0000', '\uFEFF{}', ...POISON_TEXTS),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    reviewArb(seeds, false).map((r) => safeStringify(r).slice(0, 1000)),
  );
  await fc.assert(
    fc.asyncProperty(texts, async (text) => {
      count++;
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      await post(text, parsed, `raw body ${JSON.stringify(text.slice(0, 80))}`);
    }),
    runs(200),
  );
  t.pass(`${count} raw bodies (not JSON, truncated, not objects, poisoned) answered well-formed`);

  const heapAfter = heapMb();
  t.ok(heapAfter - heapBefore < HEAP_GROWTH_LIMIT_MB, `heap grew ${(heapAfter - heapBefore).toFixed(1)} MB over the run (limit ${HEAP_GROWTH_LIMIT_MB})`);
  t.comment(`answers by HTTP status: ${JSON.stringify(Object.fromEntries(statuses))}; slowest ${slowest.toFixed(0)} ms (${slowestLabel}), a figure, not a limit`);
  t.notOk([...statuses.keys()].some((s) => s >= 500), 'never a 5xx');
});

/** JSON text of a value that may nest deeper than JSON.stringify's recursion allows. */
function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
  }
}
