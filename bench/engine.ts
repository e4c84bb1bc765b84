// Engine benchmark: µs per object through reviewObject with the whole default catalogue, argument
// parsing and facts included, on the compiled engine (dist/). A figure to read, not a pass/fail test.
// Run: npm run bench:engine (builds first). BENCH_ITERATIONS sets the reviews per round, BENCH_ROUNDS the rounds.
import { loadavg } from 'node:os';
import { distDir, reviewObject } from './compiled.js';
import { median } from './stats.js';
import { copies, deny, distinctArgv, engine, exampleWorkloads, pass, plainPod } from './workloads.js';

const TARGET_US = 25;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 10000);
// Issue 16 judges the median over rounds, not the best round; the fastest round is printed beside it
// (other processes on the machine only ever make a round slower, so it shows the spread).
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
// Distinct objects cycled through, so every review reads a different object as in production.
const POOL = 1000;

interface Row {
  name: string;
  /** µs per review in the fastest round. */
  us: number;
  medianUs: number;
  /** CPU time of the process per review (GC threads included): the median over rounds. */
  cpuUs: number;
  /** The same in the round that used least CPU. */
  minCpuUs: number;
  perSecond: number;
  findings: number;
}

function measure(name: string, object: unknown, distinct = false, given?: unknown[]): Row {
  const pool = given ?? (distinct ? distinctArgv(object, POOL) : copies(object, POOL));
  let findings = 0;
  for (let i = 0; i < 5000; i++) findings = reviewObject(engine, pool[i % POOL]).findings.length;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const before = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) findings = reviewObject(engine, pool[i % POOL]).findings.length;
    times.push(Number(process.hrtime.bigint() - start) / iterations / 1000);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / iterations);
  }
  const us = Math.min(...times);
  const medianUs = median(times);
  return { name, us, medianUs, cpuUs: median(cpu), minCpuUs: Math.min(...cpu), perSecond: 1e6 / medianUs, findings };
}

const examples = exampleWorkloads();
const rows = [
  measure('vLLM Deployment that passes', pass),
  measure('vLLM Deployment that is denied', deny),
  measure('non-vLLM Pod', plainPod),
  // The engine remembers argv readings per engine (src/engine/vllm/argv-memo.ts): the pods of one
  // Deployment share them. This row gives every copy its own argv, so each review reads it afresh.
  measure('passes, every argv different', pass, true),
  // Every workload of examples/ in turns (fresh copies): many shapes one after the other, as a cluster
  // sends them, where the rows above repeat one shape. Not judged; printed so the gap is visible.
  measure(`examples in turns (${examples.length} workloads)`, null, false, Array.from({ length: POOL }, (_, i) => copies(examples[i % examples.length], 1)[0])),
];
console.log(`engine: ${engine.policies.policies.length} policies, node ${process.version}, code from ${distDir}`);
console.log(`${rounds} rounds of ${iterations} reviews per object, medians over rounds (fastest round beside them); 1-minute load average ${loadavg()[0]?.toFixed(2)} (other processes slow rounds down)`);
console.log('object                              median µs   objects/s  fastest µs  median CPU µs  fastest CPU µs  findings');
for (const r of rows) {
  const cells = [
    r.medianUs.toFixed(2).padStart(9),
    Math.round(r.perSecond).toString().padStart(12),
    r.us.toFixed(2).padStart(12),
    r.cpuUs.toFixed(2).padStart(15),
    r.minCpuUs.toFixed(2).padStart(16),
    String(r.findings).padStart(10),
  ];
  console.log(`${r.name.padEnd(36)}${cells.join('')}`);
}
// Judged on the median CPU time per review over rounds, the cost on one core: on a busy machine the wall clock also counts
// the time other processes hold the core. Both are shown.
// Judged on the Deployments as a cluster sends them (a Deployment's pods repeat its argv); the last
// row, every argv new, is printed beside them so the memo's share is visible.
const vllmRows = rows.slice(0, 2);
const worstCpu = Math.max(...vllmRows.map((r) => r.cpuUs));
const worstWall = Math.max(...vllmRows.map((r) => r.medianUs));
console.log(
  `target: a median of at most ${TARGET_US} µs per vLLM Deployment on one core: ${worstCpu <= TARGET_US ? 'met' : 'MISSED'} ` +
    `(worst median ${worstCpu.toFixed(2)} µs CPU, ${worstWall.toFixed(2)} µs wall)`,
);
