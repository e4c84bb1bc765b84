/**
 * An object vllm-guard does not read (a kind of no table, or a version of a serving kind whose layout
 * it does not know) may still make vLLM pods: Volcano kthena's ModelBooster, llmaz's BackendRuntime, a Dynamo
 * DynamoGraphDeployment or KubeAI Model (`engine: VLLM`, no image: the operator picks it) of a version
 * whose layout it does not know. Saying only "not checked" hides that; this finds
 * the first vLLM image, or engine field naming vLLM, such an object holds, so the reason can say where.
 * Pure; bounded: at most MAX_NODES values visited, MAX_DEPTH levels deep.
 * @module
 */
import { matchVllmImage } from '../knowledge/vllm-image-match.js';
import type { Workload } from '../types.js';

const MAX_NODES = 4096;
const MAX_DEPTH = 16;

/**
 * Fields an operator's CRD names its serving engine with: KubeAI Model `engine: VLLM`
 * (substratusai/kubeai api/k8s/v1/model_types.go), Dynamo `backendFramework: vllm`, llmaz Playground
 * `backendName: vllm`. (kthena's ModelServer `inferenceEngine` is not one: it routes to pods, it makes none.)
 */
const ENGINE_KEYS: ReadonlySet<string> = new Set(['engine', 'backendFramework', 'backendName']);

export interface HeldImage {
  /** Dotted path of the field (`spec.engineConfig.runner.image`, `spec.engine`). */
  path: string;
  /** Its value: the image reference, or the engine name as written (`VLLM`). */
  image: string;
  /** `engine` when the field names the engine rather than an image. */
  field?: 'engine';
}

/**
 * The first `image` string (depth first, in document order) that is a known vLLM build or whose
 * name holds `vllm` (knowledge/vllm-image-match.ts), or engine field (ENGINE_KEYS) whose value is
 * vLLM, with its dotted path; null when there is none within the bounds. Placeholders
 * (`${VLLM_IMAGE}`) name no image and are not taken.
 */
export function vllmImageIn(object: unknown): HeldImage | null {
  // Every node visited keeps only its parent's index and its own key: the dotted path is spelled
  // for the one node found, not for each of the (up to MAX_NODES) values of a ConfigMap or a Service.
  const nodes: { value: unknown; parent: number; key: string | number; depth: number }[] = [{ value: object, parent: -1, key: '', depth: 0 }];
  const stack: number[] = [0];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_NODES) {
    const at = stack.pop()!;
    const { value, depth } = nodes[at]!;
    visited++;
    if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) continue;
    const first = nodes.length;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) nodes.push({ value: value[i], parent: at, key: i, depth: depth + 1 });
    } else {
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        if (key === 'image' && typeof v === 'string' && matchVllmImage(v) !== null) return { path: pathOf(nodes, at, key), image: v };
        if (ENGINE_KEYS.has(key) && typeof v === 'string' && v.toLowerCase() === 'vllm') return { path: pathOf(nodes, at, key), image: v, field: 'engine' };
        nodes.push({ value: v, parent: at, key, depth: depth + 1 });
      }
    }
    // Reversed onto the stack so the first child is read first.
    for (let i = nodes.length - 1; i >= first; i--) stack.push(i);
  }
  return null;
}

/** The dotted path (`spec.containers[0].image`) of member `key` of node `at`. */
function pathOf(nodes: readonly { parent: number; key: string | number }[], at: number, key: string): string {
  const parts: (string | number)[] = [key];
  for (let i = at; i > 0; i = nodes[i]!.parent) parts.push(nodes[i]!.key);
  let path = '';
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i]!;
    path += typeof part === 'number' ? `[${part}]` : path === '' ? part : `.${part}`;
  }
  return path;
}

/** The sentence for a skipped object that names a vLLM image: what is not reviewed, and where the image is. */
export function unreadVllmReason(skipped: string, held: HeldImage): string {
  const what = held.field === 'engine' ? `vLLM as its engine (${held.image})` : `the vLLM image ${held.image}`;
  return `${skipped}, though ${held.path} names ${what}: the pods it makes are not reviewed here`;
}

/**
 * A skipped object that names a vLLM image says so: `workload.skipped` becomes `reason` (why it is
 * not read) followed by the image and where it is written, and `holdsVllm` is set. Returns `workload`.
 */
export function withUnreadVllm(workload: Workload, object: unknown, reason: string): Workload {
  const held = vllmImageIn(object);
  if (held) {
    workload.skipped = unreadVllmReason(reason, held);
    workload.holdsVllm = true;
  }
  return workload;
}
