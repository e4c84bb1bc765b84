// Audit benchmark (npm run bench:audit): figures to read, not a pass/fail test.
// `vllm-guard audit --output json` (the built bin, its own process) against the HTTPS stand-in
// for the kube-apiserver (test/audit/kube-stand-in.ts) serving a generated cluster
// (bench/audit-cluster.ts: 2,000 namespaces × 25 workloads = 50,000 objects by default), then the
// same with --write-reports (one PolicyReport per namespace). Prints wall time, objects per second
// and the child's peak RSS (GNU time's "Maximum resident set size"). Targets (issue 16): ≤ 60 s and
// ≤ 300 MB. BENCH_NAMESPACES sets the namespace count; BENCH_WRITE=0 skips the second run;
// BENCH_NODE_ARGS passes flags to the child's node (a CPU profile: --cpu-prof --cpu-prof-dir=bench/results).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startKubeStandIn } from '../test/audit/kube-stand-in.js';
import { generatedCluster, objectCount, SCALE_SHAPE } from './audit-cluster.js';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const CLI = path.join(ROOT, 'dist/cli/main.js');
const TIME = '/usr/bin/time';
const shape = { ...SCALE_SHAPE, namespaces: Number(process.env.BENCH_NAMESPACES ?? SCALE_SHAPE.namespaces) };

interface Run {
  code: number | null;
  wallMs: number;
  maxRssKb: number | null;
  /** User + system CPU seconds of the child (GNU time): the cost on a quiet machine, whatever the load. */
  cpuSeconds: number | null;
  stdoutBytes: number;
  summary: Record<string, number> | null;
  stderrTail: string;
}

/** Runs the CLI as a child under GNU time; the stand-in keeps serving in this process meanwhile. */
async function runAudit(args: string[]): Promise<Run> {
  const command = existsSync(TIME) ? TIME : process.execPath;
  // BENCH_NODE_ARGS: flags for the child's node, e.g. "--cpu-prof --cpu-prof-dir=bench/results".
  const node = [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), CLI, 'audit', ...args];
  const argv = existsSync(TIME) ? ['-v', process.execPath, ...node] : node;
  const start = performance.now();
  const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  const chunks: Buffer[] = [];
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdoutBytes += d.length;
    chunks.push(d);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - start;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  const cpuSeconds = user && system ? Number(user[1]) + Number(system[1]) : null;
  let summary: Record<string, number> | null = null;
  try {
    summary = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { summary: Record<string, number> }).summary;
  } catch {
    summary = null;
  }
  const tail = stderr.split('\n').filter((l) => /^(audit of|PolicyReports|gap|note)/.test(l)).join('\n');
  return { code, wallMs, maxRssKb: rss ? Number(rss[1]) : null, cpuSeconds, stdoutBytes, summary, stderrTail: tail };
}

function print(label: string, run: Run, objects: number): void {
  const rss = run.maxRssKb === null ? 'n/a (no /usr/bin/time)' : `${(run.maxRssKb / 1024).toFixed(0)} MB`;
  console.log(`${label}`);
  console.log(`  exit ${run.code}, wall ${(run.wallMs / 1000).toFixed(1)} s (target ≤ 60 s), ${Math.round(objects / (run.wallMs / 1000))} objects/s, peak RSS ${rss} (target ≤ 300 MB)`);
  const cpu = run.cpuSeconds === null ? '' : `, CPU ${run.cpuSeconds.toFixed(1)} s (${Math.round(objects / run.cpuSeconds)} objects per CPU second)`;
  console.log(`  child${cpu}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  console.log(`  stdout ${(run.stdoutBytes / 1e6).toFixed(1)} MB of JSON; summary ${JSON.stringify(run.summary)}`);
  if (run.stderrTail) console.log(`  ${run.stderrTail.replaceAll('\n', '\n  ')}`);
}

const standIn = await startKubeStandIn({ generated: generatedCluster(shape), onlyGenerated: true });
const dir = mkdtempSync(path.join(tmpdir(), 'vllm-guard-bench-audit-'));
try {
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, standIn.kubeconfig());
  const objects = objectCount(shape);
  console.log(`vllm-guard audit against the HTTPS stand-in: ${objects} objects in ${shape.namespaces} namespaces (Node ${process.version})`);
  const json = await runAudit(['--kubeconfig', kubeconfig, '--output', 'json']);
  print('audit --output json', json, objects);
  if (process.env.BENCH_WRITE !== '0') {
    const write = await runAudit(['--kubeconfig', kubeconfig, '--output', 'json', '--write-reports']);
    const stored = [...standIn.objects.keys()].filter((k) => k.startsWith('wgpolicyk8s.io/policyreports/')).length;
    print(`audit --output json --write-reports (${stored} PolicyReports stored, ${standIn.requests.filter((r) => r.path.includes('policyreports')).length} report requests)`, write, objects);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await standIn.close();
}
