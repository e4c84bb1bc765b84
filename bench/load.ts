/**
 * `npm run bench`: the webhook under load against the floor of its own stack. Starts the real
 * server (`vllm-guard serve`, HTTPS, bundled policies, LOG_LEVEL=info, logs to a file) and a bare
 * Fastify HTTPS server as child processes, loads both alternately with autocannon over keep-alive,
 * prints the table and writes bench/results/load-<time>.json.
 *
 * Environment: BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (1,8,64),
 * BENCH_ENGINE_ITERATIONS (20000), BENCH_CPU_PROF=1 (webhook writes a .cpuprofile to bench/results/).
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { findRepoRoot, loadBenchBodies, type BenchBody } from './bodies.js';
import { runCell, type CellResult } from './cell.js';
import { measureEngine } from './engine-figures.js';
import { findFreePort, spawnAndWaitReady, stopChild, writeBenchCertificate, type Served } from './processes.js';
import { evaluateTargets, renderTable, type BenchRun } from './report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const connections = (process.env.BENCH_CONNECTIONS ?? '1,8,64').split(',').map(Number);
const engineIterations = Number(process.env.BENCH_ENGINE_ITERATIONS ?? 20000);
const cpuProf = process.env.BENCH_CPU_PROF === '1';
const logLevel = 'info';

function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** One review, to check the webhook answers each body as expected before timing it. */
function postOnce(port: number, body: BenchBody): Promise<{ status: number; allowed: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/validate', method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { response?: { allowed?: unknown } };
          resolve({ status: res.statusCode ?? 0, allowed: parsed.response?.allowed });
        });
      },
    );
    req.on('error', reject);
    req.end(body.json);
  });
}

async function main(): Promise<void> {
  const root = findRepoRoot();
  const results = path.join(root, 'bench', 'results');
  mkdirSync(results, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const work = mkdtempSync(path.join(tmpdir(), 'vllm-guard-bench-'));
  const bodies = loadBenchBodies(root);
  for (const b of bodies) say(`body: ${b.name}, ${b.json.length} bytes`);

  say(`engine: ${engineIterations} iterations per body`);
  const engine = await measureEngine(root, bodies, engineIterations);

  const { certFile, keyFile } = await writeBenchCertificate(work);

  const serverPort = await findFreePort();
  const metricsPort = await findFreePort();
  const floorPort = await findFreePort();
  const serverLog = path.join(results, `webhook-${stamp}.log`);
  const profile = cpuProf ? ['--cpu-prof', '--cpu-prof-dir', results] : [];
  const served: Served[] = [];
  try {
    const server = await spawnAndWaitReady({
      name: 'vllm-guard',
      args: [...profile, path.join(root, 'dist/cli/main.js'), 'serve', '--host', '127.0.0.1', '--port', String(serverPort), '--metrics-port', String(metricsPort), '--tls-cert', certFile, '--tls-key', keyFile],
      port: serverPort,
      logFile: serverLog,
      env: { LOG_LEVEL: logLevel, NODE_ENV: 'production' },
    });
    served.push(server);
    const floor = await spawnAndWaitReady({
      name: 'floor',
      args: [path.join(root, 'dist/bench/bench/floor-server.js'), String(floorPort), certFile, keyFile],
      port: floorPort,
      logFile: path.join(results, `floor-${stamp}.log`),
    });
    served.push(floor);
    say(`ready: vllm-guard in ${server.readyMs.toFixed(0)} ms, floor in ${floor.readyMs.toFixed(0)} ms; webhook log: ${serverLog}`);

    for (const body of bodies) {
      const answer = await postOnce(server.port, body);
      if (answer.status !== 200 || answer.allowed !== body.allowed) {
        throw new Error(`the webhook answered ${answer.status} allowed=${String(answer.allowed)} for "${body.name}", expected allowed=${body.allowed}`);
      }
    }
    const targets = [
      { name: 'floor', served: floor },
      { name: 'vllm-guard', served: server },
    ];
    for (const t of targets) {
      await runCell({ server: t.name, port: t.served.port, pid: t.served.child.pid ?? 0, body: bodies[0] as BenchBody, connections: 8, seconds: warmupSeconds });
    }
    const cells: CellResult[] = [];
    for (const c of connections) {
      for (const body of bodies) {
        for (const t of targets) {
          const cell = await runCell({ server: t.name, port: t.served.port, pid: t.served.child.pid ?? 0, body, connections: c, seconds });
          cells.push(cell);
          say(`${t.name.padEnd(10)} ${String(c).padStart(2)} conns  ${body.name.padEnd(26)} ${cell.rps.toFixed(0).padStart(6)} req/s  p99 ${cell.p99.toFixed(2)} ms`);
        }
      }
    }
    const run: BenchRun = {
      startedAt: new Date().toISOString(),
      machine: { nproc: cpus().length, node: process.version, cpu: cpus()[0]?.model ?? 'unknown', platform: `${process.platform} ${process.arch}` },
      settings: { seconds, warmupSeconds, connections, logLevel },
      readyMs: { server: server.readyMs, floor: floor.readyMs },
      engine,
      cells,
      targets: evaluateTargets(cells, server.readyMs, engine),
    };
    const file = path.join(results, `load-${stamp}.json`);
    writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
    writeFileSync(path.join(results, 'latest.json'), `${JSON.stringify(run, null, 2)}\n`);
    process.stdout.write(renderTable(run));
    say(`results: ${file}`);
  } finally {
    for (const s of served) await stopChild(s.child);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
