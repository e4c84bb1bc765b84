/**
 * An InferenceService whose ServingRuntime (or ClusterServingRuntime) is in the related set is
 * reviewed as the pod KServe makes from the two (kserve-merge.ts): the runtime's image and command,
 * its args followed by the model's, env and resources merged. Without a related set (the webhook
 * without lookups), or when the runtime is not in it, the InferenceService stays as extracted: what
 * the runtime supplies is "could not be verified", never a reason to deny.
 *
 * Which runtime, kserve/kserve at tag v0.20.0:
 * - pkg/controller/v1beta1/inferenceservice/components/predictor.go reconcileModel: a `runtime`
 *   name is looked up (utils.go GetServingRuntime: the ServingRuntime of the InferenceService's
 *   namespace, else the ClusterServingRuntime); a disabled runtime, or one whose
 *   `supportedModelFormats` lack the model's format, fails the InferenceService (no pod).
 * - pkg/apis/serving/v1beta1/predictor_model.go GetSupportingRuntimes / RuntimeSupportsModel: without
 *   a name, the runtimes that are not disabled, not multi-model, multi-node exactly when the
 *   predictor has a workerSpec, and list the format (with its version when the model names one)
 *   with `autoSelect: true`, the namespace's before the cluster's, each by priority and age. We take
 *   one only when it is the only one of its tier (priorities and creation times are not compared).
 * - Multi-node (a predictor or runtime `workerSpec`): reconcileWorker also merges the worker pods
 *   and the head's parallel sizes; that is not written out here, so such a pair stays as extracted.
 * - buildPodSpec: the runtime container is the one named `kserve-container` (constants.go
 *   InferenceServiceContainerName); a runtime without one fails the InferenceService. The runtime's
 *   other containers, but `transformer-container` (merged with the predictor's; not done here), run
 *   beside it.
 * @module
 */
import { firstPort, KSERVE_DEFAULT_PORT, servicePortName, TRANSFORMER_CONTAINER } from './kserve-component.js';
import { arrayAt, booleanAt, isObject, objectAt, stringAt } from '../util/json.js';
import { relatedOfKind, type RelatedKind, type RelatedSet } from '../related/related-set.js';
import type { JsonObject, PodTemplate, Workload } from '../types.js';
import { mergeModelContainer, mergePredictorPod, serverTypeOf } from './kserve-merge.js';

const MODEL_PATH = 'spec.predictor.model';
const PREDICTOR_PATH = 'spec.predictor';
const RUNTIME_CONTAINER = 'kserve-container';
/** Runtimes compared per review; a namespace holds a handful. */
const MAX_RUNTIMES = 512;
/** KServe's runtimes are `serving.kserve.io/…`. */
const KSERVE_GROUP = 'serving.kserve.io/';

interface FoundRuntime {
  kind: RelatedKind;
  name: string;
  spec: JsonObject;
  annotations: JsonObject | undefined;
}

/** `mt:name` and `mt:name:version` of the model's format (predictor_model.go getModelFormatLabel). */
function modelLabel(model: JsonObject): string | null {
  const format = objectAt(model, 'modelFormat');
  const name = stringAt(format, 'name');
  if (!name) return null;
  const version = stringAt(format, 'version');
  return version === undefined ? `mt:${name}` : `mt:${name}:${version}`;
}

/** Whether a runtime lists the model's format: any entry when named, `autoSelect: true` ones otherwise. */
function supports(spec: JsonObject, label: string, named: boolean): boolean {
  for (const format of arrayAt(spec, 'supportedModelFormats').slice(0, MAX_RUNTIMES)) {
    const name = stringAt(format, 'name');
    if (!name || (!named && booleanAt(format, 'autoSelect') !== true)) continue;
    const version = stringAt(format, 'version');
    if (label === `mt:${name}` || (version !== undefined && label === `mt:${name}:${version}`)) return true;
  }
  return false;
}

function runtimesOf(related: RelatedSet, kind: RelatedKind, namespace: string): FoundRuntime[] {
  const out: FoundRuntime[] = [];
  for (const object of relatedOfKind(related, kind, namespace).slice(0, MAX_RUNTIMES)) {
    // OME's runtimes (ome.io) share these kind names: never a KServe runtime.
    const apiVersion = stringAt(object, 'apiVersion');
    if (apiVersion !== undefined && !apiVersion.startsWith(KSERVE_GROUP)) continue;
    const name = stringAt(objectAt(object, 'metadata'), 'name');
    const spec = objectAt(object, 'spec');
    if (name && spec) out.push({ kind, name, spec, annotations: objectAt(objectAt(object, 'metadata'), 'annotations') });
  }
  return out;
}

/** The runtime KServe gives this model, when the related set decides it; null otherwise. */
function findRuntime(model: JsonObject, predictor: JsonObject, namespace: string, related: RelatedSet): FoundRuntime | null {
  const label = modelLabel(model);
  if (label === null) return null;
  const named = stringAt(model, 'runtime');
  const own = runtimesOf(related, 'ServingRuntime', namespace);
  // A cluster-scoped runtime has no namespace: every one in the set is a candidate.
  const cluster = runtimesOf(related, 'ClusterServingRuntime', '');
  // Multi-node (a workerSpec): KServe also sets the head's parallel sizes and merges the workers; not written out here.
  if (isObject(predictor.workerSpec)) return null;
  if (named) {
    const found = own.find((r) => r.name === named) ?? cluster.find((r) => r.name === named);
    return found && booleanAt(found.spec, 'disabled') !== true && !isObject(found.spec.workerSpec) && supports(found.spec, label, true) ? found : null;
  }
  // KServe lists the namespace's runtimes before the cluster's: one namespaced candidate wins outright.
  const qualifies = (r: FoundRuntime): boolean => booleanAt(r.spec, 'disabled') !== true && booleanAt(r.spec, 'multiModel') !== true && !isObject(r.spec.workerSpec) && supports(r.spec, label, false);
  const ownCandidates = own.filter(qualifies);
  const candidates = ownCandidates.length > 0 ? ownCandidates : cluster.filter(qualifies);
  return candidates.length === 1 ? (candidates[0] ?? null) : null;
}

/**
 * buildPodSpec: the runtime's containers other than `kserve-container` and `transformer-container`
 * run in the pod too, before the predictor's own; each is reported where it is written.
 */
function withRuntimeContainers(spec: JsonObject, runtimeContainers: readonly unknown[], runtimeAt: string): { spec: JsonObject; aliases: [string, string][] } {
  const others: [JsonObject, number][] = [];
  runtimeContainers.forEach((c, j) => {
    if (isObject(c) && stringAt(c, 'name') !== RUNTIME_CONTAINER && stringAt(c, 'name') !== TRANSFORMER_CONTAINER) others.push([c, j]);
  });
  if (others.length === 0) return { spec, aliases: [] };
  const own = arrayAt(spec, 'containers');
  const aliases = others.map(([, j], i): [string, string] => [`${PREDICTOR_PATH}.containers[${i}]`, `${runtimeAt}.containers[${j}]`]);
  own.forEach((_, i) => aliases.push([`${PREDICTOR_PATH}.containers[${others.length + i}]`, `${PREDICTOR_PATH}.containers[${i}]`]));
  return { spec: { ...spec, containers: [...others.map(([c]) => c), ...own] }, aliases };
}

/**
 * KServe's component Service (kserve-component.ts) once the model container is merged: the merged
 * container is always the pod's first (buildPodSpec, kserve v0.13–v0.20), and createDefaultSvc targets
 * the runtime's transformer container when there is one, else the first container: its first port, else 8080.
 */
function withServicePort(template: PodTemplate, container: JsonObject, runtimeContainers: readonly unknown[]): Pick<PodTemplate, 'controllerService'> {
  const made = template.controllerService;
  if (!made?.fromMergedContainer) return made ? { controllerService: made } : {};
  const target = runtimeContainers.find((c) => stringAt(c, 'name') === TRANSFORMER_CONTAINER) ?? container;
  return { controllerService: { by: made.by, name: made.name, port: firstPort(target) ?? KSERVE_DEFAULT_PORT, portName: servicePortName(target, made.name), ...(made.carriesPodLabels ? { carriesPodLabels: true } : {}) } };
}

/** The predictor template with the runtime merged in, or the template unchanged. */
function withRuntime(template: PodTemplate, object: JsonObject, namespace: string, related: RelatedSet): PodTemplate {
  const merged = template.mergedContainers?.find((m) => m.path === MODEL_PATH);
  const predictor = objectAt(objectAt(object, 'spec'), 'predictor');
  if (!merged || !predictor || template.specPath !== PREDICTOR_PATH) return template;
  const runtime = findRuntime(merged.container, predictor, namespace, related);
  if (!runtime) return template;
  const containers = arrayAt(runtime.spec, 'containers').slice(0, MAX_RUNTIMES);
  const index = containers.findIndex((c) => stringAt(c, 'name') === RUNTIME_CONTAINER);
  const base = containers[index];
  if (!isObject(base)) return template;
  const label = `${runtime.kind} ${runtime.name}`;
  const runtimeAt = `${runtime.kind}/${runtime.name}.spec`;
  const model = mergeModelContainer({ runtime: base, runtimeAt: `${runtimeAt}.containers[${index}]`, model: merged.container, modelAt: MODEL_PATH, metadata: objectAt(object, 'metadata') ?? {}, serverType: serverTypeOf(runtime.annotations, runtime.name) });
  const pod = mergePredictorPod(template.spec, PREDICTOR_PATH, runtime.spec, runtimeAt);
  const sidecars = withRuntimeContainers(pod.spec, containers, runtimeAt);
  const container = { ...model.container, name: merged.as };
  return {
    ...template,
    ...withServicePort(template, container, containers),
    spec: sidecars.spec,
    mergedContainers: (template.mergedContainers ?? []).map((m) =>
      m === merged ? { ...m, container, runtime: { label, args: model.runtimeArgs, command: model.commandFromRuntime } } : m,
    ),
    pathAliases: [...model.aliases, ...sidecars.aliases, ...pod.aliases, ...(template.pathAliases ?? [])],
  };
}

/**
 * An InferenceService as the pod KServe makes when its runtime is in the related set; any other
 * workload, or one without a related set, is returned as it is. Pure; never throws.
 */
export function withServingRuntime(workload: Workload, object: unknown, related: RelatedSet | null): Workload {
  if (related === null || workload.kind !== 'InferenceService' || !isObject(object)) return workload;
  if (!related.byKind.has('ServingRuntime') && !related.byKind.has('ClusterServingRuntime')) return workload;
  const templates = workload.templates.map((t) => withRuntime(t, object, workload.namespace, related));
  return templates.every((t, i) => t === workload.templates[i]) ? workload : { ...workload, templates };
}
