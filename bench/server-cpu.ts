/**
 * CPU time per request of the webhook process, A/B between builds, for a machine too busy for
 * throughput figures. Starts `vllm-guard serve` from each build (and the floor server), then in
 * alternating turns sends a fixed number of requests per body over keep-alive HTTPS with a
 * fixed concurrency and reads the server's CPU time (all its threads, /proc/PID/task/*\/schedstat,
 * nanoseconds) before and after. Prints the median and minimum µs per request per build and body.
 *
 * Usage: node --import tsx bench/server-cpu.ts DIST_A [DIST_B ...]; a DIST may be followed by
 * `,KEY=VALUE` pairs, that server's environment (e.g. `dist,LOG_LEVEL=warn`); the key NODE_ARGS gives
 * node flags instead, space-separated (e.g. `dist,NODE_ARGS=--min-semi-space-size=32 --max-semi-space-size=32`).
 * Environment: CPU_REQUESTS (2000 per turn), CPU_TURNS (6), CPU_CONNECTIONS (8), CPU_FLOOR (1: also the floor),
 * CPU_WARMUP (5000 requests per server and body first), CPU_PROF_DIR (the webhooks write a .cpuprofile there), CPU_BODIES (indexes: 0 passes, 1 denied, 2 Pod; default all).
 * Linux only (/proc).
 * @module
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findRepoRoot, loadBenchBodies, type BenchBody } from './bodies.js';
import { findFreePort, spawnAndWaitReady, stopChild, writeBenchCertificate, type Served } from './processes.js';
import { median } from './stats.js';

const requests = Number(process.env.CPU_REQUESTS ?? 2000);
const turns = Number(process.env.CPU_TURNS ?? 6);
const concurrency = Number(process.env.CPU_CONNECTIONS ?? 8);
const withFloor = (process.env.CPU_FLOOR ?? '1') === '1';
const profDir = process.env.CPU_PROF_DIR;
/** Which bodies, by index in loadBenchBodies (0 passes, 1 denied, 2 Pod); all by default. */
const threads = process.env.CPU_THREADS === '1';
const bodyIndexes = process.env.CPU_BODIES?.split(',').map(Number);

/** User and system CPU seconds of the process so far (/proc/PID/stat, clock ticks of 10 ms). */
function userSys(pid: number): [number, number] {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return [Number(fields[11]) / 100, Number(fields[12]) / 100];
}

/** Nanoseconds of CPU per thread (name and id) of the process so far. */
function threadNs(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
      out.set(`${name}#${task}`, Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return out;
}

/** Nanoseconds of CPU used so far by every thread of the process. */
function cpuNs(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return total;
}

function post(port: number, agent: Agent, json: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/validate', method: 'POST', agent, servername: 'localhost', rejectUnauthorized: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(json);
  });
}

async function drive(port: number, agent: Agent, json: string, n: number): Promise<void> {
  let left = n;
  const worker = async () => {
    while (left > 0) {
      left -= 1;
      await post(port, agent, json);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

interface Target {
  readonly name: string;
  readonly served: Served;
  readonly agent: Agent;
}

async function main(): Promise<void> {
  const dists = process.argv.slice(2);
  if (dists.length === 0) throw new Error('usage: server-cpu DIST_A [DIST_B ...]');
  const root = findRepoRoot();
  const bodies = loadBenchBodies(root).filter((_b, i) => bodyIndexes === undefined || bodyIndexes.includes(i));
  const work = mkdtempSync(path.join(tmpdir(), 'vllm-guard-cpu-'));
  const { certFile, keyFile } = await writeBenchCertificate(work);
  const targets: Target[] = [];
  try {
    for (const [i, spec] of dists.entries()) {
      // DIST or DIST,KEY=VALUE,...: environment for that server only (e.g. LOG_LEVEL=warn).
      const [dist = 'dist', ...pairs] = spec.split(',');
      const { NODE_ARGS: nodeArgs, ...env } = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
      const port = await findFreePort();
      const metricsPort = await findFreePort();
      const prof = profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
      const served = await spawnAndWaitReady({
        name: `build${i}`,
        args: [...prof, ...(nodeArgs?.split(' ').filter(Boolean) ?? []), path.join(path.resolve(dist), 'cli/main.js'), 'serve', '--host', '127.0.0.1', '--port', String(port), '--metrics-port', String(metricsPort), '--tls-cert', certFile, '--tls-key', keyFile],
        port,
        logFile: path.join(work, `build${i}.log`),
        env: { LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
      });
      targets.push({ name: `${i}:${spec}`, served, agent: new Agent({ keepAlive: true, maxSockets: concurrency }) });
    }
    if (withFloor) {
      const port = await findFreePort();
      const prof = profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
      const served = await spawnAndWaitReady({ name: 'floor', args: [...prof, path.join(root, 'dist/bench/bench/floor-server.js'), String(port), certFile, keyFile], port, logFile: path.join(work, 'floor.log') });
      targets.push({ name: 'floor', served, agent: new Agent({ keepAlive: true, maxSockets: concurrency }) });
    }
    const figures = new Map<string, number[]>();
    const warm = async (t: Target, b: BenchBody) => drive(t.served.port, t.agent, b.json, Number(process.env.CPU_WARMUP ?? 5000));
    for (const t of targets) for (const b of bodies) await warm(t, b);
    for (let turn = 0; turn < turns; turn++) {
      const order = turn % 2 === 0 ? targets : [...targets].reverse();
      for (const b of bodies) {
        for (const t of order) {
          const pid = t.served.child.pid ?? 0;
          const before = cpuNs(pid);
          const perThread = threads ? threadNs(pid) : undefined;
          const [user0, sys0] = userSys(pid);
          await drive(t.served.port, t.agent, b.json, requests);
          const us = (cpuNs(pid) - before) / 1e3 / requests;
          if (perThread) {
            const [user1, sys1] = userSys(pid);
            process.stderr.write(`  ${b.name} ${t.name}: user ${(((user1 - user0) * 1e6) / requests).toFixed(0)} µs, system ${(((sys1 - sys0) * 1e6) / requests).toFixed(0)} µs per request\n`);
            const parts = [...threadNs(pid)].map(([k, v]) => [k, (v - (perThread.get(k) ?? 0)) / 1e3 / requests] as const).filter(([, v]) => v >= 1);
            process.stderr.write(`  ${b.name} ${t.name}: ${parts.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}\n`);
          }
          const key = `${b.name}\t${t.name}`;
          figures.set(key, [...(figures.get(key) ?? []), us]);
        }
      }
      process.stderr.write(`turn ${turn + 1}/${turns} done\n`);
    }
    process.stdout.write(`CPU µs per request (server process, all threads), ${turns} turns of ${requests} requests, ${concurrency} connections\n`);
    for (const [key, values] of figures) {
      const [body, name] = key.split('\t');
      process.stdout.write(`${(body ?? '').padEnd(26)} ${(name ?? '').padEnd(30)} median ${median(values).toFixed(1).padStart(7)}  min ${Math.min(...values).toFixed(1).padStart(7)}\n`);
    }
  } finally {
    for (const t of targets) {
      t.agent.destroy();
      await stopChild(t.served.child);
    }
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`server-cpu failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
