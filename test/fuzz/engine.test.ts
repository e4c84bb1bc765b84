/**
 * Property-based fuzzing of the engine: thousands of mutated manifests through reviewObject with
 * the bundled catalogue. Every call returns a well-formed review and pollutes nothing.
 *
 * FUZZ_RUNS scales the run counts (default: the numbers below, a few seconds; FUZZ_RUNS=10 for a
 * soak); FUZZ_SEED replays a failure. No speed assertion: the slowest review is printed as a
 * figure, and `npm run bench:pathological` measures large inputs against the 100 ms target.
 */
import fc from 'fast-check';
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { reviewObject } from '../../src/engine/engine.js';
import type { WorkloadReview } from '../../src/engine/types.js';
import { loadPolicies } from '../../src/policy/load.js';
import { createEngine } from '../../src/engine/api.js';
import { assertUnpolluted, hostileValue, loadSeedReviews, objectArb, prototypeSnapshot } from './arbitraries.js';

const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
const ACTIONS = new Set(['deny', 'warn', 'audit', 'off']);

const config = loadConfig(null);
const engine = createEngine({ config: config.engine, policies: loadPolicies(null) });
const seeds = loadSeedReviews();

/** Why `review` is not a well-formed WorkloadReview, or null. */
export function reviewProblem(review: WorkloadReview): string | null {
  for (const key of ['apiVersion', 'kind', 'namespace', 'name'] as const) if (typeof review[key] !== 'string') return `${key} is ${typeof review[key]}`;
  if (typeof review.vllm !== 'boolean') return 'vllm is not a boolean';
  if (!Array.isArray(review.findings) || !Array.isArray(review.notes)) return 'findings or notes is not an array';
  for (const f of review.findings) {
    if (typeof f.policy !== 'string' || !ACTIONS.has(f.action) || typeof f.message !== 'string' || typeof f.path !== 'string') return `malformed finding ${JSON.stringify(f).slice(0, 200)}`;
  }
  if (review.notes.some((n) => typeof n !== 'string')) return 'a note is not a string';
  JSON.stringify(review);
  return null;
}

interface Tally {
  ms: number;
  vllm: number;
  findings: number;
  /** The slowest input, described: a figure for the log, not a limit. */
  slowest: string;
}

function describeSize(object: unknown): string {
  try {
    return `${(JSON.stringify(object)?.length ?? 0).toLocaleString('en')} bytes of JSON`;
  } catch {
    return 'nested too deep to serialize';
  }
}

function checkOne(object: unknown, tally: Tally, label = ''): void {
  const started = performance.now();
  const review = reviewObject(engine, object);
  const ms = performance.now() - started;
  if (ms > tally.ms) {
    tally.ms = ms;
    tally.slowest = `${describeSize(object)}${label ? ` (${label})` : ''}`;
  }
  if (review.vllm) tally.vllm++;
  tally.findings += review.findings.length;
  const problem = reviewProblem(review);
  if (problem) throw new Error(`malformed review: ${problem}`);
}

const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)), ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true });

t.test('mutated manifests: a well-formed review, nothing polluted', (t) => {
  const before = prototypeSnapshot();
  const tally: Tally = { ms: 0, vllm: 0, findings: 0, slowest: '' };
  let count = 0;
  fc.assert(
    fc.property(objectArb(seeds, false), ({ object }) => {
      count++;
      checkOne(object, tally);
      assertUnpolluted(before);
    }),
    runs(1500),
  );
  t.pass(`${count} mutated objects reviewed (${tally.vllm} seen as vLLM, ${tally.findings} findings); slowest ${tally.ms.toFixed(1)} ms, for ${tally.slowest}`);
  t.end();
});

t.test('huge, deep and multi-megabyte values: a well-formed review, nothing polluted', (t) => {
  const before = prototypeSnapshot();
  const tally: Tally = { ms: 0, vllm: 0, findings: 0, slowest: '' };
  let count = 0;
  fc.assert(
    fc.property(objectArb(seeds, true), ({ object, label }) => {
      count++;
      checkOne(object, tally, label);
      assertUnpolluted(before);
    }),
    runs(150),
  );
  t.pass(`${count} objects with large values reviewed (${tally.vllm} seen as vLLM, ${tally.findings} findings); slowest ${tally.ms.toFixed(1)} ms, for ${tally.slowest}`);
  t.end();
});

t.test('anything at all as the object: never a throw', (t) => {
  const before = prototypeSnapshot();
  const tally: Tally = { ms: 0, vllm: 0, findings: 0, slowest: '' };
  let count = 0;
  fc.assert(
    fc.property(hostileValue(false), (value) => {
      count++;
      checkOne(value, tally);
      assertUnpolluted(before);
    }),
    runs(1000),
  );
  t.pass(`${count} arbitrary values reviewed; slowest ${tally.ms.toFixed(1)} ms, for ${tally.slowest}`);
  t.end();
});
