/**
 * The real `vllm-guard serve` as a child process, for drills and security checks, and the
 * API server's side of the conversation: POST over TLS with the cluster CA as the only root and
 * the Service name checked, as the kube-apiserver's Go client does (no kube-apiserver binary
 * exists on these machines, so the tests play its part). Certificates and policies are laid
 * out as kubelet mounts them: files behind a `..data` symlink that a rotation swaps atomically.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { createCertificateAuthority, issueServingCertificate, type CertificateAuthority } from '../../src/tls/certificates.js';
import { uninstrumentedEnv } from '../child-env.js';

export const SERVICE_NAME = 'vllm-guard.vllm-guard.svc';
export const REPO = new URL('../../', import.meta.url).pathname;
// The built bin, as deployed (npm test builds first); tsx would add seconds to every start.
const MAIN = path.join(REPO, 'dist/cli/main.js');

/** Writes `files` as a new generation of a kubelet-style mount and swaps `..data` to it. */
export function writeMountGeneration(dir: string, files: Record<string, string | Buffer>): void {
  mkdirSync(dir, { recursive: true });
  const generations = readdirSync(dir).filter((n) => n.startsWith('..gen_')).length;
  const gen = `..gen_${generations + 1}`;
  mkdirSync(path.join(dir, gen));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, gen, name), content);
  symlinkSync(gen, path.join(dir, '..data_tmp'));
  renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  for (const name of Object.keys(files)) {
    try {
      symlinkSync(path.join('..data', name), path.join(dir, name));
    } catch (err: unknown) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** The bundled policy files by name, to lay out as a ConfigMap mount. */
export function readBundledPolicies(): Record<string, Buffer> {
  const dir = path.join(REPO, 'policies');
  const out: Record<string, Buffer> = {};
  for (const name of readdirSync(dir)) {
    if (/\.ya?ml$/.test(name)) out[name] = readFileSync(path.join(dir, name));
  }
  return out;
}

export interface Pki {
  readonly ca: CertificateAuthority;
  readonly certFile: string;
  readonly keyFile: string;
  /** Issues a new serving pair from the same CA and swaps it in; returns its SHA-256 fingerprint. */
  rotate(): Promise<string>;
}

export async function createPki(dir: string): Promise<Pki> {
  const ca = await createCertificateAuthority({ commonName: 'drill cluster CA' });
  async function rotate(): Promise<string> {
    const pair = await issueServingCertificate(ca, { dnsNames: [SERVICE_NAME, 'localhost'], ipAddresses: ['127.0.0.1'] });
    writeMountGeneration(dir, { 'tls.crt': pair.certPem, 'tls.key': pair.keyPem });
    return new X509Certificate(pair.certPem).fingerprint256;
  }
  await rotate();
  return { ca, certFile: path.join(dir, 'tls.crt'), keyFile: path.join(dir, 'tls.key'), rotate };
}

export interface ChildServer {
  readonly child: ChildProcess;
  readonly port: number;
  readonly metricsPort: number;
  readonly pki: Pki;
  /** Every stdout line so far (pino JSON), parsed; stderr lines as { raw }. */
  readonly lines: Record<string, any>[];
  /** Everything the process wrote, stdout and stderr, verbatim. */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (default) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ChildOptions {
  readonly dir: string;
  /** Extra `serve` flags (--policies, --config, --client-ca, …). */
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  readonly pki?: Pki;
  readonly timeoutMs?: number;
}


/** Starts `vllm-guard serve` (the built bin) on ephemeral ports; resolves once it logs that it serves. */
export async function startChildServer(opts: ChildOptions): Promise<ChildServer> {
  const pki = opts.pki ?? (await createPki(path.join(opts.dir, 'tls')));
  const args = [MAIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--metrics-port', '0', '--tls-cert', pki.certFile, '--tls-key', pki.keyFile, ...(opts.args ?? [])];
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...uninstrumentedEnv(), LOG_LEVEL: 'info', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, any>[] = [];
  const chunks: string[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    chunks.push(text);
    pending += text;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      if (line === '') continue;
      try {
        lines.push(JSON.parse(line) as Record<string, any>);
      } catch {
        lines.push({ raw: line });
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => chunks.push(text));
  // 'close', not 'exit': the process may exit before its last stdout lines are read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let serving: Record<string, any> | undefined;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!serving) {
    if (gone) throw new Error(`vllm-guard serve exited before serving:\n${chunks.join('')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`vllm-guard serve did not start in time:\n${chunks.join('')}`);
    }
    serving = lines.find((l) => l.msg === 'vllm-guard serving');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    child,
    port: Number(serving.port),
    metricsPort: Number(serving.metricsPort),
    pki,
    lines,
    output: () => chunks.join(''),
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly body: any;
  readonly text: string;
  /** SHA-256 fingerprint of the certificate the server presented. */
  readonly certificate: string;
  /** Milliseconds from sending to the end of the response, measured here. */
  readonly ms: number;
}

export interface PostOptions {
  readonly ca: string;
  readonly agent?: Agent | false;
  readonly path?: string;
  readonly method?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly contentType?: string;
  readonly timeoutMs?: number;
}

/** One call as the API server makes it; objects go as JSON, strings and Buffers as they are. */
export function callWebhook(port: number, body: unknown, opts: PostOptions): Promise<Reply> {
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: opts.path ?? '/validate',
        method: opts.method ?? (payload === undefined ? 'GET' : 'POST'),
        servername: SERVICE_NAME,
        ca: opts.ca,
        headers: payload === undefined ? {} : { 'content-type': opts.contentType ?? 'application/json' },
        ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
        ...(opts.cert ? { cert: opts.cert, key: opts.key } : {}),
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const certificate = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let parsed: unknown = null;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = null;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text, certificate, ms: performance.now() - started });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function scrapeMetrics(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

/** The value of one sample line, e.g. `vllm_guard_policy_last_reload_success`; NaN if absent. */
export function metricValue(text: string, sample: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? Number.NaN : Number(line.slice(sample.length + 1));
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
