/**
 * A serving CRD's workload: the templates serving-extract.ts reads, turned into pod templates with
 * their group size, role, merged containers and what the controller adds (KubeRay's probes,
 * LLMInferenceService's `main`, Knative's container name). Its own file: extract.ts reads the
 * built-in kinds and hands serving kinds (SERVING_KINDS) here.
 * @module
 */
import { withUnreadVllm } from './unread-vllm.js';
import { objectAt, stringAt, valueAtPath } from '../util/json.js';
import { withKServeComponent } from './kserve-component.js';
import type { PodTemplate, Workload } from '../types.js';
import { extractServingTemplates, readServingGroup, type ServingTemplate } from './serving-extract.js';
import type { ServingKind, ServingRole } from './serving-kind-types.js';
import { withKnativeContainerName } from './pod-containers.js';
import { runsTransformersBackend } from '../vllm/detect.js';
import { readLlmisvcParallelism } from './llmisvc-parallelism.js';
import { launchesMultinode } from './jobset-group.js';

/** Serving roles as the facts know them: a Ray head leads its group, the other templates are pods or workers. */
const ROLE: Readonly<Record<ServingRole, PodTemplate['role']>> = {
  pod: 'pod', leader: 'leader', head: 'leader', worker: 'worker', 'prefill-worker': 'worker', 'runtime-worker': 'worker',
  prefill: 'pod', runtime: 'pod', role: 'pod',
};
const RAY_KINDS: ReadonlySet<string> = new Set(['RayCluster', 'RayService', 'RayJob', 'RayClusterFleet']);
// No parentheses: the name is read inside "could not be verified (… may come from KUBERAY)".
const KUBERAY = 'KubeRay, whose ray-operator/controllers/ray/common/pod.go@v1.7.0 adds /dev/shm and readiness/liveness probes to the Ray container';

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
  if (t.metadataPath !== undefined) template.metadataPath = t.metadataPath;
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
  if (kind.kind === 'InferenceService' && kind.group === 'serving.kserve.io') withKServeComponent(template, object);
  if (t.fronted) template.fronted = t.fronted;
  if (t.controllerUnknowns) template.controllerUnknowns = t.controllerUnknowns;
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

/**
 * A serving CRD: its templates, the group its pods form, and where its accelerators come from, set
 * on `workload` (identity already read by extractWorkload), which is returned.
 */
export function readServingWorkload(object: unknown, kind: ServingKind, workload: Workload): Workload {
  const version = workload.apiVersion.slice(workload.apiVersion.indexOf('/') + 1);
  if (kind.onlyVersions && !kind.versions.includes(version)) {
    workload.skipped = `${workload.apiVersion} ${kind.kind} is not read: vllm-guard knows the layout of ${kind.versions.join(', ')} only`;
    return withUnreadVllm(workload, object, workload.skipped);
  }
  const engine = kind.engine === undefined ? undefined : valueAtPath(object, kind.engine.path);
  if (kind.engine && engine !== kind.engine.value) {
    workload.skipped = `${kind.kind} ${kind.engine.path} is ${typeof engine === 'string' ? engine.slice(0, 64) : 'not written'}, not ${kind.engine.value}: it runs no vLLM`;
    return workload;
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
