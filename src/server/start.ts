/**
 * Starts the webhook from resolved inputs: state, key pair, app, watchers, metrics port.
 * Shared by `vllm-guard serve` and the tests, so the tests run the real composition.
 * @module
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { buildApp, type Readiness } from './app.js';
import { DEFAULT_LIMITS, type ServeLimits } from './limits.js';
import type { RelatedSet } from '../engine/api.js';
import type { WorkloadLookup } from '../admission/autoscaler.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { createReloader, loadServingState, type Reloader, type StateSources } from './reload.js';
import { buildHttpsOptions, readTlsMaterial, watchTlsFiles, type SecureContextTarget, type TlsFiles, type TlsWatcher } from './tls.js';

export interface StartOptions {
  readonly sources: StateSources;
  readonly tls: TlsFiles;
  readonly host: string;
  readonly port: number;
  readonly metricsPort: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Watcher timings; tests shorten them. */
  readonly debounceMs?: number;
  readonly pollMs?: number;
  /** Timeouts, connection cap, body limits, review budget, reload debounce (DEFAULT_LIMITS when absent). */
  readonly limits?: ServeLimits;
  /** `--lookups`: the related set of a namespace from the lookup cache (lookups.ts). */
  readonly related?: (namespace: string) => RelatedSet | undefined;
  /** `--lookups`: the cached workload an autoscaler targets (lookups.ts). */
  readonly workload?: WorkloadLookup;
}

export interface RunningWebhook {
  readonly app: FastifyInstance;
  readonly port: number;
  readonly metricsServer: MetricsServer;
  readonly reloader: Reloader;
  readonly tlsWatcher: TlsWatcher;
  /** Stops accepting, drains in-flight reviews, stops watchers and the metrics port. */
  readonly closers: ReadonlyArray<() => Promise<void> | void>;
  close(): Promise<void>;
}

/** Throws AppError (ERR_CONFIG, ERR_POLICY, ERR_TLS) before listening when an input is unusable. */
export async function startWebhook(opts: StartOptions): Promise<RunningWebhook> {
  const { logger, metrics } = opts;
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const timings = { debounceMs: opts.debounceMs ?? limits.reloadDebounceMs, ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}) };
  const initial = loadServingState(opts.sources);
  const material = readTlsMaterial(opts.tls);
  const reloader = createReloader({ sources: opts.sources, initial, logger, metrics, ...timings });
  // The TLS watcher needs the server the app creates, and readiness (given to the app) reads the
  // watcher's certificate: it is set once the app exists.
  const tls: { watcher?: TlsWatcher } = {};
  const readiness = (): Readiness => {
    const state = reloader.get();
    const cert = tls.watcher?.current() ?? material;
    return {
      ready: true,
      checks: {
        policies: `${state.engine.policies.policies.length} loaded from ${state.engine.policies.source}`,
        certificate: `valid until ${cert.notAfter.toISOString()}`,
      },
    };
  };
  const app = buildApp({ logger, metrics, getState: () => reloader.get(), bodyLimit: initial.settings.maxBodyBytes, https: buildHttpsOptions(material),
    readiness,
    connections: limits.connections,
    body: limits.body,
    review: limits.review,
    ...(opts.related !== undefined ? { related: opts.related } : {}),
    ...(opts.workload !== undefined ? { workload: opts.workload } : {}),
  });
  await app.ready();
  // Fastify built it from the `https` option, so it is an https.Server.
  const server = app.server as unknown as SecureContextTarget;
  const watcher = watchTlsFiles({ files: opts.tls, initial: material, server, logger, metrics, ...timings });
  tls.watcher = watcher;
  const metricsServer = await startMetricsServer({ registry: metrics.registry, logger, port: opts.metricsPort, host: opts.host });
  await app.listen({ port: opts.port, host: opts.host });
  const port = (app.server.address() as AddressInfo).port;
  const closers: ReadonlyArray<() => Promise<void> | void> = [
    async () => {
      // Reviews accepted before the signal are answered in their turn (review-turns.ts) first.
      await new Promise((resolve) => setImmediate(resolve));
      await app.close();
    },
    () => reloader.close(),
    () => watcher.close(),
    () => metricsServer.close(),
  ];
  return {
    app,
    port,
    metricsServer,
    reloader,
    tlsWatcher: watcher,
    closers,
    async close() {
      for (const close of closers) await close();
    },
  };
}
