/**
 * What every related-object reader needs about one checked workload: the related set, where the
 * workload lives, the labels its pods carry, its pod spec and the port vLLM listens on.
 */
import type { JsonObject, PodTemplate } from '../types.js';
import { arrayAt, isObject, numberAt, stringAt } from '../util/json.js';
import type { RelatedSet } from './related-set.js';

export interface RelatedContext {
  set: RelatedSet;
  /** The workload's namespace ('' when the manifest has none). */
  namespace: string;
  kind: string;
  name: string;
  /**
   * Labels of the pod template and those its controller adds (what selectors see), not the
   * workload's own labels.
   */
  podLabels: Readonly<Record<string, string>>;
  /** The template's labels as written, for messages, when the controller adds others to podLabels. */
  writtenLabels?: Readonly<Record<string, string>>;
  podAnnotations: Readonly<Record<string, string>>;
  /** The pod spec. */
  pod: JsonObject;
  /** vLLM's `--port` (facts `vllm.port`, default 8000). */
  serverPort: number;
  /** Spec replicas as written (facts `workload.replicas`), null when the kind has no fixed count. */
  replicas: number | null;
  /** The Service the serving controller makes for the pods (PodTemplate controllerService), when it makes one. */
  controllerService?: PodTemplate['controllerService'];
}

/** Items of one list read from a related object; more is not a real manifest. */
export const MAX_ITEMS = 64;
/** Entries of one related list in the facts document (the facts stay small). */
export const MAX_LISTED = 32;

/** The first MAX_ITEMS elements of the array at `key`. */
export function itemsAt(value: unknown, key: string): unknown[] {
  return arrayAt(value, key).slice(0, MAX_ITEMS);
}

/** metadata.name of a related object, or `(unnamed)` when it has none (or is not an object). Never throws. */
export function nameOf(object: unknown): string {
  return (isObject(object) && stringAt(object.metadata, 'name')) || '(unnamed)';
}

/** metadata.namespace of a related object, or `''` when it has none (or is not an object). Never throws. */
export function namespaceOf(object: unknown): string {
  return (isObject(object) && stringAt(object.metadata, 'namespace')) || '';
}

/**
 * The containerPort a port name resolves to in the pod, as the endpoints controller does for a
 * named targetPort (any container, init containers included); null when none declares it.
 */
export function containerPortNamed(pod: JsonObject, name: string): number | null {
  for (const list of ['containers', 'initContainers']) {
    for (const container of itemsAt(pod, list)) {
      for (const port of itemsAt(container, 'ports')) {
        if (stringAt(port, 'name') === name) return numberAt(port, 'containerPort') ?? null;
      }
    }
  }
  return null;
}

/** A number or a port name resolved in the pod; null when neither. */
export function resolvePort(pod: JsonObject, port: unknown): number | null {
  if (typeof port === 'number' && Number.isInteger(port)) return port;
  if (typeof port === 'string' && port !== '') return containerPortNamed(pod, port);
  return null;
}

/** Whether the pod declares the container port `port` (any container). */
export function declaresPort(pod: JsonObject, port: number): boolean {
  for (const list of ['containers', 'initContainers']) {
    for (const container of itemsAt(pod, list)) {
      if (itemsAt(container, 'ports').some((p) => numberAt(p, 'containerPort') === port)) return true;
    }
  }
  return false;
}
