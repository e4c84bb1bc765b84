/** Accelerator, /dev/shm and volume facts of one container in its pod. */
import { parseQuantity } from '../util/quantity.js';
import { arrayAt, isObject, objectAt, stringAt } from '../util/json.js';
import type { JsonObject } from '../types.js';
import { trimTrailingSlashes } from '../util/paths.js';

export interface AcceleratorFacts {
  present: boolean;
  resources: string[];
  limit: number;
  request: number | null;
  requestEqualsLimit: boolean;
  /** An accelerator resource is requested with no limit of the same name (the API server requires one). */
  limitMissing: boolean;
  integers: boolean;
  claims: boolean;
  shared: boolean;
  groupTotal: number;
}

/** The configured accelerator resource names, split once per engine into exact names and `prefix*` entries. */
export interface AcceleratorMatcher {
  readonly exact: ReadonlySet<string>;
  readonly prefixes: readonly string[];
}

/** Builds the matcher for `acceleratorResources` (exact names, or prefixes ending in `*`). */
export function createAcceleratorMatcher(configured: readonly string[]): AcceleratorMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const c of configured) {
    if (c.endsWith('*')) prefixes.push(c.slice(0, -1));
    else exact.add(c);
  }
  return { exact, prefixes };
}

function matches(matcher: AcceleratorMatcher, name: string): boolean {
  if (matcher.exact.has(name)) return true;
  for (const prefix of matcher.prefixes) if (name.startsWith(prefix)) return true;
  return false;
}

/** Accelerator resource names in limits, then requests, each once. */
function acceleratorNames(limits: JsonObject | undefined, requests: JsonObject | undefined, matcher: AcceleratorMatcher): string[] {
  const names: string[] = [];
  for (const section of [limits, requests]) {
    if (!section) continue;
    for (const name of Object.keys(section)) {
      if (matches(matcher, name) && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

/** The sum of a container's accelerator limits (what group totals add up). */
export function readAcceleratorLimit(container: JsonObject, matcher: AcceleratorMatcher): number {
  const limits = objectAt(objectAt(container, 'resources'), 'limits');
  if (!limits) return 0;
  let limit = 0;
  for (const name of Object.keys(limits)) {
    if (!matches(matcher, name)) continue;
    const l = parseQuantity(limits[name]);
    if (l !== null) limit += l;
  }
  return limit;
}

/**
 * The container's accelerator resources (names the matcher accepts, limits then requests): limit and
 * request summed over them (device counts; request null when none is requested), whether every request
 * equals its limit, whether one is requested with no limit (limitMissing), and all are whole, whether it asks for DRA `resources.claims`, and whether one is a
 * shared slice (`<name>.shared`: NVIDIA/k8s-device-plugin time-slicing renameByDefault; `nvidia.com/gpumem`:
 * HAMi, see knowledge/accelerators.ts). groupTotal (devices of the whole serving group) is passed
 * through. An unparsable quantity counts 0 and breaks requestEqualsLimit. Never throws.
 */
export function readAccelerators(container: JsonObject, matcher: AcceleratorMatcher, groupTotal: number): AcceleratorFacts {
  const resources = objectAt(container, 'resources');
  const limitsMap = objectAt(resources, 'limits');
  const requestsMap = objectAt(resources, 'requests');
  const limits = limitsMap ?? {};
  const requests = requestsMap ?? {};
  const names = acceleratorNames(limitsMap, requestsMap, matcher);
  let limit = 0;
  let request: number | null = null;
  let equal = true;
  let limitMissing = false;
  let integers = true;
  let shared = false;
  for (const name of names) {
    const l = parseQuantity(limits[name]);
    const requested = name in requests;
    const r = requested ? parseQuantity(requests[name]) : null;
    if (l !== null) limit += l;
    if (r !== null) request = (request ?? 0) + r;
    if (l === null || (requested && r !== l)) equal = false;
    if (requested && !(name in limits)) limitMissing = true;
    if ((l !== null && !Number.isInteger(l)) || (r !== null && !Number.isInteger(r))) integers = false;
    if (name.endsWith('.shared') || name === 'nvidia.com/gpumem') shared = true;
  }
  const claims = arrayAt(resources, 'claims').length > 0;
  return {
    present: names.length > 0 || claims,
    resources: names,
    limit,
    request,
    requestEqualsLimit: equal,
    limitMissing,
    integers,
    claims,
    shared,
    groupTotal,
  };
}

export interface ShmFacts {
  mounted: boolean;
  memoryBacked: boolean;
  hostIPC: boolean;
  volume: string | null;
  sizeLimitBytes: number | null;
  memoryLimitBytes: number | null;
  withinMemoryLimit: boolean | null;
}

function findVolume(pod: JsonObject, name: string): JsonObject | undefined {
  for (const v of arrayAt(pod, 'volumes')) if (isObject(v) && v.name === name) return v;
  return undefined;
}

function isPersistent(volume: JsonObject): boolean {
  for (const source of PERSISTENT_SOURCES) if (isObject(volume[source])) return true;
  return false;
}

/**
 * How /dev/shm is provided: a volumeMount at /dev/shm (or the pod's hostIPC), whether its emptyDir is
 * `medium: Memory`, its sizeLimit and the container's memory limit in bytes (null when unset or not a
 * valid quantity) and whether the size fits within the limit (null when either is unknown). Never throws.
 */
export function readShm(pod: JsonObject, container: JsonObject): ShmFacts {
  const mount = arrayAt(container, 'volumeMounts').find(
    (m) => trimTrailingSlashes(stringAt(m, 'mountPath') ?? '') === '/dev/shm',
  );
  const volumeName = stringAt(mount, 'name') ?? null;
  const emptyDir = volumeName ? objectAt(findVolume(pod, volumeName), 'emptyDir') : undefined;
  const hostIPC = pod.hostIPC === true;
  const sizeLimitBytes = emptyDir ? parseQuantity(emptyDir.sizeLimit) : null;
  const memoryLimitBytes = parseQuantity(objectAt(objectAt(container, 'resources'), 'limits')?.memory);
  return {
    mounted: Boolean(mount) || hostIPC,
    memoryBacked: stringAt(emptyDir, 'medium') === 'Memory' || hostIPC,
    hostIPC,
    volume: volumeName,
    sizeLimitBytes,
    memoryLimitBytes,
    withinMemoryLimit: sizeLimitBytes !== null && memoryLimitBytes !== null ? sizeLimitBytes <= memoryLimitBytes : null,
  };
}

const PERSISTENT_SOURCES = ['persistentVolumeClaim', 'image', 'nfs', 'csi', 'hostPath', 'ephemeral'];

/**
 * The container's mount paths, and those backed by a persistent source (persistentVolumeClaim, image,
 * nfs, csi, hostPath, ephemeral, or a StatefulSet's volumeClaimTemplates named in `claimTemplates`),
 * in volumeMounts order. A mount without a path or name is skipped. Never throws.
 */
export function readVolumes(
  pod: JsonObject,
  container: JsonObject,
  claimTemplates: readonly string[] = [],
): { mountPaths: string[]; persistentMountPaths: string[] } {
  const mountPaths: string[] = [];
  const persistentMountPaths: string[] = [];
  for (const mount of arrayAt(container, 'volumeMounts')) {
    const mountPath = stringAt(mount, 'mountPath');
    const name = stringAt(mount, 'name');
    if (!mountPath || !name) continue;
    mountPaths.push(mountPath);
    const volume = findVolume(pod, name);
    const persistent = volume ? isPersistent(volume) : claimTemplates.includes(name);
    if (persistent) persistentMountPaths.push(mountPath);
  }
  return { mountPaths, persistentMountPaths };
}
