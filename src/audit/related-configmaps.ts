/**
 * The ConfigMaps of one namespace as the audit keeps them for the related set: only what the engine
 * reads (their name, namespace and `data`), with bounded memory. The engine resolves `envFrom`,
 * `configMapKeyRef` and vLLM's `--config` file from `data` (src/engine/related/configmaps.ts,
 * src/engine/vllm/config-file.ts) and reads a config file only up to MAX_CONFIG_FILE_BYTES (64 KiB),
 * while a ConfigMap may hold 1 MiB (Kubernetes' object size limit) and a namespace thousands of them
 * (dashboards, CA bundles, scripts). So:
 * - labels, annotations and managedFields are dropped (the engine reads none of them);
 * - `binaryData` is kept: the kubelet writes its keys as files (a start script, a --config YAML), which
 *   the engine decodes from base64 within the same bound (src/engine/related/configmap-files.ts), so the
 *   audit reads them as `check` does;
 * - a value longer than MAX_CONFIG_FILE_BYTES keeps only its first MAX_CONFIG_FILE_BYTES + 1
 *   characters (a binaryData value: the base64 text of that many bytes, and 4 characters more):
 *   still "longer than 64 KiB" to the engine, which then says it does not read it, as `check` says
 *   of the whole value;
 * - past MAX_CONFIGMAP_CHARS_PER_NAMESPACE of kept data in one namespace, the ConfigMaps of that
 *   namespace become a gap of the related set: what they would resolve is "could not be verified".
 * Secrets are never listed (the audit would need read access to every Secret's value).
 * @module
 */
import { MAX_CONFIG_FILE_BYTES, type JsonObject } from '../engine/api.js';

/** Characters of ConfigMap data kept per namespace: 32 MiB of text, 512 values at the 64 KiB bound. */
export const MAX_CONFIGMAP_CHARS_PER_NAMESPACE = 32 * 1024 * 1024;

const isRecord = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value as kept: at most MAX_CONFIG_FILE_BYTES + 1 characters (longer is as unreadable to the engine). */
function keptValue(value: unknown): unknown {
  return typeof value === 'string' && value.length > MAX_CONFIG_FILE_BYTES ? value.slice(0, MAX_CONFIG_FILE_BYTES + 1) : value;
}

/** base64 characters of MAX_CONFIG_FILE_BYTES bytes, and one more group: longer is as unreadable to the engine. */
const MAX_BINARY_CHARS = Math.ceil(MAX_CONFIG_FILE_BYTES / 3) * 4 + 4;

function keptBinary(value: unknown): unknown {
  return typeof value === 'string' && value.length > MAX_BINARY_CHARS ? value.slice(0, MAX_BINARY_CHARS) : value;
}

/** The kept values of a `data` or `binaryData` map, and the characters they hold. */
function keptMap(map: unknown, keep: (value: unknown) => unknown): { kept: JsonObject | null; chars: number } {
  if (!isRecord(map)) return { kept: null, chars: 0 };
  const kept: JsonObject = {};
  let chars = 0;
  for (const [key, value] of Object.entries(map)) {
    const one = keep(value);
    kept[key] = one;
    chars += key.length + (typeof one === 'string' ? one.length : 0);
  }
  return { kept, chars };
}

/** A listed ConfigMap reduced to what the engine reads, and the characters of data it keeps. */
export function keepConfigMap(item: JsonObject): { object: JsonObject; chars: number } {
  const metadata = isRecord(item.metadata) ? item.metadata : {};
  const identity: JsonObject = {};
  for (const field of ['name', 'namespace']) if (typeof metadata[field] === 'string') identity[field] = metadata[field];
  const data = keptMap(item.data, keptValue);
  const binary = keptMap(item.binaryData, keptBinary);
  const object: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: identity, data: data.kept ?? {} };
  if (binary.kept) object.binaryData = binary.kept;
  return { object, chars: data.chars + binary.chars };
}

/**
 * Keeps the ConfigMaps of one namespace page by page: `add` takes a listed page and returns false
 * once the namespace holds more than MAX_CONFIGMAP_CHARS_PER_NAMESPACE (then nothing more is kept,
 * and `overflow` says why for the related set's gap).
 */
export function createConfigMapKeeper(namespace: string): { add(items: readonly JsonObject[]): boolean; readonly kept: JsonObject[]; overflow(): string | null } {
  const kept: JsonObject[] = [];
  let chars = 0;
  let over = false;
  return {
    kept,
    add(items) {
      for (const item of items) {
        if (over) break;
        const one = keepConfigMap(item);
        chars += one.chars;
        if (chars > MAX_CONFIGMAP_CHARS_PER_NAMESPACE) over = true;
        else kept.push(one.object);
      }
      return !over;
    },
    overflow: () =>
      over ? `the ConfigMaps of namespace ${namespace} hold more than ${MAX_CONFIGMAP_CHARS_PER_NAMESPACE / (1024 * 1024)} MiB of data (values counted up to 64 KiB each), more than the audit keeps per namespace` : null,
  };
}
