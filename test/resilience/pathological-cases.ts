/**
 * Inputs built to be slow, shared by the pathological drill (which checks they are answered and
 * never block the server) and `npm run bench:pathological` (which prints how long they take
 * against the 100 ms per-review target). Speed is a bench figure, never a test assertion.
 */
import { Agent } from 'node:https';
import { callWebhook, type ChildServer } from './child-server.js';
import { readExampleReview, withUid } from './load.js';

/** The per-review target, in milliseconds of the server's own time (bench only). */
export const REVIEW_TARGET_MS = 100;

export type Mutate = (container: Record<string, any>, spec: Record<string, any>, object: Record<string, any>) => void;

/** Builds a review from the denied example with its vLLM container (or pod spec) mutated. */
export function pathologicalReview(mutate: Mutate): Record<string, any> {
  const review = structuredClone(readExampleReview('deny'));
  const object = review.request.object as Record<string, any>;
  const spec = object.spec.template.spec as Record<string, any>;
  mutate(spec.containers[0] as Record<string, any>, spec, object);
  return withUid(review);
}

/** Placeholder swapped for deep nesting in the JSON text: JSON.stringify itself would overflow the stack. */
const DEEP = '__deep_nesting__';
const DEPTH = 5000;

/** The request body for `review`, with DEEP replaced by 5 000 levels of nesting. */
export function toBody(review: Record<string, any>): string {
  return JSON.stringify(review).replace(JSON.stringify(DEEP), `${'{"x":'.repeat(DEPTH)}"leaf"${'}'.repeat(DEPTH)}`);
}

export const CASES: ReadonlyArray<readonly [string, Mutate]> = [
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

/**
 * Inputs the engine fuzz and the drill once found over the time target (ms in brackets, when
 * found), each fixed by a bound in the engine: sh -c scripts and $-expanded values over 64 KiB (or
 * whose expansion would pass 64 KiB) are not read (unknown), and at most 64 containers per pod template are checked. `bound` is what the
 * review shows of that bound, which test/fuzz/regressions.test.ts asserts.
 */
export const BOUNDED_CASES: ReadonlyArray<{ readonly name: string; readonly bound: RegExp; readonly mutate: Mutate }> = [
  // Found by the engine fuzz: 637–1042 ms in-process.
  { name: 'an sh -c script of 357 143 " --tp 4" words (2.5 MB)', bound: /64 KiB/, mutate: (c) => {
    c.command = ['sh', '-c', `${' --tp 4'.repeat(357_143)} && vllm serve m --max-model-len 4096`];
    delete c.args;
  } },
  // Found by the engine fuzz: 659 ms.
  { name: 'an sh -c script of 1 250 000 "$(" (2.5 MB)', bound: /64 KiB/, mutate: (c) => {
    c.command = ['sh', '-c', `${'$('.repeat(1_250_000)} && vllm serve m`];
    delete c.args;
  } },
  // Found by the engine fuzz: 399 ms.
  { name: 'an env value of 1 250 000 "$(" referenced from the args (2.5 MB)', bound: /64 KiB/, mutate: (c) => {
    c.env = [{ name: 'HF_TOKEN', value: '$('.repeat(1_250_000) }, { name: 'VLLM_ARGS', value: '$(HF_TOKEN)' }];
    c.args.push('$(VLLM_ARGS)');
  } },
  // Found by the pathological drill: 164–218 ms in the server.
  { name: 'an sh -c script of 60 000 chained commands (0.9 MB)', bound: /64 KiB/, mutate: (c) => {
    c.command = ['sh', '-c', `${'echo "a;b" && '.repeat(60_000)}vllm serve m --max-model-len 4096`];
    delete c.args;
  } },
  // Found by the pathological drill: the engine threw RangeError (Invalid string length), as each
  // value doubled the one before it 10 000 times; now the value past 64 KiB stays unexpanded.
  { name: '10 000 env vars chained through $(VAR), each doubling the one before', bound: /expands the value past 64 KiB/, mutate: (c) => {
    c.env = Array.from({ length: 10_000 }, (_, i) => ({ name: `V${i}`, value: i === 0 ? 'x' : `$(V${i - 1})$(V${i - 1})` }));
    c.args.push('$(V9999)');
  } },
  // Found by the pathological drill: 318–438 ms in the server.
  { name: '2 000 vLLM containers (3 MB)', bound: /only the first 64 were checked/, mutate: (_c, s) => {
    const first = s.containers[0] as Record<string, any>;
    s.containers = Array.from({ length: 2000 }, (_, i) => ({ ...first, name: `vllm-${i}` }));
  } },
];

/**
 * Image patterns that backtrack exponentially ((a+)+, (a|a)*) or polynomially (a*a*a*…) in V8;
 * configured patterns run on RE2 (src/engine/image-pattern.ts), linear in the image length.
 */
export const BACKTRACKING_PATTERNS = ['(a+)+$', '(a|a)*$', 'a*a*a*a*a*a*a*b'] as const;

/**
 * A Deployment whose image is a run of `a` ending in `!`, inside the 512 characters the engine
 * matches: the input on which backtracking patterns explode.
 */
export function longImageReview(): Record<string, any> {
  return pathologicalReview((c) => (c.image = `${'a'.repeat(500)}!`));
}

export interface Timed {
  status: number;
  body: any;
  /** Milliseconds from sending to the end of the answer, at the caller. */
  callerMs: number;
  /** The longest /healthz round trip (ms) on a second connection while the review ran. */
  probeMaxMs: number;
}

/** Sends `review` while probing /healthz every 10 ms on another connection; `timeoutMs` per call. */
export async function sendWithProbe(server: Pick<ChildServer, 'port' | 'pki'>, review: unknown, timeoutMs = 10_000): Promise<Timed> {
  const ca = server.pki.ca.certPem;
  const probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  await callWebhook(server.port, undefined, { ca, agent: probeAgent, path: '/healthz', timeoutMs });
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

/** True when `reply` is the AdmissionReview for `uid`, or a 4xx JSON error. */
export function isWellFormed(reply: Pick<Timed, 'status' | 'body'>, uid: string): boolean {
  if (reply.status === 200) return reply.body?.kind === 'AdmissionReview' && reply.body?.response?.uid === uid && typeof reply.body?.response?.allowed === 'boolean';
  return reply.status >= 400 && reply.status < 500 && typeof reply.body?.error === 'string';
}
