/**
 * Drill: inputs built to be slow cannot block the event loop. Each pathological review is sent
 * while a second connection probes /healthz; the review must be answered (review or 4xx JSON)
 * and neither it nor the probe may wait long. Patterns from the config are included: a pattern
 * that backtracks catastrophically on a long image name would freeze every review.
 *
 * Time budget: the issue's 100 ms per request is the server's own time (its duration_ms log
 * field, body parsed to answer sent). Seen from the caller a request also carries TLS, up to
 * 3 MB of transfer and JSON parsing, on 2 cores shared with the rest of the parallel test run,
 * so the caller-side bound is 100 ms × CALLER_MARGIN; a blocked event loop blows through both.
 * The server's own time gets SERVER_MARGIN: a 30 ms review descheduled on a loaded 2-core
 * machine reads as more in wall-clock time.
 */
import { Agent } from 'node:https';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { callWebhook, startChildServer, waitFor, type ChildServer } from './child-server.js';
import { readExampleReview, withUid } from './load.js';

const SERVER_BUDGET_MS = 100;
const CALLER_MARGIN = 10;
const SERVER_MARGIN = 2;

type Mutate = (container: Record<string, any>, spec: Record<string, any>, object: Record<string, any>) => void;


/** Builds a review from the denied example with its vLLM container (or pod spec) mutated. */
function pathologicalReview(mutate: Mutate): Record<string, any> {
  const review = structuredClone(readExampleReview('deny'));
  const object = review.request.object as Record<string, any>;
  const spec = object.spec.template.spec as Record<string, any>;
  mutate(spec.containers[0] as Record<string, any>, spec, object);
  return withUid(review);
}

/** Placeholder swapped for deep nesting in the JSON text: JSON.stringify itself would overflow the stack. */
const DEEP = '__deep_nesting__';
const DEPTH = 5000;
function toBody(review: Record<string, any>): string {
  return JSON.stringify(review).replace(JSON.stringify(DEEP), `${'{"x":'.repeat(DEPTH)}"leaf"${'}'.repeat(DEPTH)}`);
}

const CASES: ReadonlyArray<readonly [string, Mutate]> = [
  ['a 2.5 MB argument', (c) => c.args.push(`--served-model-name=${'x'.repeat(2_500_000)}`)],
  ['20 000 repeated flags', (c) => (c.args = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? '8192' : '--max-model-len')))],
  ['200 000 unclosed $( references', (c) => c.args.push('$('.repeat(200_000))],
  ['a 1 MB sh -c script of chained commands', (c) => {
    c.command = ['sh', '-c', `${'echo "a;b" && '.repeat(60_000)}vllm serve m --max-model-len 4096`];
    delete c.args;
  }],
  ['a 1 MB image name', (c) => (c.image = `vllm/vllm-openai:${'a'.repeat(1_000_000)}!`)],
  ['10 000 env vars chained through $(VAR)', (c) => {
    c.env = Array.from({ length: 10_000 }, (_, i) => ({ name: `V${i}`, value: i === 0 ? 'x' : `$(V${i - 1})$(V${i - 1})` }));
    c.args.push('$(V9999)');
  }],
  ['a label value nested 5 000 deep', (_c, _s, o) => (o.metadata.labels = { deep: DEEP })],
  ['an argument nested 5 000 deep', (c) => c.args.push(DEEP)],
  ['a 2.9 MB sh -c script', (c) => {
    c.command = ['sh', '-c', `${'echo "a;b" && '.repeat(180_000)}vllm serve m`];
    delete c.args;
  }],
  ['2 000 vLLM containers', (c, s) => (s.containers = Array.from({ length: 2000 }, (_, i) => ({ ...c, name: `vllm-${i}` })))],
];

interface Timed {
  status: number;
  body: any;
  callerMs: number;
  probeMaxMs: number;
}

/** Sends `review` while probing /healthz every 10 ms on another connection. */
async function sendWithProbe(server: ChildServer, review: unknown, timeoutMs = 10_000): Promise<Timed> {
  const ca = server.pki.ca.certPem;
  const probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  await callWebhook(server.port, undefined, { ca, agent: probeAgent, path: '/healthz' });
  let probing = true;
  let probeMaxMs = 0;
  const probe = (async () => {
    while (probing) {
      const reply = await callWebhook(server.port, undefined, { ca, agent: probeAgent, path: '/healthz', timeoutMs });
      probeMaxMs = Math.max(probeMaxMs, reply.ms);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  try {
    const reply = await callWebhook(server.port, review, { ca, agent: false, timeoutMs });
    probing = false;
    // The probe in flight while the review ran is the one that measures the block: wait for it.
    await probe;
    return { status: reply.status, body: reply.body, callerMs: reply.ms, probeMaxMs };
  } finally {
    probing = false;
    await probe.catch(() => undefined);
    probeAgent.destroy();
  }
}

function isWellFormed(reply: Timed, uid: string): boolean {
  if (reply.status === 200) return reply.body?.kind === 'AdmissionReview' && reply.body?.response?.uid === uid && typeof reply.body?.response?.allowed === 'boolean';
  return reply.status >= 400 && reply.status < 500 && typeof reply.body?.error === 'string';
}

/** The server's own time for the review, from its decision log line (written just after the answer). */
async function serverMs(server: ChildServer, uid: string): Promise<number | undefined> {
  const find = () => server.lines.find((l) => l.uid === uid && typeof l.duration_ms === 'number');
  await waitFor('the decision log line', () => find() !== undefined, 2000).catch(() => undefined);
  return find()?.duration_ms as number | undefined;
}

t.test('pathological reviews are answered in bounded time and never block /healthz', async (t) => {
  const server = await startChildServer({ dir: t.testdir() });
  t.teardown(() => server.stop('SIGKILL'));
  for (const [name, mutate] of CASES) {
    const review = pathologicalReview(mutate);
    const body = toBody(review);
    const size = body.length;
    const reply = await sendWithProbe(server, body);
    const uid = String(review.request.uid);
    t.ok(isWellFormed(reply, uid), `${name} (${(size / 1e6).toFixed(2)} MB): a review or a 4xx JSON error (HTTP ${reply.status})`);
    const ms = await serverMs(server, uid);
    if (reply.status === 200) t.ok(ms !== undefined && ms <= SERVER_BUDGET_MS * SERVER_MARGIN, `${name}: the server took ${ms} ms (budget ${SERVER_BUDGET_MS} × ${SERVER_MARGIN})`);
    t.ok(reply.callerMs <= SERVER_BUDGET_MS * CALLER_MARGIN, `${name}: answered in ${reply.callerMs.toFixed(0)} ms at the caller`);
    t.ok(reply.probeMaxMs <= SERVER_BUDGET_MS * CALLER_MARGIN, `${name}: /healthz never waited more than ${reply.probeMaxMs.toFixed(0)} ms`);
  }
  t.equal(server.child.exitCode, null, 'still running');
});

/**
 * A Deployment whose image is a run of `a` ending in `!`, inside the 512 characters the engine
 * matches: the input on which backtracking patterns explode.
 */
function longImageReview(): Record<string, any> {
  return pathologicalReview((c) => (c.image = `${'a'.repeat(500)}!`));
}

async function startWithImagePattern(t: Test, pattern: string): Promise<ChildServer> {
  const dir = t.testdir();
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, `detection:\n  images:\n    - ${JSON.stringify(pattern)}\n`);
  const server = await startChildServer({ dir, args: ['--config', config] });
  t.teardown(() => server.stop('SIGKILL'));
  return server;
}

// Image patterns from the config run on RE2 (src/engine/image-pattern.ts): patterns that backtrack
// exponentially ((a+)+, (a|a)*) or polynomially (a*a*a*…) in V8 match a 512-character image in linear time.
for (const pattern of ['(a+)+$', '(a|a)*$', 'a*a*a*a*a*a*a*b']) {
  t.test(`a backtracking image pattern from the config, ${pattern}, cannot hang a review`, async (t) => {
    const server = await startWithImagePattern(t, pattern);
    const review = longImageReview();
    // A short timeout: a frozen server is killed by the teardown, not waited for.
    const reply = await sendWithProbe(server, review, 2000).catch((err: unknown) => err as Error);
    t.notOk(reply instanceof Error, `answered (${reply instanceof Error ? reply.message : `HTTP ${reply.status}`})`);
    if (reply instanceof Error) return;
    t.ok(isWellFormed(reply, String(review.request.uid)), `answered with a review (HTTP ${reply.status})`);
    t.ok(reply.callerMs <= SERVER_BUDGET_MS * CALLER_MARGIN, `answered in ${reply.callerMs.toFixed(0)} ms`);
    t.ok(reply.probeMaxMs <= SERVER_BUDGET_MS * CALLER_MARGIN, `/healthz kept answering (${reply.probeMaxMs.toFixed(0)} ms at most)`);
    t.notMatch(JSON.stringify(reply.body?.response ?? {}), /could not check/, 'a real review, not the failure mode');
  });
}

t.test('a config with a pattern RE2 cannot compile is refused at start, naming the field and the pattern', async (t) => {
  const dir = t.testdir();
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, 'detection:\n  images:\n    - "(?<=x)vllm"\n');
  const started = await startChildServer({ dir, args: ['--config', config], timeoutMs: 15_000 }).then(
    (server) => server.stop('SIGKILL').then(() => 'started'),
    (err: unknown) => String(err),
  );
  t.match(started, /detection\.images\[0\]: image pattern "\(\?<=x\)vllm" is not an RE2 regular expression/);
});
