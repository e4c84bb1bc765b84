/**
 * The Watcher over @kubernetes/client-node's Watch (list+watch, not an informer: an informer's
 * cache keeps every object whole, and the audit keeps only findings).
 * @module
 */
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { JsonObject } from '../engine/api.js';
import type { AuditKind } from './kinds.js';
import { collectionPath, type WatchEventType, type WatchHandlers, type Watcher } from './watcher.js';

/** Events arrive in their wire shape (kind and apiVersion set), as list items after kube-lister's toWire. */
export function createKubeWatcher(config: KubeConfig): Watcher {
  const client = new Watch(config);
  return {
    async watch(kind: AuditKind, resourceVersion: string, handlers: WatchHandlers): Promise<() => void> {
      const controller = await client.watch(
        collectionPath(kind),
        { resourceVersion, allowWatchBookmarks: true },
        (type: string, object: unknown) => {
          const wire = { apiVersion: kind.apiVersion, kind: kind.kind, ...(object as JsonObject) };
          handlers.onEvent(type as WatchEventType, type === 'ERROR' ? (object as JsonObject) : wire);
        },
        (err: unknown) => handlers.onEnd(err ?? null),
      );
      return () => controller.abort();
    },
  };
}
