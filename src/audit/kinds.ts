/**
 * The kinds the audit lists, owners before what they own, so a Pod or ReplicaSet whose
 * controller was already checked can be passed over.
 * @module
 */
export interface AuditKind {
  kind: string;
  apiVersion: string;
  /** The resource name in RBAC and URLs (`deployments.apps`). */
  resource: string;
  /** A CRD that many clusters do not have: a missing API is a note, not a gap. */
  optional: boolean;
}

export const AUDIT_KINDS: readonly AuditKind[] = [
  { kind: 'LeaderWorkerSet', apiVersion: 'leaderworkerset.x-k8s.io/v1', resource: 'leaderworkersets.leaderworkerset.x-k8s.io', optional: true },
  { kind: 'CronJob', apiVersion: 'batch/v1', resource: 'cronjobs.batch', optional: false },
  { kind: 'Deployment', apiVersion: 'apps/v1', resource: 'deployments.apps', optional: false },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', resource: 'statefulsets.apps', optional: false },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', resource: 'daemonsets.apps', optional: false },
  { kind: 'Job', apiVersion: 'batch/v1', resource: 'jobs.batch', optional: false },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', resource: 'replicasets.apps', optional: false },
  { kind: 'ReplicationController', apiVersion: 'v1', resource: 'replicationcontrollers', optional: false },
  { kind: 'Pod', apiVersion: 'v1', resource: 'pods', optional: false },
];
