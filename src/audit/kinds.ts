/**
 * The kinds the audit lists, owners before what they own, so a Pod or ReplicaSet whose
 * controller was already checked can be passed over. The serving CRDs come from the engine's
 * kind table (SERVING_KINDS, through src/engine/api.ts), so every kind the engine reviews is
 * listed and deploy/base/rbac.yaml is tested against this same list.
 * @module
 */
import { SERVING_KINDS, type ServingKind } from '../engine/api.js';

export interface AuditKind {
  kind: string;
  /** The group/version listed; for a CRD, the first of `apiVersions` the cluster serves. */
  apiVersion: string;
  /** Every group/version the audit can read this kind at, preferred first. */
  apiVersions: readonly string[];
  /** The API group: '' for the core group. */
  group: string;
  /** The plural resource in URLs (`deployments`). */
  plural: string;
  /** The resource name in RBAC and hints (`deployments.apps`). */
  resource: string;
  /** False for a cluster-scoped kind (ClusterServingRuntime): listed cluster-wide, never per namespace. */
  namespaced: boolean;
  /** A CRD that many clusters do not have: an API that is not served is a note, not a gap. */
  optional: boolean;
}

/** A kind served at one group/version (a built-in API, or a CRD read at one version). */
export function builtIn(kind: string, apiVersion: string, plural: string): AuditKind {
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  return { kind, apiVersion, apiVersions: [apiVersion], group, plural, resource: group ? `${plural}.${group}` : plural, namespaced: true, optional: false };
}

/** Kubernetes version priority (GA > beta > alpha, then the higher number), as API discovery orders them. */
function versionRank(version: string): number {
  const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!match) return -1;
  const stage = match[2] === undefined ? 2 : match[2] === 'beta' ? 1 : 0;
  return stage * 1_000_000 + Number(match[1]) * 1_000 + Number(match[3] ?? 0);
}

/** A serving CRD of the engine's table as the audit lists it: its newest version first. */
export function servingAuditKind(serving: ServingKind): AuditKind {
  const versions = [...serving.versions].sort((a, b) => versionRank(b) - versionRank(a)).map((v) => `${serving.group}/${v}`);
  return {
    kind: serving.kind,
    apiVersion: versions[0] ?? serving.group,
    apiVersions: versions,
    group: serving.group,
    plural: serving.resource,
    resource: `${serving.resource}.${serving.group}`,
    namespaced: serving.namespaced,
    optional: true,
  };
}

/**
 * The serving CRDs first: they own Deployments (KServe), Pods (KubeRay), StatefulSets (LWS), so
 * those children are passed over once their parent was checked; then the built-in controllers.
 */
export const AUDIT_KINDS: readonly AuditKind[] = [
  ...SERVING_KINDS.map(servingAuditKind),
  { ...builtIn('LeaderWorkerSet', 'leaderworkerset.x-k8s.io/v1', 'leaderworkersets'), optional: true },
  builtIn('CronJob', 'batch/v1', 'cronjobs'),
  builtIn('Deployment', 'apps/v1', 'deployments'),
  builtIn('StatefulSet', 'apps/v1', 'statefulsets'),
  builtIn('DaemonSet', 'apps/v1', 'daemonsets'),
  builtIn('Job', 'batch/v1', 'jobs'),
  builtIn('ReplicaSet', 'apps/v1', 'replicasets'),
  builtIn('ReplicationController', 'v1', 'replicationcontrollers'),
  builtIn('Pod', 'v1', 'pods'),
];

/**
 * The audit kind named `kind` (of API group `group` when given: KServe's and OME's ClusterServingRuntime
 * share a name, the first listed is KServe's); throws for a kind the audit does not list (a programming error).
 */
export function auditKind(kind: string, group?: string): AuditKind {
  const found = AUDIT_KINDS.find((k) => k.kind === kind && (group === undefined || k.group === group));
  if (!found) throw new Error(`the audit does not list ${kind}`);
  return found;
}

/** `kind` at another of its group/versions (the one the cluster serves). */
export function atVersion(kind: AuditKind, apiVersion: string): AuditKind {
  return apiVersion === kind.apiVersion ? kind : { ...kind, apiVersion };
}
