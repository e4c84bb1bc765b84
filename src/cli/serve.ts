/**
 * `vllm-guard serve`: the composition root of the webhook. The only place that reads the
 * environment (LOG_LEVEL); picks the key pair (or makes the development one), the host,
 * starts the webhook and installs the SIGTERM drain.
 * @module
 */
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../errors.js';
import type { Mode } from '../engine/api.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { checkAuditInterval, DEFAULT_LIMITS, parseCountFlag, parseDurationFlag, type ServeLimits } from '../server/limits.js';
import { installShutdown } from '../server/shutdown.js';
import { startWebhook } from '../server/start.js';
import type { TlsFiles } from '../server/tls.js';
import { ensureDevCertificates } from '../tls/certificates.js';

export interface ServeOptions {
  port?: number;
  metricsPort?: number;
  host?: string;
  tlsCert?: string;
  tlsKey?: string;
  clientCa?: string;
  config?: string;
  policies?: string;
  mode?: Mode;
  /** Seconds between background audits (over the config's audit.interval); 0 = off. */
  auditInterval?: number;
  /** Timeouts, connection cap, body limits, review budget (parseLimitOptions). */
  limits?: ServeLimits;
}

/** The limit flags as commander hands them over: strings, absent when not given. */
export interface LimitFlags {
  requestTimeout?: string;
  idleTimeout?: string;
  keepAliveTimeout?: string;
  maxConnections?: string;
  maxBodyDepth?: string;
  maxBodyValues?: string;
  maxPendingBodyBytes?: string;
  maxArgvBytes?: string;
  maxObjectValues?: string;
  reloadDebounce?: string;
}

/** Adds the limit flags to `serve` (docs/limits.md lists them with their reasons). */
export function addLimitOptions(command: Command): Command {
  const d = DEFAULT_LIMITS;
  return command
    .option('--request-timeout <duration>', `time to receive a whole request; keep it below the webhook's timeoutSeconds (default ${d.connections.requestTimeoutMs / 1000}s)`)
    .option('--idle-timeout <duration>', `close a connection that sends nothing, TLS handshake included (default ${d.connections.idleTimeoutMs / 1000}s)`)
    .option('--keep-alive-timeout <duration>', `close a kept-alive connection idle this long (default ${d.connections.keepAliveTimeoutMs / 1000}s, above the API server's 90 s)`)
    .option('--max-connections <n>', `connections served at once; more are closed (default ${d.connections.maxConnections})`)
    .option('--max-body-depth <n>', `deepest nesting in an AdmissionReview body (default ${d.body.maxDepth})`)
    .option('--max-body-values <n>', `most JSON values in an AdmissionReview body (default ${d.body.maxValues})`)
    .option('--max-pending-body-bytes <bytes>', `bytes of request bodies received at once (default ${d.body.maxPendingBytes / 1024 / 1024}Mi)`)
    .option('--max-argv-bytes <bytes>', `review budget: bytes of command and args in one object (default ${d.review.maxArgvBytes / 1024}Ki)`)
    .option('--max-object-values <n>', `review budget: values in one object (default ${d.review.maxNodes})`)
    .option('--reload-debounce <duration>', `quiet time after a policy or config file changes before reloading (default ${d.reloadDebounceMs}ms)`);
}

/** The limits from the flags over DEFAULT_LIMITS. Throws ERR_USAGE naming the flag for a bad value. */
export function parseLimitOptions(flags: LimitFlags): ServeLimits {
  const d = DEFAULT_LIMITS;
  const duration = (value: string | undefined, flag: string, fallback: number) => (value === undefined ? fallback : parseDurationFlag(value, flag));
  const count = (value: string | undefined, flag: string, fallback: number) => (value === undefined ? fallback : parseCountFlag(value, flag));
  return {
    connections: {
      requestTimeoutMs: duration(flags.requestTimeout, '--request-timeout', d.connections.requestTimeoutMs),
      idleTimeoutMs: duration(flags.idleTimeout, '--idle-timeout', d.connections.idleTimeoutMs),
      keepAliveTimeoutMs: duration(flags.keepAliveTimeout, '--keep-alive-timeout', d.connections.keepAliveTimeoutMs),
      maxConnections: count(flags.maxConnections, '--max-connections', d.connections.maxConnections),
    },
    body: {
      maxDepth: count(flags.maxBodyDepth, '--max-body-depth', d.body.maxDepth),
      maxValues: count(flags.maxBodyValues, '--max-body-values', d.body.maxValues),
      maxPendingBytes: count(flags.maxPendingBodyBytes, '--max-pending-body-bytes', d.body.maxPendingBytes),
    },
    review: {
      maxArgvBytes: count(flags.maxArgvBytes, '--max-argv-bytes', d.review.maxArgvBytes),
      maxNodes: count(flags.maxObjectValues, '--max-object-values', d.review.maxNodes),
    },
    reloadDebounceMs: duration(flags.reloadDebounce, '--reload-debounce', d.reloadDebounceMs),
  };
}

export const DEFAULT_PORT = 8443;
export const DEFAULT_METRICS_PORT = 9090;
export const DEV_CERT_DIR = path.join('certs', 'dev');

interface ResolvedTls {
  files: TlsFiles;
  /** The generated development pair, valid for localhost only. */
  dev: boolean;
}

async function resolveTls(options: ServeOptions, logger: Logger): Promise<ResolvedTls> {
  const clientCa = options.clientCa !== undefined ? { clientCaFile: options.clientCa } : {};
  if (options.tlsCert !== undefined || options.tlsKey !== undefined) {
    if (options.tlsCert === undefined || options.tlsKey === undefined) {
      throw new AppError('ERR_USAGE', '--tls-cert and --tls-key go together: give both, or neither for a development certificate');
    }
    return { files: { certFile: options.tlsCert, keyFile: options.tlsKey, ...clientCa }, dev: false };
  }
  const dev = await ensureDevCertificates(DEV_CERT_DIR);
  logger.info({ dir: DEV_CERT_DIR, created: dev.created }, 'no --tls-cert: serving the development certificate (localhost only)');
  return { files: { certFile: dev.certFile, keyFile: dev.keyFile, ...clientCa }, dev: true };
}

function printDevHelp(port: number, metricsPort: number): void {
  const caFile = path.join(DEV_CERT_DIR, 'ca.crt');
  const curl = (example: string) =>
    `  curl --cacert ${caFile} -H 'Content-Type: application/json' --data @examples/admission/${example}.json https://localhost:${port}/validate`;
  // stderr: stdout carries the JSON log lines.
  process.stderr.write(
    [
      `vllm-guard serves a development certificate for localhost (CA: ${caFile}). Try:`,
      curl('deny'),
      curl('warn'),
      `Metrics: http://localhost:${metricsPort}/metrics`,
      '',
    ].join('\n'),
  );
}

/** Starts the webhook; resolves once both ports listen. SIGTERM/SIGINT drain and exit. */
export async function runServe(options: ServeOptions): Promise<void> {
  // The flag is checked before anything starts: a bad interval is a usage error, not a running server.
  if (options.auditInterval !== undefined) checkAuditInterval(options.auditInterval, { flag: '--audit-interval' });
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
  const metrics = createMetrics();
  const tls = await resolveTls(options, logger);
  // In a pod the API server calls the Service, so listen on all interfaces; the development
  // certificate names only localhost, so a laptop's `npm start` stays on loopback.
  const host = options.host ?? (tls.dev ? 'localhost' : '0.0.0.0');
  const webhook = await startWebhook({
    sources: {
      configFile: options.config ?? null,
      policiesDir: options.policies ?? null,
      ...(options.mode !== undefined ? { mode: options.mode } : {}),
    },
    tls: tls.files,
    host,
    port: options.port ?? DEFAULT_PORT,
    metricsPort: options.metricsPort ?? DEFAULT_METRICS_PORT,
    logger,
    metrics,
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
  });
  const closers = [...webhook.closers];
  // The config was read once, with the policies, by the reloader: no second copy that never reloads.
  const audit = webhook.reloader.get().audit;
  let auditInterval: number;
  try {
    // The config's audit.interval is held to Node's timer range too (past it the timer fires every ms).
    auditInterval = options.auditInterval ?? checkAuditInterval(audit.interval, { configFile: options.config ?? 'the config' });
  } catch (err: unknown) {
    await webhook.close();
    throw err;
  }
  if (auditInterval > 0) {
    // Loaded only when enabled: the Kubernetes client is heavy and the webhook needs no API access.
    const { startClusterAudit } = await import('../audit/cluster-audit.js');
    try {
      const background = startClusterAudit({ ...audit, intervalSeconds: auditInterval, getEngine: () => webhook.reloader.get().engine, registry: metrics.registry, logger });
      closers.unshift(() => background.stop());
    } catch (err: unknown) {
      // Admission matters more than the audit: keep serving, and say why the audit is off.
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'background audit disabled');
    }
  }
  installShutdown({ logger, closers });
  const state = webhook.reloader.get();
  logger.info(
    {
      port: webhook.port,
      metricsPort: webhook.metricsServer.port,
      host,
      policies: state.engine.policies.policies.length,
      mode: state.engine.config.mode,
      failureMode: state.settings.failureMode,
      clientCa: options.clientCa !== undefined,
      certificateNotAfter: webhook.tlsWatcher.current().notAfter.toISOString(),
    },
    'vllm-guard serving',
  );
  if (tls.dev) printDevHelp(webhook.port, webhook.metricsServer.port);
}
