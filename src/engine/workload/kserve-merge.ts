/**
 * The container and pod spec KServe makes from an InferenceService's `spec.predictor.model` and the
 * ServingRuntime it runs on, written out so the engine reviews what will run. Pure; reads a bounded
 * number of entries of every list.
 *
 * Sources, kserve/kserve at tag v0.20.0:
 * - pkg/controller/v1beta1/inferenceservice/utils/utils.go MergeRuntimeContainers: the runtime's
 *   `kserve-container` is the base, the model's container is laid over it with a strategic merge
 *   patch (pkg/utils/container_merge.go MergeContainerWithPatch: lists with a patch key, such as
 *   `env` by name, `volumeMounts` by mountPath and `ports` by containerPort, merge entry by entry;
 *   maps such as `resources` merge key by key; other lists, `command` among them, are replaced), then
 *   `args` are the runtime's followed by the model's ("isvc extends runtime flags").
 * - utils.go MergePodSpec: the runtime's nodeSelector, affinity, tolerations, volumes,
 *   imagePullSecrets and schedulerName, with the predictor's pod fields patched over them.
 * - utils.go ReplacePlaceholders: the merged container is run as a Go template over the
 *   InferenceService's metadata (`{{.Name}}`, `{{.Namespace}}`, `{{.Labels.key}}`, `{{.Annotations.key}}`).
 * - utils.go UpdateImageTag: `runtimeVersion` replaces the image's tag (not an image by digest); else a
 *   GPU container of a `huggingfaceserver` runtime gets the `-gpu` tag and a `vllmserver` one without
 *   a GPU the `-cpu` repository (config/runtimes/kserve-vllmserver.yaml says so too).
 * @module
 */
import { arrayAt, isObject, objectAt, stringAt } from '../util/json.js';
import type { JsonObject } from '../types.js';

/** Where the rules of this file are read, for messages and docs. */
export const KSERVE_MERGE_SOURCE =
  'kserve/kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go@v0.20.0 (MergeRuntimeContainers, MergePodSpec, ReplacePlaceholders, UpdateImageTag), pkg/utils/container_merge.go, pkg/constants/constants.go (server types)';

/** Entries read per list (env, args, volumes); real containers have a few dozen. */
const MAX_ENTRIES = 256;

/** corev1.Container lists merged entry by entry (their patchMergeKey), as a strategic merge patch does. */
const KEYED_CONTAINER_LISTS: Readonly<Record<string, string>> = { env: 'name', ports: 'containerPort', volumeMounts: 'mountPath', volumeDevices: 'devicePath' };
/** corev1.PodSpec lists merged by name; tolerations (no patch strategy) are replaced. */
const KEYED_POD_LISTS: Readonly<Record<string, string>> = { volumes: 'name', imagePullSecrets: 'name' };
/** The pod fields MergePodSpec takes from the runtime. */
const RUNTIME_POD_FIELDS = ['nodeSelector', 'affinity', 'tolerations', 'volumes', 'imagePullSecrets', 'schedulerName'] as const;
/** ModelSpec fields that are not corev1.Container fields. */
const MODEL_ONLY_FIELDS: ReadonlySet<string> = new Set(['modelFormat', 'runtime', 'runtimeVersion', 'protocolVersion', 'storageUri', 'storage']);

/** Go's `omitempty`: an empty string, list or map is not in the patch, so it changes nothing. */
function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

/** Map levels merged key by key; deeper, the overlay's map is taken whole (real containers nest 4 levels). */
const MAX_DEPTH = 16;

/** A strategic merge of two plain values: maps key by key, everything else replaced by the overlay. */
function mergeValue(base: unknown, overlay: unknown, depth = 0): unknown {
  if (isEmpty(overlay)) return base;
  if (!isObject(base) || !isObject(overlay) || depth > MAX_DEPTH) return overlay;
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (key !== '__proto__') out[key] = mergeValue(base[key], value, depth + 1);
  }
  return out;
}

/** Where each entry of a merged list comes from: `base` or `overlay`, and its index there. */
type Origin = readonly ['base' | 'overlay', number];

/** A list merged by `key`: base entries in order (an overlay entry of the same key merged into it), then new overlay entries. */
function mergeKeyed(base: unknown[], overlay: unknown[], key: string): { list: unknown[]; origins: Origin[] } {
  const list: unknown[] = [];
  const origins: Origin[] = [];
  const place = new Map<unknown, number>();
  base.slice(0, MAX_ENTRIES).forEach((entry, i) => {
    if (isObject(entry) && entry[key] !== undefined) place.set(entry[key], list.length);
    list.push(entry);
    origins.push(['base', i]);
  });
  overlay.slice(0, MAX_ENTRIES).forEach((entry, i) => {
    const at = isObject(entry) ? place.get(entry[key]) : undefined;
    if (at === undefined) {
      list.push(entry);
      origins.push(['overlay', i]);
      return;
    }
    list[at] = mergeValue(list[at], entry);
    origins[at] = ['overlay', i];
  });
  return { list, origins };
}

export interface MergeInput {
  /** The runtime's `kserve-container`, and where the runtime writes it (`ServingRuntime/vllm.spec.containers[0]`). */
  runtime: JsonObject;
  runtimeAt: string;
  /** `spec.predictor.model`, and its dotted path. */
  model: JsonObject;
  modelAt: string;
  /** The InferenceService's metadata, for placeholders. */
  metadata: JsonObject;
  /** The runtime's server type (serverTypeOf), for the image tag. */
  serverType: string;
}

export interface MergedModel {
  container: JsonObject;
  /** `[merged, written]` path prefixes: a finding on the merged container is moved where its field is written. */
  aliases: [string, string][];
  /** How many of the merged `args` are the runtime's (they come first). */
  runtimeArgs: number;
  /** The command is the runtime's (the model writes none). */
  commandFromRuntime: boolean;
}

/** Every string inside `value` passed through `replace`, bounded by the caller's lists. */
function mapStrings(value: unknown, replace: (s: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return replace(value);
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.slice(0, MAX_ENTRIES).map((v) => mapStrings(v, replace, depth + 1));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) if (key !== '__proto__') out[key] = mapStrings(v, replace, depth + 1);
  return out;
}

/** The value a `{{ … }}` action takes from the InferenceService's metadata, or undefined when it is not one we read. */
function placeholderValue(action: string, metadata: JsonObject): string | undefined {
  const field = action.trim();
  if (field === '.Name' || field === '.Namespace') return stringAt(metadata, field === '.Name' ? 'name' : 'namespace');
  for (const [prefix, key] of [['.Labels.', 'labels'], ['.Annotations.', 'annotations']] as const) {
    if (field.startsWith(prefix)) return stringAt(objectAt(metadata, key), field.slice(prefix.length));
  }
  return undefined;
}

/**
 * KServe's ReplacePlaceholders on one string: `{{.Name}}`, `{{.Namespace}}`, `{{.Labels.k}}` and
 * `{{.Annotations.k}}` take the InferenceService's values; any other action is left as written (an
 * unknown value for the rules). A scan with indexOf, no regular expression.
 */
export function replacePlaceholders(text: string, metadata: JsonObject): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('{{', from);
    const close = open === -1 ? -1 : text.indexOf('}}', open + 2);
    if (close === -1) return out + text.slice(from);
    const value = placeholderValue(text.slice(open + 2, close), metadata);
    out += text.slice(from, open) + (value ?? text.slice(open, close + 2));
    from = close + 2;
  }
}

/** KServe's server types whose images UpdateImageTag switches (constants.go ServerType*). */
const GPU_TAG_SERVERS: ReadonlySet<string> = new Set(['tensorflow-serving', 'torchserve', 'huggingfaceserver']);
/** constants.go GetServerTypeFromRuntimeName: the runtimes KServe ships, by name, for runtimes without the annotation. */
const SERVER_TYPE_BY_RUNTIME: Readonly<Record<string, string>> = { 'kserve-torchserve': 'torchserve', 'kserve-tensorflow-serving': 'tensorflow-serving', 'kserve-huggingfaceserver': 'huggingfaceserver', 'kserve-vllmserver': 'vllmserver' };

/** The runtime's server type: its `serving.kserve.io/server-type` annotation, else its name (UpdateImageTag). */
export function serverTypeOf(annotations: JsonObject | undefined, runtimeName: string): string {
  return stringAt(annotations, 'serving.kserve.io/server-type') || (Object.hasOwn(SERVER_TYPE_BY_RUNTIME, runtimeName) ? (SERVER_TYPE_BY_RUNTIME[runtimeName] ?? '') : '');
}

/** utils.go IsGPUEnabled: `nvidia.com/gpu` or a `nvidia.com/mig…` resource in the limits. */
function gpuEnabled(container: JsonObject): boolean {
  return Object.keys(objectAt(objectAt(container, 'resources'), 'limits') ?? {}).some((name) => name === 'nvidia.com/gpu' || name.startsWith('nvidia.com/mig'));
}

/**
 * UpdateImageTag: `runtimeVersion` replaces the tag; else, by server type, a GPU container of the
 * Hugging Face (TF Serving, TorchServe) runtime gets the `-gpu` tag, and a vLLM runtime container
 * without a GPU the sibling `-cpu` repository. An image by digest or without a tag is kept.
 */
function updateImageTag(image: string, runtimeVersion: string | undefined, serverType: string, gpu: boolean): string {
  const colon = image.lastIndexOf(':');
  if (image.includes('@sha256:') || colon <= image.lastIndexOf('/')) return runtimeVersion && !image.includes('@sha256:') ? `${image}:${runtimeVersion}` : image;
  const repository = image.slice(0, colon);
  if (runtimeVersion) return `${repository}:${runtimeVersion}`;
  if (gpu && GPU_TAG_SERVERS.has(serverType)) return image.endsWith('-gpu') ? image : `${image}-gpu`;
  if (!gpu && serverType === 'vllmserver' && !repository.endsWith('-cpu')) return `${repository}-cpu${image.slice(colon)}`;
  return image;
}

/** The model's container laid over the runtime's `kserve-container` (MergeRuntimeContainers), placeholders replaced. */
export function mergeModelContainer(input: MergeInput): MergedModel {
  const { runtime, model, runtimeAt, modelAt } = input;
  const aliases: [string, string][] = [];
  const merged: JsonObject = { ...runtime };
  for (const [key, value] of Object.entries(model)) {
    if (MODEL_ONLY_FIELDS.has(key) || key === 'args' || key === '__proto__' || isEmpty(value)) continue;
    const listKey = KEYED_CONTAINER_LISTS[key];
    if (listKey === undefined || !Array.isArray(value)) {
      merged[key] = mergeValue(runtime[key], value);
      continue;
    }
    const { list, origins } = mergeKeyed(arrayAt(runtime, key), value, listKey);
    merged[key] = list;
    origins.forEach(([side, i], at) => {
      if (side === 'base') aliases.push([`${modelAt}.${key}[${at}]`, `${runtimeAt}.${key}[${i}]`]);
      else if (i !== at) aliases.push([`${modelAt}.${key}[${at}]`, `${modelAt}.${key}[${i}]`]);
    });
  }
  // A keyed list only the runtime writes is reported there as a whole too.
  for (const key of Object.keys(KEYED_CONTAINER_LISTS)) {
    if (isEmpty(model[key]) && !isEmpty(runtime[key])) aliases.push([`${modelAt}.${key}`, `${runtimeAt}.${key}`]);
  }
  const runtimeArgs = arrayAt(runtime, 'args').slice(0, MAX_ENTRIES);
  const modelArgs = arrayAt(model, 'args').slice(0, MAX_ENTRIES);
  if (runtimeArgs.length + modelArgs.length > 0) merged.args = [...runtimeArgs, ...modelArgs];
  runtimeArgs.forEach((_, j) => aliases.push([`${modelAt}.args[${j}]`, `${runtimeAt}.args[${j}]`]));
  if (runtimeArgs.length > 0) modelArgs.forEach((_, i) => aliases.push([`${modelAt}.args[${runtimeArgs.length + i}]`, `${modelAt}.args[${i}]`]));
  // A field only the runtime writes is reported in the runtime; `resources` per request and limit key.
  for (const key of Object.keys(runtime)) {
    if (key === 'args' || key === 'name' || KEYED_CONTAINER_LISTS[key] !== undefined || isEmpty(runtime[key])) continue;
    if (key === 'resources' && !isEmpty(model.resources)) {
      for (const side of ['requests', 'limits']) {
        for (const name of Object.keys(objectAt(objectAt(runtime, 'resources'), side) ?? {})) {
          if (objectAt(objectAt(model, 'resources'), side)?.[name] === undefined) aliases.push([`${modelAt}.resources.${side}.${name}`, `${runtimeAt}.resources.${side}.${name}`]);
        }
      }
    } else if (isEmpty(model[key])) aliases.push([`${modelAt}.${key}`, `${runtimeAt}.${key}`]);
  }
  const container = mapStrings(merged, (s) => replacePlaceholders(s, input.metadata)) as JsonObject;
  const image = stringAt(container, 'image');
  if (image !== undefined) container.image = updateImageTag(image, stringAt(model, 'runtimeVersion'), input.serverType, gpuEnabled(container));
  return { container, aliases, runtimeArgs: runtimeArgs.length, commandFromRuntime: isEmpty(model.command) && !isEmpty(runtime.command) };
}

/**
 * The predictor's pod spec with the runtime's pod fields under it (MergePodSpec): `predictor` is
 * `spec.predictor` at `predictorAt`, `runtimeSpec` the runtime's `spec` at `runtimeAt`.
 */
export function mergePredictorPod(predictor: JsonObject, predictorAt: string, runtimeSpec: JsonObject, runtimeAt: string): { spec: JsonObject; aliases: readonly (readonly [string, string])[] } {
  const spec: JsonObject = { ...predictor };
  const aliases: [string, string][] = [];
  for (const key of RUNTIME_POD_FIELDS) {
    const base = runtimeSpec[key];
    if (isEmpty(base)) continue;
    const listKey = KEYED_POD_LISTS[key];
    if (listKey !== undefined && Array.isArray(base)) {
      const { list, origins } = mergeKeyed(base, arrayAt(predictor, key), listKey);
      spec[key] = list;
      origins.forEach(([side, i], at) => {
        if (side === 'base') aliases.push([`${predictorAt}.${key}[${at}]`, `${runtimeAt}.${key}[${i}]`]);
        else if (i !== at) aliases.push([`${predictorAt}.${key}[${at}]`, `${predictorAt}.${key}[${i}]`]);
      });
      if (isEmpty(predictor[key])) aliases.push([`${predictorAt}.${key}`, `${runtimeAt}.${key}`]);
      continue;
    }
    if (isEmpty(predictor[key])) aliases.push([`${predictorAt}.${key}`, `${runtimeAt}.${key}`]);
    spec[key] = mergeValue(base, predictor[key]);
  }
  return { spec, aliases };
}
