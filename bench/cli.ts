// CLI benchmark (npm run bench:cli): figures to read, not a pass/fail test.
// 1. Wall time of `vllm-guard check FILE` as a whole process, next to a bare `node` that only
//    parses the same file with the `yaml` package (the floor of any Node CLI that reads YAML),
//    run in turns so machine drift hits both alike. Target: check within 3× of the floor.
// 2. `check` of 1,000 manifests (copies of the examples, one directory) in a single process:
//    objects per second. Target: at least 2,000. Then one more process (bench/cli-phases.ts) says
//    where its CPU goes: phases, the same reviews a second time, main thread against V8's helpers.
// BENCH_RUNS sets the turns (default 15).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { median } from './stats.js';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const CLI = path.join(ROOT, 'dist/cli/main.js');
const FILE = path.join(ROOT, 'examples/good/tensor-parallel-statefulset.yaml');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const FLOOR = `import { readFileSync } from 'node:fs'; import { parseAllDocuments } from 'yaml'; parseAllDocuments(readFileSync(${JSON.stringify(FILE)}, 'utf8'));`;

function wallMs(args: string[]): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  if (child.error) throw child.error;
  return performance.now() - start;
}

const check: number[] = [];
const floor: number[] = [];
wallMs([CLI, 'check', FILE]);
for (let i = 0; i < RUNS; i++) {
  check.push(wallMs([CLI, 'check', FILE]));
  floor.push(wallMs(['--input-type=module', '-e', FLOOR]));
}
const ratio = median(check) / median(floor);
console.log(`vllm-guard check, one file, ${RUNS} runs each, in turns (Node ${process.version})`);
console.log(`  check ${path.relative(ROOT, FILE)}   median ${median(check).toFixed(0)} ms  (min ${Math.min(...check).toFixed(0)}, max ${Math.max(...check).toFixed(0)})`);
console.log(`  node + yaml parse only    median ${median(floor).toFixed(0)} ms  (min ${Math.min(...floor).toFixed(0)}, max ${Math.max(...floor).toFixed(0)})`);
console.log(`  ratio ${ratio.toFixed(2)}× (target ≤ 3×)`);

// 1,000 manifests in one process.
const dir = mkdtempSync(path.join(tmpdir(), 'vllm-guard-bench-'));
try {
  const sources = ['good', 'bad'].flatMap((kind) => readdirSync(path.join(ROOT, 'examples', kind)).map((f) => readFileSync(path.join(ROOT, 'examples', kind, f), 'utf8')));
  let objects = 0;
  for (let i = 0; i < 1000; i++) {
    const text = sources[i % sources.length] as string;
    writeFileSync(path.join(dir, `m${String(i).padStart(4, '0')}.yaml`), text);
    objects += text.split(/^---$/m).filter((d) => /^kind:/m.test(d)).length;
  }
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push(wallMs([CLI, 'check', '--output', 'json', dir]));
  const ms = median(times);
  console.log(`check of 1,000 files (${objects} objects) in one process: median ${ms.toFixed(0)} ms wall, ${Math.round(objects / (ms / 1000))} objects/s (target ≥ 2,000)`);
  // Plain node, not tsx: tsx's loader thread would add its own CPU to the split.
  const phasesScript = `${dir}-phases.mjs`;
  writeFileSync(phasesScript, ts.transpileModule(readFileSync(path.join(ROOT, 'bench/cli-phases.ts'), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
  const split = spawnSync(process.execPath, [phasesScript, dir], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_DIST: process.env.BENCH_DIST ?? path.join(ROOT, 'dist') } });
  if (split.status !== 0) throw new Error(`bench/cli-phases.ts failed: ${split.stderr}`);
  const { phases: p, threads } = JSON.parse(split.stdout) as { phases: Record<string, number>; threads: { main: number; helpers: number } | null };
  console.log(
    `  CPU of one more such run, by phase: modules ${p.import} ms, catalogue and engine ${p.engine}, read and parse ${p.read}, ` +
      `reviews and positions ${p.check}, render JSON ${p.render}, write ${p.write}; the same reviews a second time in that process: ${p.reviewsAgain}`,
  );
  if (threads) console.log(`  of that run's CPU: main thread ${threads.main} ms, V8's helper threads (JIT compiler, GC) ${threads.helpers} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-phases.mjs`, { force: true });
}
