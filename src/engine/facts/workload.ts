/**
 * The `workload` facts (policies/facts.schema.json) of one checked container's pod template, read
 * from the workload object as written.
 */
import { mergeStringMapAt, numberAt, stringAt, valueAtSegments } from '../util/json.js';
import type { PodTemplate, Workload } from '../types.js';
import type { CrdParallelFact } from './llmisvc-parallel.js';

/**
 * Paths read on every review, split once. Not frozen: V8 (Node 20) iterates a frozen array several
 * times slower than a plain one (bench/PROFILE.md F5); `readonly` keeps them unchanged.
 */
const REPLICAS: readonly string[] = ['spec', 'replicas'];
const PARALLELISM: readonly string[] = ['spec', 'parallelism'];
const BACKOFF_LIMIT: readonly string[] = ['spec', 'backoffLimit'];
const CRON_BACKOFF_LIMIT: readonly string[] = ['spec', 'jobTemplate', 'spec', 'backoffLimit'];
const PROGRESS_DEADLINE: readonly string[] = ['spec', 'progressDeadlineSeconds'];
const LEADER_WORKER_TEMPLATE: readonly string[] = ['spec', 'leaderWorkerTemplate'];

function integerAt(object: unknown, path: readonly string[]): number | null {
  const value = valueAtSegments(object, path);
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

/** Kinds whose `spec.replicas` (default 1) is the pod count of their template. */
const REPLICATED: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'LeaderWorkerSet']);

/**
 * Pods (LeaderWorkerSet: groups) the workload runs as written: `spec.replicas` with its default 1,
 * a Job's `parallelism` (default 1), 1 for a Pod; null when the count is not fixed by the object
 * (DaemonSet, CronJob, serving CRDs) or is not an integer.
 */
function replicasOf(object: unknown, kind: string): number | null {
  if (kind === 'Pod') return 1;
  const path = REPLICATED.has(kind) ? REPLICAS : kind === 'Job' ? PARALLELISM : null;
  if (path === null) return null;
  const value = valueAtSegments(object, path);
  if (value === undefined || value === null) return 1;
  return integerAt(object, path);
}

/**
 * The `workload` facts of one pod template: the object's identity, labels and annotations merged
 * with the template's, replicas as written, and the restart, backoff, deadline and grace settings.
 */
export function readWorkloadFacts(object: unknown, workload: Workload, template: PodTemplate) {
  const kind = workload.kind;
  const backoffPath = kind === 'CronJob' ? CRON_BACKOFF_LIMIT : BACKOFF_LIMIT;
  return {
    apiVersion: workload.apiVersion,
    kind,
    name: workload.name,
    namespace: workload.namespace,
    labels: mergeStringMapAt(workload.labels, template.metadata, 'labels'),
    annotations: mergeStringMapAt(workload.annotations, template.metadata, 'annotations'),
    role: template.role,
    groupSize: template.groupSize,
    isTemplate: kind !== 'Pod',
    replicas: replicasOf(object, kind),
    restartPolicy: stringAt(template.spec, 'restartPolicy') ?? null,
    backoffLimit: kind === 'Job' || kind === 'CronJob' ? integerAt(object, backoffPath) : null,
    groupRestartPolicy: kind === 'LeaderWorkerSet' ? (stringAt(valueAtSegments(object, LEADER_WORKER_TEMPLATE), 'restartPolicy') ?? null) : null,
    progressDeadlineSeconds: kind === 'Deployment' ? integerAt(object, PROGRESS_DEADLINE) : null,
    terminationGracePeriodSeconds: numberAt(template.spec, 'terminationGracePeriodSeconds') ?? null,
    // Set by facts/build.ts (facts/llmisvc-parallel.ts), which has the accelerator matcher.
    crdParallel: null as CrdParallelFact | null,
  };
}
