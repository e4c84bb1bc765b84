/**
 * The background audit's watches: after a full list, one watch per listed kind from the list's
 * resourceVersion feeds the WorkloadIndex, so a tick writes only the PolicyReports of namespaces
 * that changed instead of listing the whole cluster again. A watch the server closes (its timeout)
 * is opened again from the last resourceVersion seen; one that fails (410 Gone, an ERROR event,
 * a connection error) marks the state stale and the next tick lists everything again.
 * @module
 */
import type { Engine, JsonObject } from '../engine/api.js';
import { describeError } from '../errors.js';
import type { AuditKind } from './kinds.js';
import { record } from './visit.js';
import type { Watcher } from './watcher.js';
import type { WorkloadIndex } from './workload-index.js';

export interface WatchState {
  index: WorkloadIndex;
  /** The engine the index was built with: a policy reload needs a full list. */
  engine: Engine;
  /** False once a watch failed: the next tick lists again. */
  healthy: boolean;
  /** Why the state went stale, for the log. */
  staleReason: string | null;
  /** Events applied since the last tick. */
  events: number;
  stop(): void;
}

export interface WatchStartOptions {
  watcher: Watcher;
  kinds: readonly AuditKind[];
  /** Kind → the resourceVersion of its list; kinds without one are not watched (their next list comes with the next full audit). */
  versions: ReadonlyMap<string, string>;
  index: WorkloadIndex;
  engine: Engine;
  now: () => Date;
}

/** Starts the watches; resolves once every request is sent. Never throws: a watch that cannot start marks the state stale. */
export async function startWatches(options: WatchStartOptions): Promise<WatchState> {
  const stops = new Map<string, () => void>();
  let stopped = false;
  const state: WatchState = {
    index: options.index,
    engine: options.engine,
    healthy: true,
    staleReason: null,
    events: 0,
    stop() {
      stopped = true;
      for (const stop of stops.values()) stop();
      stops.clear();
    },
  };
  const stale = (reason: string): void => {
    if (!state.healthy) return;
    state.healthy = false;
    state.staleReason = reason;
  };
  const open = async (kind: AuditKind, from: string): Promise<void> => {
    let version = from;
    try {
      const stop = await options.watcher.watch(kind, version, {
        onEvent(type, object: JsonObject) {
          if (stopped) return;
          const seen = record(object.metadata).resourceVersion;
          if (typeof seen === 'string' && seen) version = seen;
          if (type === 'ERROR') return stale(`watch of ${kind.kind}: ${typeof object.message === 'string' ? object.message : 'an ERROR event'}`);
          if (type === 'BOOKMARK') return;
          state.events += 1;
          state.index.apply(options.engine, type, object, options.now());
        },
        onEnd(err) {
          stops.delete(kind.kind);
          if (stopped) return;
          if (err) return stale(`watch of ${kind.kind} ended: ${describeError(err)}`);
          // Closed by the server after its timeout: carry on from the last version seen.
          void open(kind, version);
        },
      });
      if (stopped) stop();
      else stops.set(kind.kind, stop);
    } catch (err: unknown) {
      stale(`watch of ${kind.kind} could not start: ${describeError(err)}`);
    }
  };
  await Promise.all(options.kinds.filter((k) => options.versions.has(k.kind)).map((k) => open(k, options.versions.get(k.kind) as string)));
  return state;
}
