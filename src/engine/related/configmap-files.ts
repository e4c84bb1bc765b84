/**
 * A ConfigMap key as the file the kubelet writes for it: `data` values as they are, `binaryData`
 * values decoded from base64 (the kubelet's ConfigMap volume writes both as files:
 * kubernetes pkg/volume/configmap/configmap.go MakePayload). Environment variables never come from
 * `binaryData` (the kubelet's envFrom and configMapKeyRef read `data` only), so only file readers use this.
 * @module
 */
import type { JsonObject } from '../types.js';
import { isObject } from '../util/json.js';
import { configMapValue } from './configmaps.js';

/** The text of a ConfigMap file, why it cannot be read as text, or undefined when the ConfigMap has no such key. */
export type ConfigMapFile = { text: string } | { unreadable: string } | undefined;

/**
 * The file ConfigMap key `key` holds. A `binaryData` value is decoded only when its decoded size is at
 * most `maxBytes` (the caller's bound, 64 KiB for scripts and --config files: the base64 text is
 * checked first, so no more than that is decoded) and it is UTF-8 text without NUL bytes; otherwise
 * `unreadable` says why. Never throws; the content is never put in a reason.
 */
export function configMapFile(configMap: JsonObject, key: string, maxBytes: number): ConfigMapFile {
  const text = configMapValue(configMap, key);
  if (text !== undefined) return { text };
  const binary = configMap.binaryData;
  if (!isObject(binary) || !Object.hasOwn(binary, key)) return undefined;
  const encoded = binary[key];
  if (typeof encoded !== 'string') return { unreadable: `its binaryData value is not base64 text` };
  const compact = encoded.replace(/\s+/g, '');
  // base64 holds 3 bytes in 4 characters: a longer text decodes to more than maxBytes.
  if (compact.length > Math.ceil(maxBytes / 3) * 4) return { unreadable: `its binaryData value is longer than ${Math.round(maxBytes / 1024)} KiB, more than vllm-guard reads` };
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(compact), (c) => c.charCodeAt(0));
  } catch {
    return { unreadable: 'its binaryData value is not valid base64' };
  }
  if (bytes.length > maxBytes) return { unreadable: `its binaryData value is longer than ${Math.round(maxBytes / 1024)} KiB, more than vllm-guard reads` };
  try {
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (decoded.includes('\u0000')) return { unreadable: 'its binaryData value is binary, not text' };
    return { text: decoded };
  } catch {
    return { unreadable: 'its binaryData value is binary, not UTF-8 text' };
  }
}
