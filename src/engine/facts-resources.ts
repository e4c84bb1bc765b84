/** Accelerator, /dev/shm and volume facts of one container in its pod. */
import { parseQuantity } from './quantity.js';
import { arrayAt, isObject, objectAt, stringAt } from './json.js';
import type { JsonObject } from './types.js';

export interface AcceleratorFacts {
  present: boolean;
  resources: string[];
  limit: number;
  request: number | null;
  requestEqualsLimit: boolean;
  integers: boolean;
  claims: boolean;
  shared: boolean;
  groupTotal: number;
}

/** Resource names match exactly, or by prefix when the configured name ends in `*` (nvidia.com/mig-*). */
export function isAccelerator(name: string, configured: readonly string[]): boolean {
  return configured.some((c) => (c.endsWith('*') ? name.startsWith(c.slice(0, -1)) : name === c));
}

function acceleratorNames(resources: JsonObject | undefined, configured: readonly string[]): string[] {
  const names = new Set<string>();
  for (const section of ['limits', 'requests']) {
    for (const name of Object.keys(objectAt(resources, section) ?? {})) {
      if (isAccelerator(name, configured)) names.add(name);
    }
  }
  return [...names];
}

export function readAccelerators(container: JsonObject, configured: readonly string[]): Omit<AcceleratorFacts, 'groupTotal'> {
  const resources = objectAt(container, 'resources');
  const limits = objectAt(resources, 'limits') ?? {};
  const requests = objectAt(resources, 'requests') ?? {};
  const names = acceleratorNames(resources, configured);
  let limit = 0;
  let request: number | null = null;
  let equal = true;
  let integers = true;
  for (const name of names) {
    const l = parseQuantity(limits[name]);
    const r = name in requests ? parseQuantity(requests[name]) : null;
    if (l !== null) limit += l;
    if (r !== null) request = (request ?? 0) + r;
    if (l === null || (name in requests && r !== l)) equal = false;
    for (const v of [l, r]) if (v !== null && !Number.isInteger(v)) integers = false;
  }
  const claims = arrayAt(resources, 'claims').length > 0;
  return {
    present: names.length > 0 || claims,
    resources: names,
    limit,
    request,
    requestEqualsLimit: equal,
    integers,
    claims,
    shared: names.some((n) => n.endsWith('.shared') || n === 'nvidia.com/gpumem'),
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
  return arrayAt(pod, 'volumes').find((v): v is JsonObject => isObject(v) && v.name === name);
}

export function readShm(pod: JsonObject, container: JsonObject): ShmFacts {
  const mount = arrayAt(container, 'volumeMounts').find(
    (m) => (stringAt(m, 'mountPath') ?? '').replace(/\/+$/, '') === '/dev/shm',
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
    const persistent = volume ? PERSISTENT_SOURCES.some((s) => isObject(volume[s])) : claimTemplates.includes(name);
    if (persistent) persistentMountPaths.push(mountPath);
  }
  return { mountPaths, persistentMountPaths };
}
