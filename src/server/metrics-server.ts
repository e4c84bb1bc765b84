/**
 * Plain HTTP /metrics on its own port, so Prometheus needs no TLS setup and scraping never
 * queues behind admission traffic.
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../observability/logger.js';

export interface MetricsServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  readonly registry: Registry;
  readonly logger: Logger;
  readonly port: number;
  readonly host: string;
}

/**
 * Bounds for the metrics port, which any pod that can reach it may open: a scrape is one short
 * GET, so a request gets 10 s, a silent connection 30 s, and 64 connections are plenty for
 * a few Prometheus replicas.
 */
export const METRICS_SERVER_LIMITS = { requestTimeoutMs: 10_000, idleTimeoutMs: 30_000, maxConnections: 64 } as const;

/**
 * The body of a 404 on the metrics port: what this port serves and where the probes are (the
 * request's own path is not echoed back).
 */
export const METRICS_NOT_FOUND = 'not found: this port serves only GET /metrics; /healthz and /readyz are on the webhook (HTTPS) port\n';

/** Listens on opts.host:opts.port (0: any free port) with METRICS_SERVER_LIMITS; rejects when the port cannot be bound. */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const limits = METRICS_SERVER_LIMITS;
  const server = createServer({ requestTimeout: limits.requestTimeoutMs, headersTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1_000 }, (req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(METRICS_NOT_FOUND);
      return;
    }
    opts.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': opts.registry.contentType }).end(text),
      (err: unknown) => {
        opts.logger.error({ err }, 'cannot collect metrics');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('cannot collect metrics\n');
      },
    );
  });
  server.setTimeout(limits.idleTimeoutMs);
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeIdleConnections();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
