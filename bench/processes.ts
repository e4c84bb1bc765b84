/**
 * Child processes for the load bench: the real webhook (`vllm-guard serve`) and the floor
 * server, each on a free port, logs to a file, with start-to-ready timing and RSS sampling.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import path from 'node:path';
import { createCertificateAuthority, issueServingCertificate } from '../src/tls/certificates.js';

export interface Served {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  /** Milliseconds from spawn to the first 200 from /readyz. */
  readonly readyMs: number;
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function getReadyz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/readyz', rejectUnauthorized: false, agent: false, timeout: 500 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export interface SpawnOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly port: number;
  /** stdout and stderr go here, never to the terminal. */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** Spawns `node ARGS` and resolves once /readyz answers 200 over HTTPS. */
export async function spawnAndWaitReady(opts: SpawnOptions): Promise<Served> {
  const log = openSync(opts.logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, opts.args, { stdio: ['ignore', log, log], env: { ...process.env, ...opts.env } });
  // Set by the exit listener; an object, so the loop below reads the current value (a `let` would
  // stay narrowed to null there, as TypeScript cannot see the listener assign it).
  const status: { exited: string | null } = { exited: null };
  child.once('exit', (code, signal) => {
    status.exited = `exited with ${code ?? signal}`;
  });
  const deadline = started + (opts.timeoutMs ?? 15_000);
  while (performance.now() < deadline) {
    if (status.exited !== null) throw new Error(`${opts.name} ${status.exited} before ready; see ${opts.logFile}`);
    if ((await getReadyz(opts.port)) === 200) return { name: opts.name, child, port: opts.port, readyMs: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill('SIGKILL');
  throw new Error(`${opts.name} not ready within ${opts.timeoutMs ?? 15_000} ms; see ${opts.logFile}`);
}

/** Resident set size of a process in MB, from /proc (Linux); null elsewhere or once it is gone. */
export function readRssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number | null } {
  let peak: number | null = null;
  const take = () => {
    const rss = readRssMb(pid);
    if (rss !== null && (peak === null || rss > peak)) peak = rss;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

/** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A throwaway CA and a serving certificate for localhost, written as `tls.crt`/`tls.key` in `dir` (key 0600). */
export async function writeBenchCertificate(dir: string): Promise<{ certFile: string; keyFile: string }> {
  const ca = await createCertificateAuthority({ commonName: 'bench CA' });
  const pair = await issueServingCertificate(ca, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const certFile = path.join(dir, 'tls.crt');
  const keyFile = path.join(dir, 'tls.key');
  writeFileSync(certFile, pair.certPem);
  writeFileSync(keyFile, pair.keyPem, { mode: 0o600 });
  return { certFile, keyFile };
}
