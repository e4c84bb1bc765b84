/**
 * The pod the NVIDIA Dynamo operator makes for one service of a DynamoGraphDeployment
 * (`nvidia.com/v1alpha1`, `spec.services.<Name>`), written out so the engine reviews what will run:
 * `extraPodSpec` is the PodSpec, `extraPodSpec.mainContainer` becomes the container `main` with the
 * operator's defaults merged under it. Pure; reads a bounded number of entries.
 *
 * Sources, ai-dynamo/dynamo deploy/cloud/operator (the repository's release tags could not be listed
 * with the tools at hand, so the commits read are named):
 * - internal/dynamo/graph.go (commit 52c2429d3511) GenerateBasePodSpec: the component defaults are the
 *   base container, `mainContainer` is merged over them (mergo WithOverride, env merged by name, its
 *   startupProbe replaces the default), then the service's `envs` (after the graph's `spec.envs`), its
 *   `livenessProbe` / `readinessProbe` (replacing the defaults whole), its `resources` (per key over the
 *   container's), `envFromSecret` (an envFrom secretRef), `volumeMounts` (a PVC named `name` at
 *   `mountPoint`) and shared memory; the container is appended to `extraPodSpec.containers`.
 * - generateSharedMemoryVolumeAndMount (same file): an emptyDir of medium Memory named
 *   `shared-memory`, 8Gi unless `sharedMemory.size`, at /dev/shm, unless `sharedMemory.disabled`.
 * - internal/controller_common/resource.go GetResourcesConfig: `gpu` is the resource `gpuType` names,
 *   else `nvidia.com/gpu`; `custom` keys are resource names as written.
 * - internal/dynamo/component_worker.go (commit 0284ad8648d3) WorkerDefaults: port `system` 9090,
 *   liveness `/live` (period 5 s, failureThreshold 1), readiness `/health`, startup `/live` with
 *   failureThreshold 720 × 10 s (2 h), env DYN_SYSTEM_ENABLED, DYN_SYSTEM_PORT=9090.
 * Older operators added fewer defaults; these are the current ones.
 * @module
 */
import { arrayAt, isObject, objectAt, stringAt } from '../util/json.js';
import type { JsonObject } from '../types.js';

/** Where the sources of this file are, for messages and docs. */
export const DYNAMO_OPERATOR_SOURCE =
  'ai-dynamo/dynamo deploy/cloud/operator internal/dynamo/graph.go (GenerateBasePodSpec, commit 52c2429d3511), component_worker.go, internal/controller_common/resource.go';

/** Entries read per list of a service (envs, volumeMounts); real services have a handful. */
const MAX_ENTRIES = 256;

const SYSTEM_PORT = 9090;
const systemProbe = (path: string, periodSeconds: number, failureThreshold: number, timeoutSeconds: number): JsonObject => ({
  httpGet: { path, port: 'system' },
  periodSeconds,
  timeoutSeconds,
  failureThreshold,
});

/** component_worker.go WorkerDefaults.GetBaseContainer: what the operator gives every worker container. */
export function workerDefaults(): JsonObject {
  return {
    name: 'main',
    ports: [{ protocol: 'TCP', name: 'system', containerPort: SYSTEM_PORT }],
    livenessProbe: systemProbe('/live', 5, 1, 4),
    readinessProbe: systemProbe('/health', 10, 3, 4),
    startupProbe: systemProbe('/live', 10, 720, 5),
    env: [
      { name: 'DYN_SYSTEM_ENABLED', value: 'true' },
      { name: 'DYN_SYSTEM_PORT', value: String(SYSTEM_PORT) },
    ],
  };
}

/**
 * Env lists merged by name, a later list overriding an earlier one, sorted by name (graph.go MergeEnvs).
 * Each list comes with the dotted path it is written at (null for the operator's defaults); `at` is
 * where each merged entry is written, in the merged order.
 */
export function mergeEnvs(lists: readonly { list: unknown[]; at: string | null }[]): { env: JsonObject[]; at: (string | null)[] } {
  const byName = new Map<string, { env: JsonObject; at: string | null }>();
  for (const { list, at } of lists) {
    list.slice(0, MAX_ENTRIES).forEach((env, i) => {
      const name = isObject(env) ? stringAt(env, 'name') : undefined;
      if (isObject(env) && name !== undefined) byName.set(name, { env, at: at === null ? null : `${at}[${i}]` });
    });
  }
  const merged = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return { env: merged.map((m) => m.env), at: merged.map((m) => m.at) };
}

/** A quantity as written (`"2"`, `2`), or undefined when absent or empty. */
export function quantity(value: unknown): string | number | undefined {
  return (typeof value === 'string' && value !== '') || typeof value === 'number' ? value : undefined;
}

/** One ResourceItem (`{cpu, memory, gpu, gpuType, custom}`) as Kubernetes resource names (GetResourcesConfig). */
function resourceList(item: JsonObject | undefined): JsonObject {
  const out: JsonObject = {};
  if (!item) return out;
  const cpu = quantity(item.cpu);
  const memory = quantity(item.memory);
  const gpu = quantity(item.gpu);
  if (cpu !== undefined) out.cpu = cpu;
  if (memory !== undefined) out.memory = memory;
  if (gpu !== undefined) out[stringAt(item, 'gpuType') || 'nvidia.com/gpu'] = gpu;
  const custom = objectAt(item, 'custom');
  for (const [name, value] of Object.entries(custom ?? {}).slice(0, MAX_ENTRIES)) {
    const q = quantity(value);
    if (q !== undefined && name !== '__proto__') out[name] = q;
  }
  return out;
}

/** The main container's resources with the service's `resources` copied over them, per key. */
function mergeResources(container: JsonObject, resources: JsonObject | undefined): JsonObject | undefined {
  const own = objectAt(container, 'resources');
  if (!resources) return own;
  const merged: JsonObject = { ...own };
  for (const side of ['requests', 'limits'] as const) {
    const extra = resourceList(objectAt(resources, side));
    if (Object.keys(extra).length > 0) merged[side] = { ...objectAt(own ?? {}, side), ...extra };
  }
  return merged;
}

/**
 * Where a finding about the rendered pod is written in the object: `[rendered, written]` dotted-path
 * prefixes (`…mainContainer.resources` → `spec.services.W.resources`). aliasPath applies them. `whole`: every
 * path under `rendered` becomes `written` itself (a KubeAI Model's `spec.resourceProfile` stands for the
 * container's whole `resources`).
 */
export type PathAliases = readonly (readonly [rendered: string, written: string, whole?: 'whole'])[];

/** A finding's path moved to where the object writes that field (the first alias whose prefix matches). */
export function aliasPath(path: string, aliases: PathAliases | undefined): string {
  for (const [from, to, whole] of aliases ?? []) {
    if (path === from) return to;
    if (path.startsWith(from) && (path[from.length] === '.' || path[from.length] === '[')) return whole ? to : to + path.slice(from.length);
  }
  return path;
}

export interface DynamoServicePod {
  /** The pod spec without the main container: `extraPodSpec` with the operator's volumes added. */
  spec: JsonObject;
  /** The pod's labels and annotations (`extraPodMetadata`, the service's `labels` / `annotations`). */
  metadata: JsonObject;
  /** The container `main` as the operator renders it, or null when the service names no mainContainer. */
  main: JsonObject | null;
  /** Where the service writes what the operator moved into the pod (envs, resources, probes, pod metadata). */
  aliases: PathAliases;
}

/**
 * The pod of one DynamoGraphDeployment service (`service` is `spec.services.<Name>` at the dotted
 * `path`, `graph` the whole object), as the operator renders it. Fields that are not objects or lists
 * are ignored.
 */
export function renderDynamoService(service: JsonObject, graph: unknown, path: string): DynamoServicePod {
  const mainPath = `${path}.extraPodSpec.mainContainer`;
  const aliases: [string, string][] = [[`${path}.metadata`, `${path}.extraPodMetadata`]];
  const extra = objectAt(service, 'extraPodSpec') ?? {};
  const { mainContainer, ...podSpec } = extra;
  const volumes: unknown[] = arrayAt(extra, 'volumes').slice(0, MAX_ENTRIES);
  const mounts: JsonObject[] = [];
  for (const mount of arrayAt(service, 'volumeMounts').slice(0, MAX_ENTRIES)) {
    const name = isObject(mount) ? stringAt(mount, 'name') : undefined;
    const mountPoint = isObject(mount) ? stringAt(mount, 'mountPoint') : undefined;
    if (!name || !mountPoint) continue;
    volumes.push({ name, persistentVolumeClaim: { claimName: name } });
    mounts.push({ name, mountPath: mountPoint });
  }
  const shm = objectAt(service, 'sharedMemory');
  if (shm?.disabled !== true) {
    volumes.push({ name: 'shared-memory', emptyDir: { medium: 'Memory', sizeLimit: quantity(shm?.size) ?? '8Gi' } });
    mounts.push({ name: 'shared-memory', mountPath: '/dev/shm' });
  }
  const spec: JsonObject = { ...podSpec, volumes };
  const podMeta = objectAt(service, 'extraPodMetadata');
  const metadata: JsonObject = {
    labels: { ...objectAt(service, 'labels'), ...objectAt(podMeta ?? {}, 'labels') },
    annotations: { ...objectAt(service, 'annotations'), ...objectAt(podMeta ?? {}, 'annotations') },
  };
  if (!isObject(mainContainer)) return { spec, metadata, main: null, aliases };
  const base = stringAt(service, 'componentType') === 'worker' ? workerDefaults() : { name: 'main' };
  const main: JsonObject = { ...base, ...mainContainer, name: 'main' };
  const env = mergeEnvs([
    { list: arrayAt(base, 'env'), at: null },
    { list: arrayAt(mainContainer, 'env'), at: `${mainPath}.env` },
    { list: arrayAt(objectAt(graph, 'spec'), 'envs'), at: 'spec.envs' },
    { list: arrayAt(service, 'envs'), at: `${path}.envs` },
  ]);
  main.env = env.env;
  env.at.forEach((at, i) => {
    if (at !== null && at !== `${mainPath}.env[${i}]`) aliases.push([`${mainPath}.env[${i}]`, at]);
  });
  for (const probe of ['livenessProbe', 'readinessProbe'] as const) {
    const own = objectAt(service, probe);
    if (!own) continue;
    main[probe] = own;
    aliases.push([`${mainPath}.${probe}`, `${path}.${probe}`]);
  }
  const resources = mergeResources(main, objectAt(service, 'resources'));
  if (resources) main.resources = resources;
  if (objectAt(service, 'resources')) aliases.push([`${mainPath}.resources`, `${path}.resources`]);
  const secret = stringAt(service, 'envFromSecret');
  if (secret) main.envFrom = [...arrayAt(main, 'envFrom'), { secretRef: { name: secret } }];
  if (mounts.length > 0) main.volumeMounts = [...arrayAt(main, 'volumeMounts'), ...mounts];
  return { spec, metadata, main, aliases };
}
