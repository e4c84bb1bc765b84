/**
 * Graceful stop on SIGTERM: stop accepting connections, let in-flight reviews finish,
 * close watchers and the metrics port, exit within the grace period whatever happens.
 * @module
 */
import type { Logger } from '../observability/logger.js';

/** Kubernetes waits 30 s by default before SIGKILL; finish well inside it. */
export const DEFAULT_GRACE_MS = 25_000;
/** The most the last log lines may hold up the exit (a reader that stopped reading the pipe). */
const LOG_FLUSH_CEILING_MS = 2_000;

/**
 * Resolves once the logger's buffered lines are written (pino's flush), or after LOG_FLUSH_CEILING_MS.
 * Exiting without it could let the exit handler's synchronous flush write the last lines ('stopped')
 * ahead of an asynchronous write still in flight (a review's line), or cut one short. Never rejects.
 */
function flushed(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const ceiling = setTimeout(resolve, LOG_FLUSH_CEILING_MS);
    ceiling.unref();
    try {
      logger.flush(() => {
        clearTimeout(ceiling);
        resolve();
      });
    } catch {
      resolve();
    }
  });
}

export interface ShutdownOptions {
  readonly logger: Logger;
  /** Run in order: first the HTTPS app (drains in-flight requests), then the rest. */
  readonly closers: ReadonlyArray<() => Promise<void> | void>;
  readonly graceMs?: number;
  readonly signals?: readonly NodeJS.Signals[];
  /** process.exit by default; injectable for tests. */
  readonly exit?: (code: number) => void;
  /** Where signals come from; process by default. */
  readonly emitter?: Pick<NodeJS.Process, 'once' | 'off'>;
}

/** Installs the handlers; returns a function that shuts down now, and is what the signals call. */
export function installShutdown(opts: ShutdownOptions): () => Promise<void> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const emitter = opts.emitter ?? process;
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  let running: Promise<void> | undefined;

  async function shutdown(signal: string): Promise<void> {
    for (const s of signals) emitter.off(s, onSignal);
    opts.logger.info({ signal, graceMs }, 'shutting down: draining in-flight reviews');
    const deadline = setTimeout(() => {
      opts.logger.error({ graceMs }, 'grace period over; exiting with reviews still open');
      exit(1);
    }, graceMs);
    deadline.unref();
    let code = 0;
    for (const close of opts.closers) {
      try {
        await close();
      } catch (err: unknown) {
        code = 1;
        opts.logger.error({ err }, 'error while shutting down');
      }
    }
    clearTimeout(deadline);
    opts.logger.info({ code }, 'stopped');
    await flushed(opts.logger);
    exit(code);
  }

  function onSignal(signal: NodeJS.Signals): void {
    running ??= shutdown(signal);
  }

  // once: a second signal finds no handler and ends the process at once, as a second Ctrl-C should.
  for (const s of signals) emitter.once(s, onSignal);
  return () => {
    running ??= shutdown('manual');
    return running;
  };
}
