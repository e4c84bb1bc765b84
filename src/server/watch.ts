/**
 * Watches directories for the reloaders (policies, config, certificates): fs.watch with a
 * debounce, plus a poll that also re-watches. Directories, not files: Kubernetes updates a
 * mounted ConfigMap or Secret by swapping the ..data symlink beside the files, and a directory
 * deleted and recreated leaves a dead watch that only a fresh one notices.
 * @module
 */
import { watch, type FSWatcher } from 'node:fs';
import { describeError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { checkTimerMs } from './limits.js';

export interface DirectoryWatchOptions {
  dirs: readonly string[];
  /** Called after changes settle and on every poll; it decides whether anything changed. */
  onChange: () => void;
  debounceMs: number;
  pollMs: number;
  logger: Logger;
}

export interface DirectoryWatch {
  /** Drop every watch and watch afresh (after a change that may have replaced a directory). */
  rewatch(): void;
  close(): void;
}

/** Throws RangeError when debounceMs or pollMs is outside Node's timer range (it would fire every millisecond). */
export function watchDirectories(opts: DirectoryWatchOptions): DirectoryWatch {
  checkTimerMs(opts.debounceMs, 'debounceMs');
  checkTimerMs(opts.pollMs, 'pollMs');
  const watchers = new Map<string, FSWatcher>();
  let debounce: NodeJS.Timeout | undefined;
  let closed = false;

  function schedule(): void {
    if (closed) return;
    clearTimeout(debounce);
    debounce = setTimeout(opts.onChange, opts.debounceMs);
    debounce.unref();
  }

  function ensureWatchers(): void {
    for (const dir of opts.dirs) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, schedule);
        // A deleted directory ends its watcher; the poll watches it again once it is back.
        watcher.on('error', () => {
          watcher.close();
          watchers.delete(dir);
          schedule();
        });
        watchers.set(dir, watcher);
      } catch (err: unknown) {
        opts.logger.warn({ dir, error: describeError(err) }, 'cannot watch directory; polling until it can');
      }
    }
  }

  function closeWatchers(): void {
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  }

  ensureWatchers();
  const poll = setInterval(() => {
    ensureWatchers();
    opts.onChange();
  }, opts.pollMs);
  poll.unref();

  return {
    rewatch() {
      closeWatchers();
      ensureWatchers();
    },
    close() {
      closed = true;
      clearTimeout(debounce);
      clearInterval(poll);
      closeWatchers();
    },
  };
}
