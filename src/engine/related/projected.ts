/**
 * Which source of a projected volume (`volumes[].projected.sources`) writes the file at a path of the
 * volume, read as the kubelet builds the volume:
 * - kubernetes/kubernetes pkg/volume/projected/projected.go (`collectData`): the sources are written in
 *   list order into one map of path to file, so a later source's file replaces an earlier one's at the
 *   same path; a `configMap` source is laid out by configmap.MakePayload, as a ConfigMap volume is (each
 *   key a file named after it, or only the listed `items` at their `path`), with the projected volume's
 *   `defaultMode`.
 * - Kubernetes API, k8s.io/api core/v1/types.go at v0.34.0 (Kubernetes v1.34): ProjectedVolumeSource
 *   `defaultMode` (unset: ProjectedVolumeSourceDefaultMode, 0644); ConfigMapProjection and
 *   SecretProjection have `name`, `items`, `optional` and no `defaultMode` of their own; KeyToPath
 *   `mode`, else the volume's `defaultMode`; DownwardAPIProjection `items[].path`;
 *   ServiceAccountTokenProjection and ClusterTrustBundleProjection `path`; PodCertificateProjection
 *   `credentialBundlePath`, `keyPath`, `certificateChainPath`.
 * Only a ConfigMap's file can be read. A Secret's, the downward API's, a token's or a certificate's
 * content is never known here, so a file from one is unknown, never a fault.
 * @module
 */
import type { JsonObject } from '../types.js';
import { arrayAt, isObject, stringAt } from '../util/json.js';

/** Whether a ConfigMap or Secret has a key: undefined when the object is not known here. */
export type HasKey = (kind: 'ConfigMap' | 'Secret', name: string, key: string) => boolean | undefined;

/** The ConfigMap key a projected file comes from, as mounted-files.ts's MountedKey. */
export interface ProjectedKey {
  name: string;
  key: string;
  optional: boolean;
  volume: string;
  mode: number | undefined;
}

/** Why the file is not a known ConfigMap key; `mayBeConfigMap` when a ConfigMap source may still hold it. */
export interface ProjectedUnknown {
  reason: string;
  clause: string;
  mayBeConfigMap?: boolean;
}

/** ProjectedVolumeSource.defaultMode when unset (ProjectedVolumeSourceDefaultMode, k8s.io/api v0.34.0). */
const DEFAULT_MODE = 0o644;
/** Sources looked at per volume: real ones have a handful; past it the file is unknown. */
const MAX_SOURCES = 64;
const KINDS = ['configMap', 'secret', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle', 'podCertificate'] as const;

/** A mode field: `fallback` when unset, the value when the API server accepts it (0–0777), else undefined (a placeholder). */
export function modeOf(value: unknown, fallback: number | undefined): number | undefined {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0o777 ? value : undefined;
}

/** What one source does for the path: writes it (`yes`), may (`maybe`, its keys are not known), or not. */
interface Answer {
  writes: 'yes' | 'maybe' | 'no';
  /** `ConfigMap x`, `Secret y`, `the downward API`, … */
  what: string;
  configMap?: ProjectedKey;
  /** The Secret key, for the message. */
  key?: string;
}

function answer(source: JsonObject, file: string, volume: string, defaultMode: number | undefined, hasKey: HasKey): Answer {
  const kind = KINDS.find((k) => isObject(source[k]));
  if (kind === undefined) return { writes: 'maybe', what: 'a source vllm-guard does not read' };
  const spec = source[kind] as JsonObject;
  if (kind === 'configMap' || kind === 'secret') {
    const name = stringAt(spec, 'name') ?? '';
    const what = `${kind === 'configMap' ? 'ConfigMap' : 'Secret'} ${name}`;
    const items = arrayAt(spec, 'items');
    const item = items.find((i) => stringAt(i, 'path') === file);
    let key: string;
    let writes: Answer['writes'];
    if (items.length > 0) {
      if (!isObject(item)) return { writes: 'no', what };
      key = stringAt(item, 'key') ?? '';
      writes = 'yes';
    } else {
      key = file;
      const has = hasKey(kind === 'configMap' ? 'ConfigMap' : 'Secret', name, file);
      writes = has === undefined ? 'maybe' : has ? 'yes' : 'no';
    }
    if (kind === 'secret') return { writes, what, key };
    // ConfigMapProjection has no defaultMode: one written there is no API field, so the mode is not known.
    const fallback = spec.defaultMode === undefined ? defaultMode : undefined;
    const mode = modeOf(isObject(item) ? item.mode : undefined, fallback);
    return { writes, what, configMap: { name, key, optional: spec.optional === true, volume, mode } };
  }
  const paths: unknown[] = kind === 'downwardAPI' ? arrayAt(spec, 'items').map((i) => (isObject(i) ? i.path : undefined))
    : kind === 'podCertificate' ? [spec.credentialBundlePath, spec.keyPath, spec.certificateChainPath]
      : [spec.path];
  const what = kind === 'downwardAPI' ? 'the downward API' : kind === 'serviceAccountToken' ? 'a service account token' : kind === 'clusterTrustBundle' ? 'a ClusterTrustBundle' : 'a pod certificate';
  return { writes: paths.includes(file) ? 'yes' : 'no', what };
}

/**
 * The ConfigMap key that projected volume `volume` (named `volumeName`) writes at `file` (its path
 * inside the volume, after `subPath`), or why that is not known: the last source that writes it wins
 * (projected.go), a source whose keys are not known (`hasKey` undefined: a ConfigMap not looked up)
 * may write it, and a Secret, downward API, token or certificate file is unknown content. `written`
 * is the path as the container names it, for the reasons. Linear in the volume's sources and items.
 */
export function projectedConfigMapKey(written: string, file: string, volumeName: string, volume: JsonObject, hasKey: HasKey): ProjectedKey | ProjectedUnknown {
  const defaultMode = modeOf(volume.defaultMode, DEFAULT_MODE);
  const sources = arrayAt(volume, 'sources');
  const on = `projected volume ${volumeName}`;
  if (sources.length > MAX_SOURCES) {
    return { reason: `${written} is on ${on}, which has more than ${MAX_SOURCES} sources`, clause: `is on ${on}, which has more than ${MAX_SOURCES} sources, so vllm-guard does not look for it`, mayBeConfigMap: true };
  }
  const maybe: Answer[] = [];
  for (let i = sources.length - 1; i >= 0; i--) {
    const source = sources[i];
    if (!isObject(source)) continue;
    const found = answer(source, file, volumeName, defaultMode, hasKey);
    if (found.writes === 'no') continue;
    if (found.writes === 'maybe') {
      maybe.push(found);
      continue;
    }
    // A later source that may write the same path would replace this one's file.
    return maybe.length > 0 ? ambiguous(written, on, [...maybe, found]) : decided(found, written, on);
  }
  // Only one source may write it: if the file exists, it is that source's.
  if (maybe.length === 1) return decided(maybe[0] as Answer, written, on);
  if (maybe.length > 0) return ambiguous(written, on, maybe);
  return { reason: `no source of ${on} writes ${file}, so ${written} does not exist`, clause: `does not exist: no source of ${on} writes ${file}` };
}

/** The file of the one source that writes it: a ConfigMap key, or why its content is unknown. */
function decided(found: Answer, written: string, on: string): ProjectedKey | ProjectedUnknown {
  if (found.configMap) return found.configMap;
  const which = found.key === undefined ? found.what : `${found.what} key ${found.key}`;
  const never = found.what.startsWith('Secret') ? 'whose values vllm-guard never reads' : 'whose content is known only in the running pod';
  return { reason: `${written} comes from ${which} on ${on}, ${never}`, clause: `comes from ${which} on ${on}, ${never}` };
}

function ambiguous(written: string, on: string, answers: readonly Answer[]): ProjectedUnknown {
  const names = [...new Set(answers.map((a) => a.what))].slice(0, 4).join(', ');
  const result: ProjectedUnknown = {
    reason: `${written} is on ${on}, where more than one source may write it (${names})`,
    clause: `is on ${on}, where more than one source may write it (${names}), so which one does is known only in the running pod`,
  };
  if (answers.some((a) => a.configMap)) result.mayBeConfigMap = true;
  return result;
}
