/**
 * Workload extraction: every pod spec an object will create, with its path.
 * Adding a kind is one entry in TEMPLATE_PATHS (built-in kinds) or SERVING_KINDS (serving CRDs,
 * read by serving-workload.ts).
 */
import { withUnreadVllm } from './unread-vllm.js';
import { isObject, objectAt, stringAt, stringMapView, valueAtPath, valueAtSegments } from '../util/json.js';
import type { PodTemplate, Workload } from '../types.js';
import { findServingKind, servingGroupsNamed } from './serving-kinds.js';
import { readServingWorkload } from './serving-workload.js';

interface TemplateEntry {
  /** Dotted path of the object holding metadata and spec; '' for a Pod itself. */
  path: string;
  role: PodTemplate['role'];
  /** `path` split at its dots and the pod spec's dotted path, spelled once (templateAt), not per review. */
  segments: readonly string[];
  specPath: string;
}

/** A template entry with its path split once (not frozen: V8 reads frozen arrays slowly, bench/PROFILE.md F5). */
function templateAt(path: string, role: PodTemplate['role']): TemplateEntry {
  return { path, role, segments: path === '' ? [] : path.split('.'), specPath: path === '' ? 'spec' : `${path}.spec` };
}

interface KindEntry {
  templates: TemplateEntry[];
  /** Dotted path of the group size, for kinds whose pods serve as one group. */
  groupSize?: string;
  /** Labels the kind's controller sets on every pod it creates, with values known from the object. */
  controllerLabels?: (name: string, role: PodTemplate['role']) => Record<string, string>;
}

/**
 * The LeaderWorkerSet controller labels every pod with the set's name, and the leader with worker
 * index 0 (kubernetes-sigs/lws api/leaderworkerset/v1/leaderworkerset_types.go at v0.10.0:
 * SetNameLabelKey, WorkerIndexLabelKey); Services in its docs select `leaderworkerset.sigs.k8s.io/name`.
 * A worker's index and the group labels vary per pod, so they are not given.
 */
function lwsLabels(name: string, role: PodTemplate['role']): Record<string, string> {
  const labels: Record<string, string> = { 'leaderworkerset.sigs.k8s.io/name': name };
  if (role === 'leader') labels['leaderworkerset.sigs.k8s.io/worker-index'] = '0';
  return labels;
}

const CONTROLLER: KindEntry = { templates: [templateAt('spec.template', 'pod')] };

export const TEMPLATE_PATHS: Readonly<Record<string, KindEntry>> = {
  Pod: { templates: [templateAt('', 'pod')] },
  Deployment: CONTROLLER,
  StatefulSet: CONTROLLER,
  ReplicaSet: CONTROLLER,
  DaemonSet: CONTROLLER,
  Job: CONTROLLER,
  ReplicationController: CONTROLLER,
  CronJob: { templates: [templateAt('spec.jobTemplate.spec.template', 'pod')] },
  LeaderWorkerSet: {
    templates: [
      // Without a leaderTemplate the leader runs the worker template, which is checked once below.
      templateAt('spec.leaderWorkerTemplate.leaderTemplate', 'leader'),
      templateAt('spec.leaderWorkerTemplate.workerTemplate', 'worker'),
    ],
    groupSize: 'spec.leaderWorkerTemplate.size',
    controllerLabels: lwsLabels,
  },
};

function readGroupSize(object: unknown, entry: KindEntry): number {
  if (!entry.groupSize) return 1;
  const size = valueAtPath(object, entry.groupSize);
  return typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : 1;
}

/**
 * A LeaderWorkerSet of size 1 (written, or the API default) runs its leader alone: a workerTemplate
 * beside a leaderTemplate describes pods that never exist (kubernetes-sigs/lws api/leaderworkerset/v1
 * LeaderWorkerTemplate.Size: "When set to 1, the leader pod is created for each group as well as a
 * 0-replica StatefulSet for the workers. Default to 1").
 * A size that is not a literal integer (a placeholder) may be larger: its workers are still checked.
 */
function makesNoWorkers(object: unknown, entry: KindEntry): boolean {
  if (!entry.groupSize) return false;
  const size = valueAtPath(object, entry.groupSize);
  return size === undefined || size === 1;
}

/**
 * The LWS_GROUP_SIZE a LeaderWorkerSet's controller puts first in every container's env: the group's
 * size (spec.leaderWorkerTemplate.size, default 1), written by kubernetes-sigs/lws
 * pkg/utils/pod/pod_utils.go AddLWSVariables ahead of the container's own env (addEnvVarsIfNotExists),
 * so `$(LWS_GROUP_SIZE)` in an env value or an argument expands to it. Null when the size is not a
 * literal integer (a placeholder): then it stays unknown.
 */
function groupSizeEnv(object: unknown, entry: KindEntry): Readonly<Record<string, string>> | null {
  if (!entry.groupSize) return null;
  const size = valueAtPath(object, entry.groupSize);
  if (size === undefined) return { LWS_GROUP_SIZE: '1' };
  return typeof size === 'number' && Number.isInteger(size) && size > 0 ? { LWS_GROUP_SIZE: String(size) } : null;
}

function readTemplate(object: unknown, entry: TemplateEntry, groupSize: number): PodTemplate | null {
  const holder = entry.path === '' ? object : valueAtSegments(object, entry.segments);
  if (!isObject(holder)) return null;
  const spec = objectAt(holder, 'spec');
  if (!spec) return null;
  return {
    path: entry.path,
    specPath: entry.specPath,
    metadata: objectAt(holder, 'metadata') ?? {},
    spec,
    role: entry.role,
    groupSize,
  };
}

/** Reads identity and pod templates; never throws on malformed input. */
export function extractWorkload(object: unknown): Workload {
  const metadata = objectAt(object, 'metadata');
  const kind = stringAt(object, 'kind') ?? '';
  const workload: Workload = {
    apiVersion: stringAt(object, 'apiVersion') ?? '',
    kind,
    name: stringAt(metadata, 'name') ?? stringAt(metadata, 'generateName') ?? '',
    namespace: stringAt(metadata, 'namespace') ?? '',
    labels: stringMapView(metadata, 'labels'),
    annotations: stringMapView(metadata, 'annotations'),
    templates: [],
  };
  if (!isObject(object)) {
    workload.skipped = 'the document is not an object';
    return workload;
  }
  if (!kind) {
    workload.skipped = 'the object has no kind';
    return workload;
  }
  const entry = Object.prototype.hasOwnProperty.call(TEMPLATE_PATHS, kind) ? TEMPLATE_PATHS[kind] : undefined;
  if (!entry) {
    const serving = findServingKind(workload.apiVersion, kind);
    if (serving) return readServingWorkload(object, serving, workload);
    const unread = `${workload.apiVersion || '(no apiVersion)'} ${kind} is not a kind vllm-guard reads`;
    // A kind named like a serving kind of another group says whose it reads: "kind InferenceService creates no pods" read as KServe's.
    const groups = servingGroupsNamed(workload.apiVersion, kind);
    workload.skipped = groups.length > 0 ? `${unread} (it reads the ${kind} of ${groups.join(' and ')})` : `kind ${kind} creates no pods that vllm-guard knows of`;
    return withUnreadVllm(workload, object, unread);
  }
  const groupSize = readGroupSize(object, entry);
  const envValues = groupSizeEnv(object, entry);
  for (const templateEntry of entry.templates) {
    const template = readTemplate(object, templateEntry, groupSize);
    if (!template) continue;
    if (template.role === 'worker' && workload.templates.some((t) => t.role === 'leader') && makesNoWorkers(object, entry)) continue;
    // Without a leaderTemplate the worker template makes the leader too (worker index 0), where vLLM's server runs.
    const labelRole = template.role === 'worker' && !workload.templates.some((t) => t.role === 'leader') ? 'leader' : template.role;
    if (entry.controllerLabels && workload.name !== '') template.controllerLabels = entry.controllerLabels(workload.name, labelRole);
    if (envValues) template.controllerEnvValues = envValues;
    workload.templates.push(template);
  }
  if (workload.templates.length === 0) {
    const paths = entry.templates.map((t) => t.specPath).join(' or ');
    workload.skipped = `${kind} has no pod spec at ${paths}`;
  }
  return workload;
}
