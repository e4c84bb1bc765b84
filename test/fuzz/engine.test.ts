/**
 * Property-based fuzzing of the engine: thousands of mutated manifests through reviewObject with
 * the bundled catalogue. Every call returns a well-formed review, quickly, and pollutes nothing.
 *
 * FUZZ_RUNS scales the run counts (default: the numbers below, tens of seconds in all with the
 * endpoint fuzz); FUZZ_SEED replays a failure. Time bound per object: 100 ms × ENGINE_MARGIN,
 * because tap runs this under coverage instrumentation on 2 cores shared with other test files.
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
const BUDGET_MS = 100;
const ENGINE_MARGIN = 3;
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
  /** Inputs over the time bound: a finding of its own, reported apart from crashes and malformed answers. */
  slow: string[];
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
  tally.ms = Math.max(tally.ms, ms);
  if (review.vllm) tally.vllm++;
  tally.findings += review.findings.length;
  const problem = reviewProblem(review);
  if (problem) throw new Error(`malformed review: ${problem}`);
  if (ms > BUDGET_MS * ENGINE_MARGIN) tally.slow.push(`${ms.toFixed(0)} ms for ${describeSize(object)}${label ? ` (${label})` : ''}`);
}

const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)), ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true });

t.test('mutated manifests: a well-formed review, in bounded time, nothing polluted', (t) => {
  const before = prototypeSnapshot();
  const tally: Tally = { ms: 0, vllm: 0, findings: 0, slow: [] };
  let count = 0;
  fc.assert(
    fc.property(objectArb(seeds, false), ({ object }) => {
      count++;
      checkOne(object, tally);
      assertUnpolluted(before);
    }),
    runs(3000),
  );
  t.pass(`${count} mutated objects reviewed (${tally.vllm} seen as vLLM, ${tally.findings} findings); slowest ${tally.ms.toFixed(1)} ms`);
  t.same(tally.slow, [], `no object over ${BUDGET_MS * ENGINE_MARGIN} ms`);
  t.end();
});

t.test('huge, deep and multi-megabyte values: a well-formed review, in bounded time, nothing polluted', (t) => {
  const before = prototypeSnapshot();
  const tally: Tally = { ms: 0, vllm: 0, findings: 0, slow: [] };
  let count = 0;
  fc.assert(
    fc.property(objectArb(seeds, true), ({ object, label }) => {
      count++;
      checkOne(object, tally, label);
      assertUnpolluted(before);
    }),
    runs(150),
  );
  t.pass(`${count} objects with large values reviewed (${tally.vllm} seen as vLLM, ${tally.findings} findings); slowest ${tally.ms.toFixed(1)} ms`);
  if (tally.slow.length > 0) t.comment(`over ${BUDGET_MS * ENGINE_MARGIN} ms:\n${[...new Set(tally.slow)].join('\n')}`);
  t.same(tally.slow, [], `no object over ${BUDGET_MS * ENGINE_MARGIN} ms`);
  t.end();
});

t.test('anything at all as the object: never a throw', (t) => {
  const before = prototypeSnapshot();
  const tally: Tally = { ms: 0, vllm: 0, findings: 0, slow: [] };
  let count = 0;
  fc.assert(
    fc.property(hostileValue(false), (value) => {
      count++;
      checkOne(value, tally);
      assertUnpolluted(before);
    }),
    runs(1000),
  );
  t.pass(`${count} arbitrary values reviewed; slowest ${tally.ms.toFixed(1)} ms`);
  t.same(tally.slow, [], `no value over ${BUDGET_MS * ENGINE_MARGIN} ms`);
  t.end();
});
