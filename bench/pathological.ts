// `npm run bench:pathological`: how long inputs built to be slow take, against the 100 ms
// per review. The tests only check these are answered and never hang (test/resilience/pathological,
// test/fuzz/regressions); the speed target is read here, as figures, on a machine you choose.
//   1. the engine in process: each bounded regression case and each drill case (median of ROUNDS);
//   2. the real server (`vllm-guard serve`, the built bin) over TLS: its own time (duration_ms in
//      the decision log), the time at the caller, and the longest /healthz wait meanwhile;
//   3. fast-check objects with huge, deep and multi-megabyte values (BENCH_FUZZ_RUNS, default 300),
//      in process: the slowest five, to find new slow inputs as the fuzz once found these.
// Environment: BENCH_ROUNDS (5), BENCH_FUZZ_RUNS (300), FUZZ_SEED (replay a sample).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '../src/config/load.js';
import { createEngine, reviewObject } from '../src/engine/api.js';
import { loadPolicies } from '../src/policy/load.js';
import { startChildServer, waitFor } from '../test/resilience/child-server.js';
import { readExampleReview } from '../test/resilience/load.js';
import { BOUNDED_CASES, CASES, REVIEW_TARGET_MS, isWellFormed, pathologicalReview, sendWithProbe, toBody, type Mutate } from '../test/resilience/pathological-cases.js';
import { loadSeedReviews, objectArb } from '../test/fuzz/arbitraries.js';
import { median } from './stats.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const fuzzRuns = Number(process.env.BENCH_FUZZ_RUNS ?? 300);
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;

const config = loadConfig(null);
const engine = createEngine({ config: config.engine, policies: loadPolicies(null) });

function objectOf(mutate: Mutate): Record<string, any> {
  const object = structuredClone(readExampleReview('deny').request.object) as Record<string, any>;
  const spec = object.spec.template.spec as Record<string, any>;
  mutate(spec.containers[0] as Record<string, any>, spec, object);
  return object;
}

function timeOnce(object: unknown): number {
  const started = performance.now();
  reviewObject(engine, object);
  return performance.now() - started;
}

function mark(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '   ?';
  return ms <= REVIEW_TARGET_MS ? '  ok' : ' OVER';
}

function row(name: string, ...cells: string[]): string {
  return `${name.padEnd(64)} ${cells.map((c) => c.padStart(10)).join(' ')}`;
}

async function main(): Promise<void> {
  const out: string[] = [];
  const say = (line: string) => {
    out.push(line);
    process.stdout.write(`${line}\n`);
  };
  say(`pathological inputs, target ${REVIEW_TARGET_MS} ms per review; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  say('\n1. engine in process (median of ' + rounds + ' rounds, after one warm-up review)');
  say(row('input', 'median ms', 'target'));
  reviewObject(engine, readExampleReview('deny').request.object);
  const inProcess: Array<readonly [string, Mutate]> = [...BOUNDED_CASES.map((c) => [c.name, c.mutate] as const), ...CASES];
  for (const [name, mutate] of inProcess) {
    const object = objectOf(mutate);
    // Deep-nesting cases only nest in the request text; in process they are the placeholder string.
    try {
      const ms = median(Array.from({ length: rounds }, () => timeOnce(object)));
      say(row(name, ms.toFixed(1), mark(ms)));
    } catch (err: unknown) {
      say(row(name, 'THROWS', String(err).slice(0, 60)));
    }
  }

  say('\n2. the server (vllm-guard serve, built bin) over TLS, with /healthz probed meanwhile');
  say(row('input', 'server ms', 'caller ms', 'healthz ms', 'target'));
  const dir = mkdtempSync(path.join(tmpdir(), 'vg-bench-pathological-'));
  const server = await startChildServer({ dir });
  try {
    for (const [name, mutate] of CASES) {
      const review = pathologicalReview(mutate);
      const uid = String(review.request.uid);
      const reply = await sendWithProbe(server, toBody(review), 30_000);
      const find = () => server.lines.find((l) => l.uid === uid && typeof l.duration_ms === 'number');
      await waitFor('the decision log line', () => find() !== undefined, 2000).catch(() => undefined);
      const serverMs = find()?.duration_ms as number | undefined;
      const failureMode = /could not check/.test(JSON.stringify(reply.body?.response ?? {}));
      const status = !isWellFormed(reply, uid) ? ` (HTTP ${reply.status}, malformed)` : failureMode ? ' (failure mode: not reviewed)' : '';
      say(row(`${name}${status}`, serverMs === undefined ? '-' : serverMs.toFixed(1), reply.callerMs.toFixed(0), reply.probeMaxMs.toFixed(0), reply.status === 200 ? mark(serverMs) : '   4xx'));
    }
  } finally {
    await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }

  say(`\n3. ${fuzzRuns} fast-check objects with huge, deep or multi-megabyte values, in process: the slowest five`);
  const samples = fc.sample(objectArb(loadSeedReviews(), true), { numRuns: fuzzRuns, ...(seed !== undefined ? { seed } : {}) });
  const timed = samples
    .map(({ object, label }) => {
      try {
        return { label, ms: timeOnce(object) };
      } catch (err: unknown) {
        say(`  throws on ${label}: ${String(err).slice(0, 80)}`);
        return { label, ms: Number.NaN };
      }
    })
    .filter((s) => !Number.isNaN(s.ms))
    .sort((a, b) => b.ms - a.ms);
  for (const { label, ms } of timed.slice(0, 5)) say(row(label.slice(0, 64), ms.toFixed(1), mark(ms)));
  const over = timed.filter((s) => s.ms > REVIEW_TARGET_MS).length;
  say(`${over} of ${timed.length} over ${REVIEW_TARGET_MS} ms${over > 0 ? ' (replay with FUZZ_SEED and BENCH_FUZZ_RUNS to investigate)' : ''}`);
}

await main();
