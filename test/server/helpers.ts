/**
 * The API server's side of the webhook, for tests. There is no kube-apiserver binary on
 * these machines, so the tests play its part over real TLS: POST with
 * Content-Type: application/json, the CA bundle as the only trusted root, the Service
 * DNS name checked against the certificate, and a keep-alive agent, as its Go client does.
 */
import { cpSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createHash, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { startWebhook, type RunningWebhook } from '../../src/server/start.js';
import type { StateSources } from '../../src/server/reload.js';
import { createCertificateAuthority, issueServingCertificate, type CertificateAuthority } from '../../src/tls/certificates.js';

export const SERVICE_NAME = 'vllm-guard.vllm-guard.svc';
export const FIXTURE_POLICIES = new URL('../fixtures/policies/server/', import.meta.url).pathname;
/** Values planted in the fixtures where secrets sit in real manifests: env, args, annotations. */
export const SECRET_CANARIES = ['canary-secret-env-value-7f3a9c', 'canary-secret-arg-value-51e0d2', 'canary-secret-annotation-91bd44'];

export function loadReview(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../fixtures/admission/${name}`, import.meta.url), 'utf8')) as Record<string, any>;
}

/** Collects pino's JSON lines, as pino's own tests do with a sink. */
export function createLogSink(): { logger: Logger; lines: Record<string, any>[]; raw: string[] } {
  const lines: Record<string, any>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, any>);
      }
      done();
    },
  });
  return { logger: createLogger({ destination: stream }), lines, raw };
}

export interface Pki {
  dir: string;
  ca: CertificateAuthority;
  caPem: string;
  certFile: string;
  keyFile: string;
  /** Issues a new serving pair from the same CA and swaps it in as a Secret mount does. */
  rotate(): Promise<string>;
}

export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/**
 * Lays the pair out like a mounted Secret: tls.crt → ..data/tls.crt, ..data → a timestamped
 * directory; rotation writes a new directory and renames a new ..data link over the old one.
 */
export async function createPki(dir: string): Promise<Pki> {
  const ca = await createCertificateAuthority({ commonName: 'test cluster CA' });
  let generation = 0;
  const { symlinkSync } = await import('node:fs');
  async function writeGeneration(): Promise<string> {
    const pair = await issueServingCertificate(ca, { dnsNames: [SERVICE_NAME, 'localhost'], ipAddresses: ['127.0.0.1'] });
    generation += 1;
    const gen = `..gen_${generation}`;
    mkdirSync(path.join(dir, gen), { recursive: true });
    writeFileSync(path.join(dir, gen, 'tls.crt'), pair.certPem);
    writeFileSync(path.join(dir, gen, 'tls.key'), pair.keyPem);
    symlinkSync(gen, path.join(dir, '..data_tmp'));
    renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
    return fingerprintOf(pair.certPem);
  }
  mkdirSync(dir, { recursive: true });
  await writeGeneration();
  symlinkSync('..data/tls.crt', path.join(dir, 'tls.crt'));
  symlinkSync('..data/tls.key', path.join(dir, 'tls.key'));
  writeFileSync(path.join(dir, 'ca.crt'), ca.certPem);
  return { dir, ca, caPem: ca.certPem, certFile: path.join(dir, 'tls.crt'), keyFile: path.join(dir, 'tls.key'), rotate: writeGeneration };
}

export interface TestWebhook extends RunningWebhook {
  metrics: Metrics;
  lines: Record<string, any>[];
  raw: string[];
  pki: Pki;
  agent: Agent;
}

export interface StartTestOptions {
  dir: string;
  sources?: Partial<StateSources>;
  clientCaFile?: string;
}

/** The real webhook on 127.0.0.1 with ephemeral ports, logs captured, watchers quick. */
export async function startTestWebhook(opts: StartTestOptions): Promise<TestWebhook> {
  const pki = await createPki(path.join(opts.dir, 'tls'));
  const sink = createLogSink();
  const metrics = createMetrics();
  const webhook = await startWebhook({
    sources: { configFile: null, policiesDir: FIXTURE_POLICIES, ...opts.sources },
    tls: { certFile: pki.certFile, keyFile: pki.keyFile, ...(opts.clientCaFile ? { clientCaFile: opts.clientCaFile } : {}) },
    host: '127.0.0.1',
    port: 0,
    metricsPort: 0,
    logger: sink.logger,
    metrics,
    debounceMs: 30,
    pollMs: 200,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: pki.caPem, servername: SERVICE_NAME });
  return Object.assign(webhook, { metrics, lines: sink.lines, raw: sink.raw, pki, agent });
}

export interface Reply {
  status: number;
  body: any;
  text: string;
  /** SHA-256 fingerprint of the certificate the server presented on this connection. */
  certificate: string;
}

export interface PostOptions {
  agent?: Agent | false;
  ca?: string;
  contentType?: string | null;
  cert?: string;
  key?: string;
  method?: string;
}

/** One call as the API server makes it. `body` objects are sent as JSON, strings and Buffers as is. */
export function callWebhook(port: number, urlPath: string, body: unknown, opts: PostOptions = {}): Promise<Reply> {
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string> = {};
  if (opts.contentType !== null && payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: opts.method ?? (payload === undefined ? 'GET' : 'POST'),
        servername: SERVICE_NAME,
        headers,
        ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
        ...(opts.ca ? { ca: opts.ca } : {}),
        ...(opts.cert ? { cert: opts.cert, key: opts.key } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        const socket = res.socket as import('node:tls').TLSSocket;
        const certificate = socket.getPeerCertificate().fingerprint256;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = null;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = null;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text, certificate });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** The text Prometheus would scrape. */
export async function scrapeMetrics(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

export function copyPolicies(to: string): string {
  cpSync(FIXTURE_POLICIES, to, { recursive: true });
  return to;
}

/** Waits until `check` holds, polling; fails the test with `what` after `ms`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
