/**
 * The containers of a pod spec as the engine reads them: every list (containers, init, ephemeral)
 * in order with where each sits and whether it runs for the pod's life, and the name Knative gives
 * a container written without one. Its own file: read for every pod, of any kind, by container
 * selection (select.ts) and extraction (extract.ts).
 * @module
 */
import { arrayAt, isObject } from '../util/json.js';
import type { JsonObject } from '../types.js';

/** One container of a pod spec, with the list it is in and where it sits. */
export interface PodContainer {
  list: 'containers' | 'initContainers' | 'ephemeralContainers';
  index: number;
  /** Dotted path (`spec.template.spec.initContainers[0]`). */
  path: string;
  container: JsonObject;
  /**
   * Runs for the pod's life: every `containers` entry and native sidecars (an init container with
   * `restartPolicy: Always`, Kubernetes 1.29+). A vLLM server may sit there; ordinary init containers
   * and ephemeral containers get the generic rules (image, secrets, security) only.
   */
  longRunning: boolean;
}

/**
 * All containers of a pod spec, each list capped at `max` (the engine's MAX_CONTAINERS), in the order
 * containers, initContainers, ephemeralContainers.
 */
export function podContainers(spec: JsonObject, specPath: string, max: number): PodContainer[] {
  const out: PodContainer[] = [];
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    arrayAt(spec, list)
      .slice(0, max)
      .forEach((container, index) => {
        if (!isObject(container)) return;
        const longRunning = list === 'containers' || (list === 'initContainers' && container.restartPolicy === 'Always');
        out.push({ list, index, path: `${specPath ? `${specPath}.` : ''}${list}[${index}]`, container, longRunning });
      });
  }
  return out;
}

/** The name Knative gives a container written without one (knative/serving pkg/apis/config/defaults.go DefaultUserContainerName). */
const KNATIVE_USER_CONTAINER = 'user-container';

/**
 * A Knative pod spec as the controller completes it: the one container written without a name is
 * named `user-container` (pkg/apis/serving/v1/revision_defaults.go applyDefaultContainerNames). A
 * copy of the spec and that container; several containers keep what is written (Knative numbers
 * them).
 */
export function withKnativeContainerName(spec: JsonObject): JsonObject {
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length !== 1) return spec;
  const only = containers[0] as unknown;
  if (typeof only !== 'object' || only === null || Array.isArray(only) || typeof (only as JsonObject).name === 'string') return spec;
  return { ...spec, containers: [{ ...(only as JsonObject), name: KNATIVE_USER_CONTAINER }] };
}
