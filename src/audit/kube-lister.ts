/**
 * The Lister over @kubernetes/client-node's typed APIs, with `limit`/`continue` paging.
 * Items come back in their wire shape (kind and apiVersion added: list items carry neither).
 * @module
 */
import { ApiException, ApisApi, AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { JsonObject } from '../engine/api.js';
import { describeError } from '../errors.js';
import type { AuditKind } from './kinds.js';
import { ListFailure, reasonOfStatus, type ListPage, type Lister, type ListRequest } from './lister.js';

interface TypedList {
  items: unknown[];
  metadata?: { _continue?: string; resourceVersion?: string };
}

interface Page {
  limit: number;
  _continue?: string;
}

type ListCall = (namespace: string | null, page: Page) => Promise<TypedList>;

function builtInCalls(config: KubeConfig): Record<string, ListCall> {
  const core = config.makeApiClient(CoreV1Api);
  const apps = config.makeApiClient(AppsV1Api);
  const batch = config.makeApiClient(BatchV1Api);
  return {
    Pod: (ns, p) => (ns ? core.listNamespacedPod({ namespace: ns, ...p }) : core.listPodForAllNamespaces(p)),
    // Related objects of the core group (audit/related-kinds.ts); the grouped ones go through customCall.
    Service: (ns, p) => (ns ? core.listNamespacedService({ namespace: ns, ...p }) : core.listServiceForAllNamespaces(p)),
    PersistentVolumeClaim: (ns, p) =>
      ns ? core.listNamespacedPersistentVolumeClaim({ namespace: ns, ...p }) : core.listPersistentVolumeClaimForAllNamespaces(p),
    ConfigMap: (ns, p) => (ns ? core.listNamespacedConfigMap({ namespace: ns, ...p }) : core.listConfigMapForAllNamespaces(p)),
    ReplicationController: (ns, p) =>
      ns ? core.listNamespacedReplicationController({ namespace: ns, ...p }) : core.listReplicationControllerForAllNamespaces(p),
    Deployment: (ns, p) => (ns ? apps.listNamespacedDeployment({ namespace: ns, ...p }) : apps.listDeploymentForAllNamespaces(p)),
    StatefulSet: (ns, p) => (ns ? apps.listNamespacedStatefulSet({ namespace: ns, ...p }) : apps.listStatefulSetForAllNamespaces(p)),
    DaemonSet: (ns, p) => (ns ? apps.listNamespacedDaemonSet({ namespace: ns, ...p }) : apps.listDaemonSetForAllNamespaces(p)),
    ReplicaSet: (ns, p) => (ns ? apps.listNamespacedReplicaSet({ namespace: ns, ...p }) : apps.listReplicaSetForAllNamespaces(p)),
    Job: (ns, p) => (ns ? batch.listNamespacedJob({ namespace: ns, ...p }) : batch.listJobForAllNamespaces(p)),
    CronJob: (ns, p) => (ns ? batch.listNamespacedCronJob({ namespace: ns, ...p }) : batch.listCronJobForAllNamespaces(p)),
  };
}

/**
 * A CRD (LeaderWorkerSet, the serving kinds) through CustomObjectsApi at the kind's group/version:
 * plain JSON back, continue token and all. A cluster-scoped kind is always listed cluster-wide.
 */
async function listCustom(custom: CustomObjectsApi, kind: AuditKind, namespace: string | null, page: Page): Promise<TypedList> {
  const version = kind.apiVersion.slice(kind.apiVersion.indexOf('/') + 1);
  const target = { group: kind.group, version, plural: kind.plural, ...page };
  const raw = (namespace && kind.namespaced ? await custom.listNamespacedCustomObject({ ...target, namespace }) : await custom.listClusterCustomObject(target)) as {
    items?: unknown[];
    metadata?: { continue?: string; resourceVersion?: string };
  };
  const { continue: next, resourceVersion } = raw.metadata ?? {};
  return { items: raw.items ?? [], metadata: { ...(next ? { _continue: next } : {}), ...(resourceVersion ? { resourceVersion } : {}) } };
}

/** Every group/version in an APIGroupList (`GET /apis`); the core group (`v1`) is always served. */
async function discover(apis: ApisApi): Promise<ReadonlySet<string> | null> {
  try {
    const list = await apis.getAPIVersions();
    return new Set(['v1', ...list.groups.flatMap((group) => group.versions.map((v) => v.groupVersion))]);
  } catch {
    // No discovery (a proxy that refuses it, no answer): the lists themselves will say what is served.
    return null;
  }
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

/** The Lister over the cluster: typed calls for the built-in kinds, CustomObjectsApi for every CRD. */
export function createKubeLister(config: KubeConfig): Lister {
  const calls = builtInCalls(config);
  const custom = config.makeApiClient(CustomObjectsApi);
  const apis = config.makeApiClient(ApisApi);
  return {
    servedApiVersions: () => discover(apis),
    async list(kind: AuditKind, request: ListRequest): Promise<ListPage> {
      const typed = kind.optional ? undefined : calls[kind.kind];
      const call: ListCall = typed ?? ((ns, p) => listCustom(custom, kind, ns, p));
      let page: TypedList;
      try {
        page = await call(request.namespace, { limit: request.limit, ...(request.continueToken ? { _continue: request.continueToken } : {}) });
      } catch (err: unknown) {
        throw toListFailure(err);
      }
      const continueToken = page.metadata?._continue;
      const resourceVersion = page.metadata?.resourceVersion;
      return { items: page.items.map((item) => toWire(item, kind)), ...(continueToken ? { continueToken } : {}), ...(resourceVersion ? { resourceVersion } : {}) };
    },
  };
}
