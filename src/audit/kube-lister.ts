/**
 * The Lister over the API server: one plain GET per page (`limit`/`continue`) through kube-http.ts,
 * the body parsed once. Items come back in their wire shape (kind and apiVersion added: list items
 * of the built-in APIs carry neither).
 * @module
 */
import { ApiException } from '@kubernetes/client-node';
import type { JsonObject } from '../engine/api.js';
import { describeError } from '../errors.js';
import type { AuditKind } from './kinds.js';
import { collectionPath, createKubeHttp, statusMessage, type KubeHttp } from './kube-http.js';
import { ListFailure, reasonOfStatus, type ListPage, type Lister, type ListRequest } from './lister.js';
import type { KubeConfig } from '@kubernetes/client-node';

interface WireList {
  items?: unknown;
  metadata?: { continue?: unknown; resourceVersion?: unknown };
}

interface WireGroupList {
  groups?: unknown;
}

/** Every group/version in an APIGroupList (`GET /apis`); the core group (`v1`) is always served. */
async function discover(http: KubeHttp): Promise<ReadonlySet<string> | null> {
  try {
    const list = (await http.getJson('/apis')) as WireGroupList | null;
    // Not an APIGroupList (no groups, a group without versions): no discovery.
    if (!Array.isArray(list?.groups)) return null;
    const served = new Set(['v1']);
    for (const group of list.groups as { versions?: unknown }[]) {
      if (!Array.isArray(group.versions)) return null;
      for (const v of group.versions as { groupVersion?: unknown }[]) if (typeof v.groupVersion === 'string') served.add(v.groupVersion);
    }
    return served;
  } catch {
    // No discovery (a proxy that refuses it, no answer): the lists themselves will say what is served.
    return null;
  }
}

/** Turns what a client call threw into a ListFailure: an HTTP status, or no answer at all. */
export function toListFailure(err: unknown): ListFailure {
  if (err instanceof ListFailure) return err;
  if (err instanceof ApiException) {
    const status = (err as ApiException<unknown>).code;
    const message = statusMessage((err as ApiException<unknown>).body) ?? `HTTP ${status}`;
    return new ListFailure(reasonOfStatus(status), status, `${status} ${message}`, { cause: err });
  }
  return new ListFailure('unreachable', null, `no answer from the API server (${describeError(err)})`, { cause: err });
}

/** An item of a list in its wire shape: apiVersion and kind first, the item's own when it has them. */
function toWire(item: unknown, kind: AuditKind): JsonObject {
  return { apiVersion: kind.apiVersion, kind: kind.kind, ...(item as JsonObject) };
}

/**
 * The Lister over the cluster: a GET of the kind's collection at its group/version, in the namespace
 * when one is given and the kind is namespaced (a cluster-scoped kind is always listed cluster-wide).
 */
export function createKubeLister(config: KubeConfig): Lister {
  const http = createKubeHttp(config);
  return {
    servedApiVersions: () => discover(http),
    async list(kind: AuditKind, request: ListRequest): Promise<ListPage> {
      const path = collectionPath(kind.apiVersion, kind.plural, request.namespace !== null && kind.namespaced ? request.namespace : null);
      const page = (await http.getJson(path, { limit: request.limit, continue: request.continueToken || undefined })) as WireList | null;
      const items = Array.isArray(page?.items) ? (page.items as unknown[]) : [];
      const continueToken = page?.metadata?.continue;
      const resourceVersion = page?.metadata?.resourceVersion;
      return {
        items: items.map((item) => toWire(item, kind)),
        ...(typeof continueToken === 'string' && continueToken ? { continueToken } : {}),
        ...(typeof resourceVersion === 'string' && resourceVersion ? { resourceVersion } : {}),
      };
    },
  };
}
