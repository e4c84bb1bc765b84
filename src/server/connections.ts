/**
 * Keeps room under the connection cap. A client can hold a slot for the whole keep-alive
 * timeout by sending one request and then nothing; enough such clients would fill the cap and
 * the API server's next connection would be dropped. Near the cap, idle connections (open, no
 * request in progress) are closed, so slots go to clients that send requests. The API server
 * reconnects on its next call; its idle connection may be among those closed, which is why
 * this happens only under pressure and not on a timer.
 * @module
 */
import type { Server } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** Fraction of the cap at which idle connections are closed. */
export const IDLE_SWEEP_AT = 0.9;
/** At most one sweep per interval: each walks every connection. */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * Applies `maxConnections` to `server` (past it, Node closes new connections as they arrive)
 * and sweeps idle connections once the count reaches IDLE_SWEEP_AT of it. Dropped connections
 * and sweeps are counted in vllm_guard_admission_errors_total.
 */
export function guardConnections(server: Server, opts: { maxConnections: number; logger: Logger; metrics: Metrics; now?: () => number }): void {
  const now = opts.now ?? (() => Date.now());
  const threshold = Math.max(1, Math.floor(opts.maxConnections * IDLE_SWEEP_AT));
  let open = 0;
  let lastSweep = Number.NEGATIVE_INFINITY;
  server.maxConnections = opts.maxConnections;
  server.on('drop', () => opts.metrics.errors.inc({ reason: 'too-many-connections' }));
  server.on('connection', (socket) => {
    open += 1;
    socket.once('close', () => {
      open -= 1;
    });
    if (open < threshold || now() - lastSweep < SWEEP_INTERVAL_MS) return;
    lastSweep = now();
    server.closeIdleConnections();
    opts.metrics.errors.inc({ reason: 'idle-connections-closed' });
    opts.logger.warn({ open, maxConnections: opts.maxConnections }, 'connections near the cap: idle connections closed');
  });
}
