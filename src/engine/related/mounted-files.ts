/**
 * Files a container reads from a ConfigMap volume: which ConfigMap key a path is mounted from (the
 * kubelet's ConfigMap volume layout: each key a file named after it, or only the listed `items` at
 * their `path`; `subPath` mounts one entry), and the file's text when the related set holds that
 * ConfigMap. A projected volume's `configMap` sources are read the same way (related/projected.ts).
 * Used for vLLM's `--config` file (vllm/config-file.ts) and for the start scripts a container runs
 * (command/script-files.ts). Secrets are never read: a file on a Secret volume or from a projected
 * Secret source is unknown, as is one on any other volume.
 * @module
 */
import type { JsonObject } from '../types.js';
import { arrayAt, isObject, stringAt } from '../util/json.js';
import { normalizeAbsolutePath, trimTrailingSlashes } from '../util/paths.js';
import { findRelated } from './configmaps.js';
import { configMapFile } from './configmap-files.js';
import type { RelatedSet } from './related-set.js';
import type { ReadScript } from '../command/script-files.js';
import { MAX_SCRIPT_LENGTH } from '../command/kubelet-expand.js';
import { modeOf, projectedConfigMapKey, type HasKey } from './projected.js';

/** A ConfigMap key mounted as a file. */
export interface MountedKey {
  name: string;
  key: string;
  optional: boolean;
  /** The volume's name in the pod. */
  volume: string;
  /**
   * The file's permission bits: the item's `mode`, else the volume's `defaultMode`, else 0644
   * (Kubernetes API reference, ConfigMapVolumeSource.defaultMode, ProjectedVolumeSource.defaultMode
   * and KeyToPath.mode); undefined when
   * the field that decides it is not a mode (a template placeholder, a value over 0777 the API server refuses).
   */
  mode: number | undefined;
}

/** ConfigMapVolumeSource.defaultMode when the volume does not set it (Kubernetes API reference). */
const DEFAULT_MODE = 0o644;

/**
 * Whether a ConfigMap or Secret of the related set has a key (Secrets keep their key names only,
 * related-set.ts); undefined when the object is not known here (admission, not in the set).
 */
export function relatedHasKey(related: RelatedSet | null, namespace: string): HasKey {
  return (kind, name, key) => {
    const lookup = findRelated(related, kind, name, namespace);
    if (!lookup.found) return undefined;
    // A `binaryData` key is a file too (configmap.MakePayload), read decoded (configmap-files.ts).
    return [lookup.found.data, lookup.found.binaryData].some((d) => isObject(d) && Object.hasOwn(d, key));
  };
}

const NOTHING_KNOWN: HasKey = () => undefined;

/**
 * The ConfigMap and key the file at absolute `written` is mounted from, or why it is not known.
 * The path is resolved first (`/scripts/./start.sh`, `//`, `..`: util/paths.ts), as the kernel
 * would; reasons name it as written. A ConfigMap volume and a projected volume's `configMap`
 * sources (related/projected.ts) are read; `hasKey` tells which keys a projected source's ConfigMap
 * or Secret has (unknown by default). `mayBeConfigMap`: a projected volume's ConfigMap may hold it.
 */
export function mountedConfigMapKey(written: string, container: JsonObject, pod: JsonObject, hasKey: HasKey = NOTHING_KNOWN): MountedKey | { reason: string; clause?: string; mayBeConfigMap?: boolean } {
  const path = normalizeAbsolutePath(written);
  let best: JsonObject | null = null;
  for (const mount of arrayAt(container, 'volumeMounts')) {
    const mountPath = normalizeAbsolutePath(trimTrailingSlashes(stringAt(mount, 'mountPath') ?? ''));
    if (mountPath === '' || !isObject(mount)) continue;
    if (path !== mountPath && !path.startsWith(`${mountPath}/`)) continue;
    if (!best || mountPath.length > normalizeAbsolutePath(trimTrailingSlashes(stringAt(best, 'mountPath') ?? '')).length) best = mount;
  }
  if (!best) return { reason: `${written} is not on a mounted volume, so it is in the image` };
  const mountPath = normalizeAbsolutePath(trimTrailingSlashes(stringAt(best, 'mountPath') ?? ''));
  const volumeName = stringAt(best, 'name') ?? '';
  const volume = arrayAt(pod, 'volumes').find((v) => stringAt(v, 'name') === volumeName);
  const configMap = isObject(volume) && isObject(volume.configMap) ? volume.configMap : null;
  const projected = isObject(volume) && isObject(volume.projected) ? volume.projected : null;
  if (!configMap && !projected) return { reason: `${written} is on volume ${volumeName}, which is not a ConfigMap volume`, clause: `is on volume ${volumeName}, which is not a ConfigMap volume, so its content is not known before the pod runs` };
  if (typeof best.subPathExpr === 'string') return { reason: `${written} is mounted with subPathExpr, known only at run time`, clause: 'is mounted with subPathExpr, known only at run time' };
  const subPath = stringAt(best, 'subPath');
  const rest = path === mountPath ? '' : path.slice(mountPath.length + 1);
  const file = subPath ? (rest === '' ? subPath : `${subPath}/${rest}`) : rest;
  if (!configMap) return projectedConfigMapKey(written, file, volumeName, projected as JsonObject, hasKey);
  const name = stringAt(configMap, 'name') ?? '';
  const optional = configMap.optional === true;
  const defaultMode = modeOf(configMap.defaultMode, DEFAULT_MODE);
  const items = arrayAt(configMap, 'items');
  if (items.length > 0) {
    const item = items.find((i) => stringAt(i, 'path') === file);
    if (!item) return { reason: `ConfigMap volume ${volumeName} lists no item with path ${file}, so ${written} does not exist`, clause: `does not exist: ConfigMap volume ${volumeName} lists no item with path ${file}` };
    return { name, key: stringAt(item, 'key') ?? '', optional, volume: volumeName, mode: modeOf(isObject(item) ? item.mode : undefined, defaultMode) };
  }
  return { name, key: file, optional, volume: volumeName, mode: defaultMode };
}

/**
 * A file read from a volume: its text and where it came from (`ConfigMap vllm-start key start.sh`);
 * `unknown` when the file is on a volume whose content is not readable here, with a clause that
 * says why after the file's name (`comes from ConfigMap x key y, and …`); null when no volume holds
 * the path, so the file is the image's own.
 */
export type MountedFile =
  | { text: string; from: string; volume: string; mode: number | undefined }
  // The ConfigMap, volume and mode are known from the pod even when the content is not.
  | { unknown: string; from?: string; volume?: string; mode?: number | undefined }
  | null;

/**
 * The text of the file at absolute `path` in `container`, read from the ConfigMap that `pod`'s
 * volume mounts there, looked up in `related` (null at admission: every ConfigMap is then unknown).
 * Bounded by the container's mounts and volumes and the related set's index; never throws.
 */
export function readMountedFile(path: string, container: JsonObject, pod: JsonObject, related: RelatedSet | null, namespace: string): MountedFile {
  const mounted = mountedConfigMapKey(path, container, pod, relatedHasKey(related, namespace));
  if ('reason' in mounted) return mounted.clause === undefined ? null : { unknown: mounted.clause };
  const from = `ConfigMap ${mounted.name} key ${mounted.key}`;
  const lookup = findRelated(related, 'ConfigMap', mounted.name, namespace);
  const { volume, mode } = mounted;
  if (!lookup.found) return { unknown: `comes from ${from}, and ${lookup.reason}`, from, volume, mode };
  // A `binaryData` key is decoded within the script bound (related/configmap-files.ts).
  const file = configMapFile(lookup.found, mounted.key, MAX_SCRIPT_LENGTH);
  if (file === undefined) return { unknown: `would come from ${from}, which does not exist`, from, volume, mode };
  if ('unreadable' in file) return { unknown: `comes from ${from}, and ${file.unreadable}`, from, volume, mode };
  return { text: file.text, from, volume, mode };
}

/**
 * Bytes of script files one review reads in all (command/script-files.ts bounds each file and each
 * container's count): without it, 64 containers each running one 64 KiB ConfigMap script eight times
 * would lex 32 MiB from a manifest of a few KiB.
 */
export const MAX_SCRIPT_BYTES_PER_REVIEW = 1024 * 1024;

/**
 * Reads the script files a container of `pod` runs from its ConfigMap volumes (command/script-files.ts),
 * within the review's `budget` of bytes (one object per review, shared by its pod templates).
 */
export function scriptReader(pod: JsonObject, related: RelatedSet | null, namespace: string, budget: { left: number }): (container: JsonObject) => ReadScript {
  return (container) => (path) => {
    const file = readMountedFile(path, container, pod, related, namespace);
    // A file over the per-file bound is refused unread (script-files.ts says so): it spends nothing.
    if (file === null || !('text' in file) || file.text.length > MAX_SCRIPT_LENGTH) return file;
    if (file.text.length > budget.left) return { unknown: `comes from ${file.from}, and the scripts of this workload are over ${MAX_SCRIPT_BYTES_PER_REVIEW / 1024 / 1024} MiB in all, so vllm-guard reads no more of them` };
    budget.left -= file.text.length;
    return file;
  };
}
