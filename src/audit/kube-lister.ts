/**
 * The Lister over @kubernetes/client-node's typed APIs, with `limit`/`continue` paging.
 * Items come back in their wire shape (kind and apiVersion added: list items carry neither).
 * @module
 */
import { ApiException, AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { JsonObject } from '../engine/api.js';
import { describeError } from '../errors.js';
import type { AuditKind } from './kinds.js';
import { ListFailure, reasonOfStatus, type ListPage, type Lister, type ListRequest } from './lister.js';

interface TypedList {
  items: unknown[];
  metadata?: { _continue?: string };
}

interface Page {
  limit: number;
  _continue?: string;
}

type ListCall = (namespace: string | null, page: Page) => Promise<TypedList>;

function buildCalls(config: KubeConfig): Record<string, ListCall> {
  const core = config.makeApiClient(CoreV1Api);
  const apps = config.makeApiClient(AppsV1Api);
  const batch = config.makeApiClient(BatchV1Api);
  const custom = config.makeApiClient(CustomObjectsApi);
  const lws = { group: 'leaderworkerset.x-k8s.io', version: 'v1', plural: 'leaderworkersets' };
  return {
    Pod: (ns, p) => (ns ? core.listNamespacedPod({ namespace: ns, ...p }) : core.listPodForAllNamespaces(p)),
    // Related objects of the core group (audit/related-kinds.ts); the grouped ones go through customCall.
    Service: (ns, p) => (ns ? core.listNamespacedService({ namespace: ns, ...p }) : core.listServiceForAllNamespaces(p)),
    PersistentVolumeClaim: (ns, p) =>
      ns ? core.listNamespacedPersistentVolumeClaim({ namespace: ns, ...p }) : core.listPersistentVolumeClaimForAllNamespaces(p),
    ReplicationController: (ns, p) =>
      ns ? core.listNamespacedReplicationController({ namespace: ns, ...p }) : core.listReplicationControllerForAllNamespaces(p),
    Deployment: (ns, p) => (ns ? apps.listNamespacedDeployment({ namespace: ns, ...p }) : apps.listDeploymentForAllNamespaces(p)),
    StatefulSet: (ns, p) => (ns ? apps.listNamespacedStatefulSet({ namespace: ns, ...p }) : apps.listStatefulSetForAllNamespaces(p)),
    DaemonSet: (ns, p) => (ns ? apps.listNamespacedDaemonSet({ namespace: ns, ...p }) : apps.listDaemonSetForAllNamespaces(p)),
    ReplicaSet: (ns, p) => (ns ? apps.listNamespacedReplicaSet({ namespace: ns, ...p }) : apps.listReplicaSetForAllNamespaces(p)),
    Job: (ns, p) => (ns ? batch.listNamespacedJob({ namespace: ns, ...p }) : batch.listJobForAllNamespaces(p)),
    CronJob: (ns, p) => (ns ? batch.listNamespacedCronJob({ namespace: ns, ...p }) : batch.listCronJobForAllNamespaces(p)),
    // Custom objects are returned as plain JSON, continue token and all.
    LeaderWorkerSet: async (ns, p) => {
      const raw = (ns ? await custom.listNamespacedCustomObject({ ...lws, namespace: ns, ...p }) : await custom.listClusterCustomObject({ ...lws, ...p })) as {
        items?: unknown[];
        metadata?: { continue?: string };
      };
      return { items: raw.items ?? [], metadata: raw.metadata?.continue ? { _continue: raw.metadata.continue } : {} };
    },
  };
}

/**
 * A list call for any kind of a named API group, from its AuditKind (`resource` = plural.group):
 * the related kinds (NetworkPolicy, HPA, ServiceMonitor, InferencePool, …) are read as plain JSON.
 */
function customCall(config: KubeConfig, kind: AuditKind): ListCall | undefined {
  const [group, version] = kind.apiVersion.split('/');
  const plural = kind.resource.split('.')[0];
  if (!group || !version || !plural) return undefined;
  const custom = config.makeApiClient(CustomObjectsApi);
  const ref = { group, version, plural };
  return async (ns, p) => {
    const raw = (ns ? await custom.listNamespacedCustomObject({ ...ref, namespace: ns, ...p }) : await custom.listClusterCustomObject({ ...ref, ...p })) as {
      items?: unknown[];
      metadata?: { continue?: string };
    };
    return { items: raw.items ?? [], metadata: raw.metadata?.continue ? { _continue: raw.metadata.continue } : {} };
  };
}

/** The Status message the API server sent, when the body is one. */
function statusMessage(body: unknown): string | null {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.trim().slice(0, 300) || null;
    }
  }
  const message = (value as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : null;
}

/** Turns what the client threw into a ListFailure: an HTTP status, or no answer at all. */
export function toListFailure(err: unknown): ListFailure {
  if (err instanceof ListFailure) return err;
  if (err instanceof ApiException) {
    const status = (err as ApiException<unknown>).code;
    const message = statusMessage((err as ApiException<unknown>).body) ?? `HTTP ${status}`;
    return new ListFailure(reasonOfStatus(status), status, `${status} ${message}`, { cause: err });
  }
  return new ListFailure('unreachable', null, `no answer from the API server (${describeError(err)})`, { cause: err });
}

/** Through JSON once: dates become RFC 3339 strings and model classes plain objects, as on the wire. */
function toWire(item: unknown, kind: AuditKind): JsonObject {
  const plain = JSON.parse(JSON.stringify(item)) as JsonObject;
  return { apiVersion: kind.apiVersion, kind: kind.kind, ...plain };
}

export function createKubeLister(config: KubeConfig): Lister {
  const calls = buildCalls(config);
  return {
    async list(kind: AuditKind, request: ListRequest): Promise<ListPage> {
      const call = calls[kind.kind] ?? customCall(config, kind);
      if (!call) throw new ListFailure('failed', null, `no list call for ${kind.kind}`);
      let page: TypedList;
      try {
        page = await call(request.namespace, { limit: request.limit, ...(request.continueToken ? { _continue: request.continueToken } : {}) });
      } catch (err: unknown) {
        throw toListFailure(err);
      }
      const continueToken = page.metadata?._continue;
      return { items: page.items.map((item) => toWire(item, kind)), ...(continueToken ? { continueToken } : {}) };
    },
  };
}
