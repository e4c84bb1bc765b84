/**
 * Reads the pod templates and group sizes of a serving CRD (serving-kinds.ts) from an object. Pure,
 * never throws on malformed input, bounded: at most MAX_ELEMENTS elements of any `[]` array or `{}` map are read.
 */
import { isObject, objectAt, valueAtPath } from '../util/json.js';
import type { JsonObject } from '../types.js';
import type { ServingKind, ServingRole, ServingTemplateEntry } from './serving-kind-types.js';
import { renderDynamoService, type PathAliases } from './dynamo-graph.js';
import { renderDynamoComponent } from './dynamo-component.js';
import { renderKubeaiModel, type ControllerUnknown } from './kubeai-model.js';

/** Worker groups, roles or replicated jobs read per array; real objects have a handful. */
export const MAX_ELEMENTS = 64;

export interface MergedContainer {
  /** Dotted path of the container (`spec.predictor.model`). */
  path: string;
  /** The container name it takes in the pod (`kserve-container`). */
  as: string;
  container: JsonObject;
}

export interface ServingTemplate {
  /** Concrete dotted path of the holder (`spec.workerGroupSpecs[1].template`). */
  path: string;
  /** Concrete dotted path of the pod spec. */
  specPath: string;
  metadata: JsonObject;
  spec: JsonObject;
  role: ServingRole;
  /** Pods this template runs in one group; null when a count is not a plain integer (a placeholder). */
  pods: number | null;
  mergedContainers: MergedContainer[];
  /** Where the object writes fields of a rendered pod (dynamo-graph.ts): findings are moved there. */
  pathAliases?: PathAliases;
  /** The container the operator gives the pod's probes (dynamo-component.ts), when it has one. */
  fronted?: string;
  /** The serving group this template belongs to (serving-kinds.ts `group`, made concrete), when the kind has several. */
  group?: string;
  /** Where the pod's `labels` and `annotations` are written, when not under `${path}.metadata` (serving-kinds.ts metadataFrom). */
  metadataPath?: string;
  /** Facts the controller takes from its own configuration (kubeai-model.ts): unknown here. */
  controllerUnknowns?: ControllerUnknown[];
}

interface Found {
  value: unknown;
  path: string;
  /** The array element the last `[]` walked into, for paths relative to it (`replicas`). */
  element: unknown;
  /** Its concrete path (`spec.template.roles[1]`), '' when no `[]` was walked. */
  elementPath: string;
}

/**
 * Walks `a.b[].c` (every element of an array) and `a.b{}.c` (every value of a map, reported with its
 * key: `spec.services.VllmDecodeWorker`) into every concrete value, with its path.
 */
function walk(root: unknown, path: string): Found[] {
  let found: Found[] = [{ value: root, path: '', element: undefined, elementPath: '' }];
  for (const part of path.split('.')) {
    const each = part.endsWith('[]');
    const every = part.endsWith('{}');
    const key = each || every ? part.slice(0, -2) : part;
    const next: Found[] = [];
    for (const f of found) {
      const child = isObject(f.value) && Object.hasOwn(f.value, key) ? f.value[key] : undefined;
      const childPath = f.path ? `${f.path}.${key}` : key;
      if (every) {
        const entries = isObject(child) ? Object.entries(child).slice(0, MAX_ELEMENTS) : [];
        for (const [name, item] of entries) next.push({ value: item, path: `${childPath}.${name}`, element: item, elementPath: `${childPath}.${name}` });
        continue;
      }
      if (!each) {
        if (child !== undefined) next.push({ value: child, path: childPath, element: f.element, elementPath: f.elementPath });
        continue;
      }
      const items = Array.isArray(child) ? child.slice(0, MAX_ELEMENTS) : [];
      items.forEach((item, i) => next.push({ value: item, path: `${childPath}[${i}]`, element: item, elementPath: `${childPath}[${i}]` }));
    }
    found = next;
  }
  return found;
}

function positiveInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function podsOf(entry: ServingTemplateEntry, element: unknown): number | null {
  const rule = entry.podsPerGroup;
  if (rule === undefined) return 1;
  if (typeof rule === 'number') return rule;
  const read = (path: string): number | null => {
    const value = valueAtPath(element, path);
    return value === undefined ? rule.default : positiveInteger(value);
  };
  const count = read(rule.path);
  const times = rule.times === undefined ? 1 : read(rule.times);
  return count === null || times === null ? null : count * times;
}

/** A DynamoGraphDeployment service as the pod the Dynamo operator renders (dynamo-graph.ts). */
function readDynamoService(object: unknown, entry: ServingTemplateEntry, found: Found & { value: JsonObject }): ServingTemplate {
  const pod = renderDynamoService(found.value, object, found.path);
  const mainPath = `${found.path}.extraPodSpec.mainContainer`;
  return {
    pathAliases: pod.aliases,
    path: found.path,
    specPath: `${found.path}.extraPodSpec`,
    metadata: pod.metadata,
    spec: pod.spec,
    role: entry.role,
    pods: podsOf(entry, found.element),
    mergedContainers: pod.main ? [{ path: mainPath, as: 'main', container: pod.main }] : [],
  };
}

/** The pod metadata a controller takes from a component (OME: its ComponentExtensionSpec labels and annotations). */
function metadataFrom(object: unknown, path: string | undefined): JsonObject {
  const from = path === undefined ? undefined : valueAtPath(object, path);
  if (!isObject(from)) return {};
  const metadata: JsonObject = {};
  for (const key of ['labels', 'annotations']) if (isObject(from[key])) metadata[key] = from[key];
  return metadata;
}

function readEntry(object: unknown, entry: ServingTemplateEntry): ServingTemplate[] {
  const out: ServingTemplate[] = [];
  for (const found of walk(object, entry.path)) {
    if (!isObject(found.value)) continue;
    if (entry.holds === 'dynamoService') {
      out.push(readDynamoService(object, entry, { ...found, value: found.value }));
      continue;
    }
    if (entry.holds === 'kubeaiModel') {
      const pod = isObject(object) ? renderKubeaiModel(object) : null;
      // The rendered pod is laid out as a Pod's (metadata, spec.containers[0] the controller's `server`); aliases move findings to the Model's fields.
      if (pod) out.push({ path: '', specPath: 'spec', metadata: pod.metadata, spec: pod.spec, role: entry.role, pods: 1, mergedContainers: [], pathAliases: pod.aliases, controllerUnknowns: pod.unknowns });
      continue;
    }
    if (entry.holds === 'dynamoComponent') {
      const pod = renderDynamoComponent(found.value);
      const path = `${found.path}.podTemplate`;
      // A rendered pod (defaults, /dev/shm added): no path moves, but aliases mark it so no fix patches it (engine.ts).
      const template: ServingTemplate = { path, specPath: `${path}.spec`, metadata: pod.metadata, spec: pod.spec, role: entry.role, pods: podsOf(entry, found.element), mergedContainers: [], pathAliases: [] };
      if (pod.fronted) template.fronted = pod.fronted;
      out.push(template);
      continue;
    }
    const spec = entry.holds === 'template' ? objectAt(found.value, 'spec') : found.value;
    if (!spec || (entry.absentWith !== undefined && valueAtPath(object, entry.absentWith) !== undefined)) continue;
    const mergedContainers: MergedContainer[] = [];
    for (const merged of entry.mergedContainers ?? []) {
      const container = valueAtPath(object, merged.path);
      if (!isObject(container)) continue;
      const own = merged.ownName && typeof container.name === 'string' && container.name !== '' ? container.name : undefined;
      mergedContainers.push({ path: merged.path, as: own ?? merged.as, container });
    }
    const template: ServingTemplate = {
      path: found.path,
      specPath: entry.holds === 'template' ? `${found.path}.spec` : found.path,
      metadata: entry.holds === 'template' ? (objectAt(found.value, 'metadata') ?? {}) : metadataFrom(object, entry.metadataFrom),
      spec,
      role: entry.role,
      // A count outside any `[]` (OME worker.size) is relative to the template itself.
      pods: podsOf(entry, found.elementPath === '' ? found.value : found.element),
      mergedContainers,
    };
    if (entry.group !== undefined) template.group = entry.group === 'element' ? found.elementPath : entry.group;
    if (entry.holds === 'podSpec' && entry.metadataFrom !== undefined) template.metadataPath = entry.metadataFrom;
    out.push(template);
  }
  return out;
}

/** Every pod template of a serving object, in table order. */
export function extractServingTemplates(object: unknown, kind: ServingKind): ServingTemplate[] {
  return kind.templates.flatMap((entry) => readEntry(object, entry));
}

export interface ServingGroup {
  /** Pods in one serving group: the sum over templates; null when one count is unknown. */
  pods: number | null;
  /** TP and PP the CRD states outside argv (KServe workerSpec, LLMInferenceService parallelism); null when absent. */
  tensor: number | null;
  pipeline: number | null;
  /** Devices the group needs by the CRD's own rule (KServe: TP × PP), or null. */
  devices: number | null;
}

function readCount(object: unknown, path: string | undefined): number | null {
  return path === undefined ? null : positiveInteger(valueAtPath(object, path));
}

/**
 * The serving group an object describes. KServe multi-node: TP = GPUs per node, PP = nodes, devices =
 * TP × PP (defaults 1). LLMInferenceService: pods per group from ParallelismSpec.GetSize. Ray, AIBrix
 * and JobSet: the pods of all templates (head + Σ replicas × numOfHosts).
 */
export function readServingGroup(object: unknown, kind: ServingKind, templates: readonly ServingTemplate[]): ServingGroup {
  const paths = kind.parallelism?.[0];
  const tensor = readCount(object, paths?.tensor);
  const pipeline = readCount(object, paths?.pipeline);
  let pods: number | null = 0;
  for (const t of templates) pods = pods === null || t.pods === null ? null : pods + t.pods;
  if (kind.kind === 'InferenceService') {
    const multiNode = templates.some((t) => t.role === 'worker');
    const tp = tensor ?? 1;
    const pp = pipeline ?? 1;
    return { pods: multiNode ? pp : 1, tensor: multiNode ? tp : tensor, pipeline: multiNode ? pp : pipeline, devices: multiNode ? tp * pp : null };
  }
  if (kind.kind === 'LLMInferenceService' || kind.kind === 'LLMInferenceServiceConfig') {
    const data = readCount(object, paths?.data);
    const dataLocal = readCount(object, paths?.dataLocal);
    const size = data !== null || dataLocal !== null ? Math.max(Math.floor(Math.max(data ?? 1, 1) / Math.max(dataLocal ?? 1, 1)), 1) : (pipeline ?? 1);
    const multiNode = templates.some((t) => t.role === 'worker');
    return { pods: multiNode ? size : 1, tensor, pipeline, devices: null };
  }
  return { pods, tensor, pipeline, devices: null };
}
