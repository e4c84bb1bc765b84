/**
 * Metric label values from closed sets. A label copied from a request would let any caller
 * mint series without bound (20,000 distinct `request.kind` values made 20,000 series and a
 * 6 MB scrape); anything outside the set is counted as `other`.
 * @module
 */

/**
 * The kinds vllm-guard reviews: the resources deploy/base/webhook.yaml routes to it and the
 * engine knows a pod template path for (src/engine/workload.ts TEMPLATE_PATHS).
 */
export const KIND_LABELS: ReadonlySet<string> = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'LeaderWorkerSet',
]);

/** The admission.k8s.io/v1 operations. */
export const OPERATION_LABELS: ReadonlySet<string> = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

export const OTHER_LABEL = 'other';

/** The kind as a label value: a known kind, else `other`. */
export function kindLabel(kind: string): string {
  return KIND_LABELS.has(kind) ? kind : OTHER_LABEL;
}

/** The operation as a label value: one of the four, else `other`. */
export function operationLabel(operation: string): string {
  return OPERATION_LABELS.has(operation) ? operation : OTHER_LABEL;
}
