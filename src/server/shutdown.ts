/**
 * Graceful stop on SIGTERM: stop accepting connections, let in-flight reviews finish,
 * close watchers and the metrics port, exit within the grace period whatever happens.
 * @module
 */
import type { Logger } from '../observability/logger.js';

/** Kubernetes waits 30 s by default before SIGKILL; finish well inside it. */
export const DEFAULT_GRACE_MS = 25_000;

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
