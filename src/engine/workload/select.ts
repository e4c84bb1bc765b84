/** Which containers of a workload are checked, and in which role. */
import { buildEnvLookup } from '../command/container-env.js';
import { classifyContainer, type Classification } from '../vllm/detect.js';
import type { CompiledDetection } from '../vllm/detection-config.js';
import { arrayAt, isObject, mergeStringMapAt, objectAt, stringAt } from '../util/json.js';
import type { EnvLookup } from '../command/shell.js';
import type { ContainerRole, JsonObject, PodTemplate, Workload } from '../types.js';
import type { PodContainer } from './pod-containers.js';
import { createEnvSources, type EnvSources } from '../related/configmaps.js';
import type { RelatedSet } from '../related/related-set.js';
import { resolveConfigFile, type ConfigFileFact } from '../vllm/config-file.js';
import { MAX_SCRIPT_BYTES_PER_REVIEW, scriptReader } from '../related/mounted-files.js';
import { signalledServer, strongSignal } from './signal-select.js';
import { runsHeadless } from './headless.js';
import { withRayServeLlm } from './ray-llm-targets.js';
import type { RayLlmConfig } from './ray-llm-config.js';

export interface Target {
  template: PodTemplate;
  container: JsonObject;
  index: number;
  /** The list the container sits in; paths name it (`…initContainers[0]`). Absent means `containers`. */
  list?: PodContainer['list'];
  /** The container's own dotted path when it is not in a list of the pod spec (KServe predictor.model). */
  path?: string;
  /**
   * A controller completes this container from another object (KServe's ServingRuntime, the
   * LLMInferenceServiceConfig): what it does not set here (image, probes, volumes) is unknown.
   */
  completedBy?: string;
  role: ContainerRole;
  classification: Classification;
  /** The container's environment, built once for detection and reused for the vLLM arguments. */
  env: EnvLookup;
  /** Its envFrom and valueFrom sources resolved against the related set (related/configmaps.ts). */
  envSources: EnvSources;
  /** vLLM's `--config` file, when the command has one; its options are then in classification.command. */
  configFile?: ConfigFileFact;
  /** The Ray Serve LLM config whose engine this target is (workload/ray-llm-targets.ts). */
  rayLlm?: RayLlmConfig;
}

// Containers that conventionally hold the server when only a label says the pod is vLLM.
const SERVER_NAMES = ['vllm', 'main', 'kserve-container'];

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

interface Candidate {
  template: PodTemplate;
  container: JsonObject;
  index: number;
  list: PodContainer['list'];
  /** containers and native sidecars; ordinary init and ephemeral containers are not. */
  longRunning: boolean;
  /** The serving kind says this container is the vLLM server (merged KServe model, LLMInferenceService main). */
  serverByKind: boolean;
  path?: string;
  classification: Classification;
  env: EnvLookup;
  envSources: EnvSources;
  labelled: boolean;
  /** The ServingRuntime merged into this container (workload/kserve-runtime.ts): nothing is left for it to complete. */
  completedFrom?: string;
}

type MergedRuntime = NonNullable<NonNullable<PodTemplate['mergedContainers']>[number]['runtime']>;

/** Index of `args[3]` → 3, of anything else → -1. */
function argIndex(at: string | undefined): number {
  if (at === undefined || !at.startsWith('args[') || !at.endsWith(']')) return -1;
  const n = Number(at.slice(5, -1));
  return Number.isInteger(n) ? n : -1;
}

/**
 * Tokens of a merged KServe container that the ServingRuntime writes (its command, its args, which
 * come first) say so: messages read `--tensor-parallel-size 2 (from ServingRuntime vllm)`.
 */
function fromRuntime(classification: Classification, runtime: MergedRuntime | undefined): Classification {
  if (!runtime || !classification.command) return classification;
  const ofRuntime = (at: string | undefined): boolean => (runtime.command && at?.startsWith('command[') === true) || (argIndex(at) >= 0 && argIndex(at) < runtime.args);
  const command = classification.command.map((t) => (t.from === undefined && ofRuntime(t.at) ? { ...t, from: runtime.label } : t));
  return { ...classification, command };
}

/**
 * Containers read per pod template. Real pods have a handful; thousands would hold the admission
 * request past its time budget. The review says when a template had more (index.ts).
 */
export const MAX_CONTAINERS = 64;

const CONTAINER_LISTS: readonly PodContainer['list'][] = ['containers', 'initContainers', 'ephemeralContainers'];

/**
 * The env of a container with the variables its serving controller sets in every pod (PodTemplate
 * controllerEnv: OME's MODEL_PATH, kthena's ENTRY_ADDRESS): a reference to one is known only at run time.
 */
function withControllerEnv(env: EnvLookup, template: PodTemplate): EnvLookup {
  const set = template.controllerEnv;
  if (!set) return env;
  return (name) => env(name) ?? (set.names.includes(name) ? { text: '', unknown: `${name} is set by ${set.by} at run time`, source: 'injected' } : undefined);
}

function classifyAll(workload: Workload, detection: CompiledDetection, related: RelatedSet | null): Candidate[] {
  const out: Candidate[] = [];
  // Without a label selector (the default) no pod is labelled, so the labels are not merged.
  const hasSelector = Object.keys(detection.labels).length > 0;
  const scriptBudget = { left: MAX_SCRIPT_BYTES_PER_REVIEW };
  for (const template of workload.templates) {
    const labelled = hasSelector && labelsMatch(detection.labels, mergeStringMapAt(workload.labels, template.metadata, 'labels'));
    const readerFor = scriptReader(template.spec, related, workload.namespace, scriptBudget);
    // containers, initContainers and ephemeralContainers, each list capped at MAX_CONTAINERS, as
    // podContainers lists them (pod-containers.ts), read in place: no entry or path per container.
    for (const list of CONTAINER_LISTS) {
      const containers = arrayAt(template.spec, list);
      const count = Math.min(containers.length, MAX_CONTAINERS);
      for (let index = 0; index < count; index++) {
        const container = containers[index];
        if (!isObject(container)) continue;
        const longRunning = list === 'containers' || (list === 'initContainers' && container.restartPolicy === 'Always');
        const envSources = createEnvSources(container, related, workload.namespace);
        const env = withControllerEnv(buildEnvLookup(container, envSources, template.controllerEnvValues), template);
        const serverByKind = longRunning && template.serverContainer !== undefined && stringAt(container, 'name') === template.serverContainer;
        out.push({ template, container, index, list, longRunning, serverByKind, classification: classifyContainer(container, detection, env, readerFor(container)), env, envSources, labelled });
      }
    }
    // Containers a controller merges in take their image and command from elsewhere (the ServingRuntime).
    for (const merged of template.mergedContainers ?? []) {
      const envSources = createEnvSources(merged.container, related, workload.namespace);
      const env = withControllerEnv(buildEnvLookup(merged.container, envSources, template.controllerEnvValues), template);
      const classification = fromRuntime({ ...classifyContainer(merged.container, detection, env, readerFor(merged.container)) }, merged.runtime);
      if (merged.server && classification.role === null && !merged.runtime) {
        classification.argvKnown = false;
        classification.unknownReason = `${merged.path} takes its image and command from the ServingRuntime`;
      }
      // The controller names it (`kserve-container`): messages and findings name it so too.
      out.push({ template, container: { ...merged.container, name: merged.as }, index: 0, list: 'containers', longRunning: true, serverByKind: merged.server, path: merged.path, classification, env, envSources, labelled, ...(merged.runtime ? { completedFrom: merged.runtime.label } : {}) });
    }
  }
  return out;
}

function labelledServer(candidates: Candidate[], template: PodTemplate): Candidate | undefined {
  const inTemplate = candidates.filter((c) => c.template === template && c.longRunning);
  return inTemplate.find((c) => SERVER_NAMES.includes(stringAt(c.container, 'name') ?? '')) ?? inTemplate[0];
}

/** KubeRay's annotation that keeps the Ray container's own command (utils/constant.go@v1.7.0). */
const KUBERAY_OVERWRITE_CMD = 'ray.io/overwrite-container-cmd';

/**
 * The Ray container (the first of `containers`) of a KubeRay template with neither command nor
 * args: KubeRay's BuildPod replaces its command with `/bin/bash -c -- "ulimit …; ray start …"`
 * (ray-operator/controllers/ray/common/pod.go@v1.7.0) unless the template's
 * ray.io/overwrite-container-cmd annotation is "true". It runs Ray, not the image's ENTRYPOINT.
 */
function kubeRayStartsOnlyRay(c: Candidate): boolean {
  if (c.template.injectedBy === undefined || c.list !== 'containers' || c.index !== 0 || c.path !== undefined) return false;
  if (arrayAt(c.container, 'command').length > 0 || arrayAt(c.container, 'args').length > 0) return false;
  const overwrite = stringAt(objectAt(c.template.metadata, 'annotations'), KUBERAY_OVERWRITE_CMD);
  return overwrite?.toLowerCase() !== 'true';
}

const KUBERAY_STARTS_RAY =
  'KubeRay starts Ray in this container instead of its image ENTRYPOINT (ray-operator/controllers/ray/common/pod.go@v1.7.0): a vLLM server that Ray starts here takes its arguments from elsewhere, a RayService serveConfigV2 or a submitted job';

/**
 * A Ray container whose ENTRYPOINT KubeRay replaces (kubeRayStartsOnlyRay) and that only its
 * ENTRYPOINT made a server: in a worker group it hosts engine workers (`ray-worker`); at the head
 * the server may run there, started by Ray, with arguments this container does not hold (unknown,
 * never the API server without a model that the ENTRYPOINT alone would be).
 */
function underKubeRay(c: Candidate): { role?: 'ray-worker'; classification: Classification } {
  const { classification } = c;
  if (classification.role !== 'server' || !classification.argvKnown || !kubeRayStartsOnlyRay(c)) return { classification };
  if (c.template.servingRole === 'worker') return { role: 'ray-worker', classification };
  return { classification: { ...classification, command: null, argvKnown: false, unknownReason: KUBERAY_STARTS_RAY } };
}

/** Splices a vLLM server's `--config` file into its command (vllm/config-file.ts), when it can be read. */
function withConfigFile(target: Target, related: RelatedSet | null, namespace: string): void {
  const command = target.classification.command;
  if (target.role !== 'server' || !command || !command.some((t) => t.text === '--config')) return;
  const resolved = resolveConfigFile({ command, container: target.container, pod: target.template.spec, related, namespace });
  if (!resolved) return;
  target.configFile = resolved.file;
  if (resolved.command !== command) target.classification = { ...target.classification, command: resolved.command };
}

/**
 * Servers and Ray workers of a vLLM group, label-selected servers, and with allPods every other
 * container. A native sidecar (an init container with restartPolicy Always) runs for the pod's life
 * and may be the server; an ordinary init container or an ephemeral container of a vLLM pod gets the
 * generic rules (image, secrets, security), as every container does with allPods.
 */
export function selectTargets(workload: Workload, detection: CompiledDetection, related: RelatedSet | null = null): Target[] {
  const classified = classifyAll(workload, detection, related);
  // Documented strong signals (engine flags, platform labels) make a server of a container its image and command do not.
  const candidates = classified.map((c) => {
    const signal = strongSignal(c, classified, workload);
    return signal === null ? c : { ...c, classification: signalledServer(c, signal) };
  });
  const isVllmGroup = candidates.some(
    (c) => c.longRunning && (c.serverByKind || c.classification.role === 'server' || c.classification.detectedBy === 'image' || c.labelled),
  );
  const targets: Target[] = [];
  for (const candidate of candidates) {
    const kubeRay = underKubeRay(candidate);
    const c = kubeRay.classification === candidate.classification ? candidate : { ...candidate, classification: kubeRay.classification };
    let role: ContainerRole | null = null;
    if (!c.longRunning) role = isVllmGroup || detection.allPods ? 'generic' : null;
    // A Ray worker group's vLLM image hosts engine workers, not the API server (KubeRay starts Ray there).
    else if (c.classification.role === 'server' && c.template.injectedBy !== undefined && c.template.servingRole === 'worker' && c.classification.detectedBy === 'image') role = 'ray-worker';
    else if (kubeRay.role) role = kubeRay.role;
    else if (c.classification.role === 'server') role = 'server';
    else if (c.serverByKind && c.classification.role === null) role = 'server';
    // A CPU build's offline batch runner needs no accelerator: the generic rules, as a CPU server gets.
    else if (c.classification.role === 'ray-worker' && isVllmGroup) role = c.classification.batch && c.classification.cpu ? 'generic' : 'ray-worker';
    else if (c.labelled && !candidates.some((o) => o.template === c.template && o.longRunning && o.classification.role) && labelledServer(candidates, c.template) === c) role = 'server';
    else if (detection.allPods) role = 'generic';
    if (role) {
      const target: Target = { template: c.template, container: c.container, index: c.index, list: c.list, role, classification: c.classification, env: c.env, envSources: c.envSources };
      if (c.path !== undefined) target.path = c.path;
      withConfigFile(target, related, workload.namespace);
      if (runsHeadless(target)) target.role = 'ray-worker';
      // A vLLM engine beside the container that carries the pod's probes (Dynamo's gRPC sidecar layout) serves through it.
      if (target.role === 'server' && c.template.fronted !== undefined && target.list === 'containers' && stringAt(c.container, 'name') !== c.template.fronted) target.role = 'ray-worker';
      if (c.serverByKind && c.completedFrom === undefined) target.completedBy = c.path !== undefined ? 'the ServingRuntime' : 'the LLMInferenceServiceConfig';
      targets.push(target);
    }
  }
  return withRayServeLlm(targets, workload, related);
}

/** A note per pod template with more than MAX_CONTAINERS containers: only the first ones are checked. */
export function containerCapNotes(workload: Workload): string[] {
  const notes: string[] = [];
  for (const template of workload.templates) {
    const count = Array.isArray(template.spec.containers) ? template.spec.containers.length : 0;
    if (count > MAX_CONTAINERS) notes.push(`${template.specPath}.containers has ${count} containers; only the first ${MAX_CONTAINERS} were checked`);
  }
  return notes;
}
