/**
 * What the background audit needs to follow changes after a full list: a watch of one kind,
 * cluster-wide, from the list's resourceVersion. kube-watcher.ts is the real one (client-node's
 * Watch: `?watch=true`, one JSON event per line); tests pass the stand-in's.
 * @module
 */
import type { JsonObject } from '../engine/api.js';
import type { AuditKind } from './kinds.js';

/** ERROR carries a Status (410 Gone: the resourceVersion is too old, list again). */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchHandlers {
  onEvent(type: WatchEventType, object: JsonObject): void;
  /** The watch ended: null when the server closed it (normal, after its timeout), else the error. */
  onEnd(err: unknown): void;
}

export interface Watcher {
  /** Starts watching; resolves once the request is sent, with a function that stops it. */
  watch(kind: AuditKind, resourceVersion: string, handlers: WatchHandlers): Promise<() => void>;
}

/** `/apis/apps/v1/deployments` or `/api/v1/pods`: the cluster-wide collection of a kind. */
export function collectionPath(kind: AuditKind): string {
  const plural = kind.resource.split('.')[0] ?? kind.resource;
  return kind.apiVersion.includes('/') ? `/apis/${kind.apiVersion}/${plural}` : `/api/${kind.apiVersion}/${plural}`;
}
