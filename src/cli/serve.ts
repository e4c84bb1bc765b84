/**
 * `vllm-guard serve`: the composition root of the webhook. The only place that reads the
 * environment (LOG_LEVEL); picks the key pair (or makes the development one), the host,
 * starts the webhook and installs the SIGTERM drain.
 * @module
 */
import path from 'node:path';
import { AppError } from '../errors.js';
import type { Mode } from '../engine/api.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { checkAuditInterval, type ServeLimits } from '../server/limits.js';
import { installShutdown } from '../server/shutdown.js';
import { startWebhook } from '../server/start.js';
import type { TlsFiles } from '../server/tls.js';
import type { LookupCache } from '../server/lookups.js';
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
  /** Resolve related objects at admission from a watch-backed cache (also the config's `lookups`). */
  lookups?: boolean;
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

/** The lookup cache, loaded only when enabled: the Kubernetes client is heavy and otherwise unused. */
async function startLookups(logger: Logger): Promise<LookupCache> {
  const [{ loadKubeConfig }, { startLookupCache }] = await Promise.all([import('../audit/kubeconfig.js'), import('../server/lookups.js')]);
  const cache = startLookupCache(loadKubeConfig({}), { onError: (kind, reason) => logger.warn({ kind, reason }, 'admission lookup failed; its related facts are unknown until it recovers') });
  logger.info({ lookups: true }, 'admission lookups: watching the related kinds cluster-wide');
  return cache;
}

/** Starts the webhook; resolves once both ports listen. SIGTERM/SIGINT drain and exit. */
export async function runServe(options: ServeOptions): Promise<void> {
  // The flag is checked before anything starts: a bad interval is a usage error, not a running server.
  if (options.auditInterval !== undefined) checkAuditInterval(options.auditInterval, { flag: '--audit-interval' });
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info', buffered: true });
  const metrics = createMetrics();
  const tls = await resolveTls(options, logger);
  // In a pod the API server calls the Service, so listen on all interfaces; the development
  // certificate names only localhost, so a laptop's `npm start` stays on loopback.
  const host = options.host ?? (tls.dev ? 'localhost' : '0.0.0.0');
  // Set once the lookup cache starts (after the config is read); until then related facts are unknown.
  let lookups: LookupCache | undefined;
  const webhook = await startWebhook({
    related: (namespace) => lookups?.relatedFor(namespace),
    workload: (namespace, kind, name) => lookups?.workload(namespace, kind, name),
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
  if (options.lookups === true || webhook.reloader.get().settings.lookups) {
    try {
      lookups = await startLookups(logger);
      const cache = lookups;
      closers.unshift(() => cache.stop());
    } catch (err: unknown) {
      // Admission matters more than the lookups: keep serving with related facts unknown.
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'admission lookups disabled');
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
