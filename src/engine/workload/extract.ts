/**
 * Workload extraction: every pod spec an object will create, with its path.
 * Adding a kind is one entry in TEMPLATE_PATHS.
 */
import { unreadVllmReason, vllmImageIn } from './unread-vllm.js';
import { isObject, objectAt, stringAt, stringMapAt, valueAtPath } from '../util/json.js';
import type { PodTemplate, Workload } from '../types.js';
import { extractServingTemplates, readServingGroup, withKnativeContainerName, type ServingTemplate } from './serving-extract.js';
import { findServingKind, type ServingKind, type ServingRole } from './serving-kinds.js';
import { runsTransformersBackend } from '../vllm/detect.js';
import { readLlmisvcParallelism } from './llmisvc-parallelism.js';
import { launchesMultinode } from './jobset-group.js';

interface TemplateEntry {
  /** Dotted path of the object holding metadata and spec; '' for a Pod itself. */
  path: string;
  role: PodTemplate['role'];
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

const CONTROLLER: KindEntry = { templates: [{ path: 'spec.template', role: 'pod' }] };

export const TEMPLATE_PATHS: Readonly<Record<string, KindEntry>> = {
  Pod: { templates: [{ path: '', role: 'pod' }] },
  Deployment: CONTROLLER,
  StatefulSet: CONTROLLER,
  ReplicaSet: CONTROLLER,
  DaemonSet: CONTROLLER,
  Job: CONTROLLER,
  ReplicationController: CONTROLLER,
  CronJob: { templates: [{ path: 'spec.jobTemplate.spec.template', role: 'pod' }] },
  LeaderWorkerSet: {
    templates: [
      // Without a leaderTemplate the leader runs the worker template, which is checked once below.
      { path: 'spec.leaderWorkerTemplate.leaderTemplate', role: 'leader' },
      { path: 'spec.leaderWorkerTemplate.workerTemplate', role: 'worker' },
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

function readTemplate(object: unknown, entry: TemplateEntry, groupSize: number): PodTemplate | null {
  const holder = entry.path === '' ? object : valueAtPath(object, entry.path);
  if (!isObject(holder)) return null;
  const spec = objectAt(holder, 'spec');
  if (!spec) return null;
  const prefix = entry.path === '' ? '' : `${entry.path}.`;
  return {
    path: entry.path,
    specPath: `${prefix}spec`,
    metadata: objectAt(holder, 'metadata') ?? {},
    spec,
    role: entry.role,
    groupSize,
  };
}

/**
 * A skipped object that names a vLLM image says so (workload/unread-vllm.ts): `reason` says why it is
 * not read, and the image and where it is written follow.
 */
function withUnreadVllm(workload: Workload, object: unknown, reason: string): Workload {
  const held = vllmImageIn(object);
  if (held) {
    workload.skipped = unreadVllmReason(reason, held);
    workload.holdsVllm = true;
  }
  return workload;
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
    labels: stringMapAt(metadata, 'labels'),
    annotations: stringMapAt(metadata, 'annotations'),
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
    workload.skipped = `kind ${kind} creates no pods that vllm-guard knows of`;
    return withUnreadVllm(workload, object, `${workload.apiVersion || '(no apiVersion)'} ${kind} is not a kind vllm-guard reads`);
  }
  const groupSize = readGroupSize(object, entry);
  for (const templateEntry of entry.templates) {
    const template = readTemplate(object, templateEntry, groupSize);
    if (!template) continue;
    if (template.role === 'worker' && workload.templates.some((t) => t.role === 'leader') && makesNoWorkers(object, entry)) continue;
    if (entry.controllerLabels && workload.name !== '') template.controllerLabels = entry.controllerLabels(workload.name, template.role);
    workload.templates.push(template);
  }
  if (workload.templates.length === 0) {
    const paths = entry.templates.map((t) => (t.path === '' ? 'spec' : `${t.path}.spec`)).join(' or ');
    workload.skipped = `${kind} has no pod spec at ${paths}`;
  }
  return workload;
}


/** Serving roles as the facts know them: a Ray head leads its group, the other templates are pods or workers. */
const ROLE: Readonly<Record<ServingRole, PodTemplate['role']>> = {
  pod: 'pod', leader: 'leader', head: 'leader', worker: 'worker', 'prefill-worker': 'worker', 'runtime-worker': 'worker',
  prefill: 'pod', runtime: 'pod', role: 'pod',
};
const RAY_KINDS: ReadonlySet<string> = new Set(['RayCluster', 'RayService', 'RayJob', 'RayClusterFleet']);
const KUBERAY = 'KubeRay (ray-operator/controllers/ray/common/pod.go@v1.7.0 adds /dev/shm and readiness/liveness probes to the Ray container)';

/** KServe model formats served by vLLM: the Hugging Face runtime (vLLM backend by default) and vLLM's own. */
const VLLM_MODEL_FORMAT = /^(?:huggingface|vllm)$/i;

function mergedServer(kind: ServingKind, container: Record<string, unknown>): boolean {
  if (kind.kind !== 'InferenceService') return false;
  const format = stringAt(objectAt(container, 'modelFormat'), 'name');
  const args = Array.isArray(container.args) ? container.args.map(String) : [];
  return VLLM_MODEL_FORMAT.test(format ?? '') && !runsTransformersBackend(args);
}

/** Pods of each serving group of an object whose kind has several (serving-kinds.ts `group`); null when one count is unknown. */
function podsPerGroup(templates: readonly ServingTemplate[]): Map<string, number | null> {
  const sizes = new Map<string, number | null>();
  for (const t of templates) {
    if (t.group === undefined) continue;
    const sum = sizes.get(t.group);
    sizes.set(t.group, sum === undefined ? t.pods : sum === null || t.pods === null ? null : sum + t.pods);
  }
  return sizes;
}

function toPodTemplate(kind: ServingKind, t: ServingTemplate, groupSize: number, groups: ReadonlyMap<string, number | null>, object: unknown, templates: readonly ServingTemplate[]): PodTemplate {
  // A StormService role is its own vLLM deployment: its group is one role instance, not all roles together.
  // So is each OME component (engine, decoder, router) and each kthena role instance (entry + workers).
  const grouped = t.group === undefined ? undefined : groups.get(t.group);
  const ownGroup = t.role === 'role' ? (t.pods ?? 1) : grouped !== undefined ? Math.max(grouped ?? 1, 1) : groupSize;
  const spec = kind.group === 'serving.knative.dev' ? withKnativeContainerName(t.spec) : t.spec;
  const template: PodTemplate = { path: t.path, specPath: t.specPath, metadata: t.metadata, spec, role: ROLE[t.role], groupSize: ownGroup, podsInGroup: t.pods };
  if (t.mergedContainers.length > 0) {
    template.mergedContainers = t.mergedContainers.map((m) => ({ ...m, server: mergedServer(kind, m.container) }));
  }
  template.servingRole = t.role;
  if (t.pathAliases) template.pathAliases = t.pathAliases;
  if (t.group !== undefined) template.servingGroup = t.group;
  if (kind.controllerEnv) template.controllerEnv = kind.controllerEnv;
  const pods = grouped !== undefined ? grouped : t.pods;
  if (kind.multinodeLaunch && (pods === null || pods > 1)) template.multinodeLaunch = kind.multinodeLaunch;
  // LLMInferenceService: `main` runs vLLM, completed from kserve config/llmisvcconfig/config-llm-template.yaml.
  if (kind.kind === 'LLMInferenceService') {
    template.serverContainer = 'main';
    const prefill = t.role === 'prefill' || t.role === 'prefill-worker';
    const multiNode = templates.some((o) => o.role === (prefill ? 'prefill-worker' : 'worker'));
    const parallelism = readLlmisvcParallelism(object, t.spec, prefill, multiNode);
    if (parallelism) template.llmisvcParallelism = parallelism;
  }
  if (RAY_KINDS.has(kind.kind)) template.injectedBy = KUBERAY;
  if (t.fronted) template.fronted = t.fronted;
  return template;
}

/**
 * An LLMInferenceService group of one pod (ParallelismSpec.GetSize 1) is a LeaderWorkerSet of size 1:
 * its leader runs alone and `spec.worker` describes pods that never exist (kserve/kserve#4946: tensor 2,
 * data 1, dataLocal 1 made one pod), as for a LeaderWorkerSet (makesNoWorkers). With more pods, the
 * worker template runs size − 1 of them.
 */
function withoutAbsentWorkers(kind: ServingKind, templates: ServingTemplate[], pods: number | null): ServingTemplate[] {
  if (kind.kind !== 'LLMInferenceService' || pods === null) return templates;
  if (pods === 1) return templates.filter((t) => t.role !== 'worker');
  return templates.map((t) => (t.role === 'worker' ? { ...t, pods: pods - 1 } : t));
}

/**
 * A kind whose pods are independent unless they launch a multi-node engine (a JobSet): without such a
 * launch in any template, each pod is its own group of one (role `role`, as a StormService role
 * instance), so no pod is judged as an NCCL rank of its neighbours.
 */
function ownGroups(kind: ServingKind, templates: ServingTemplate[]): ServingTemplate[] {
  if (!kind.independentPods || templates.some((t) => launchesMultinode(t.spec))) return templates;
  return templates.map((t) => ({ ...t, role: 'role', pods: 1 }));
}

/** A serving CRD: its templates, the group its pods form, and where its accelerators come from. */
function readServingWorkload(object: unknown, kind: ServingKind, workload: Workload): Workload {
  const version = workload.apiVersion.slice(workload.apiVersion.indexOf('/') + 1);
  if (kind.onlyVersions && !kind.versions.includes(version)) {
    workload.skipped = `${workload.apiVersion} ${kind.kind} is not read: vllm-guard knows the layout of ${kind.versions.join(', ')} only`;
    return withUnreadVllm(workload, object, workload.skipped);
  }
  const written = ownGroups(kind, extractServingTemplates(object, kind));
  const group = readServingGroup(object, kind, written);
  const groups = podsPerGroup(written);
  // Which config KServe picks depends on the worker templates as written, even those that make no pod.
  workload.templates = withoutAbsentWorkers(kind, written, group.pods).map((t) => toPodTemplate(kind, t, group.pods ?? 1, groups, object, written));
  workload.serving = { devices: group.devices, acceleratorsFromService: kind.acceleratorsFrom === 'inference-service' };
  if (workload.templates.length === 0) workload.skipped = `${kind.kind} has no pod spec at ${kind.templates.map((t) => t.path).join(' or ')}`;
  return workload;
}
