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
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: object, path: '', depth: 0 }];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_NODES) {
    const { value, path, depth } = stack.pop()!;
    visited++;
    if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) continue;
    const children: { value: unknown; path: string; depth: number }[] = [];
    if (Array.isArray(value)) {
      value.forEach((v, i) => children.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 }));
    } else {
      for (const [key, v] of Object.entries(value)) {
        const at = path === '' ? key : `${path}.${key}`;
        if (key === 'image' && typeof v === 'string' && matchVllmImage(v) !== null) return { path: at, image: v };
        if (ENGINE_KEYS.has(key) && typeof v === 'string' && v.toLowerCase() === 'vllm') return { path: at, image: v, field: 'engine' };
        children.push({ value: v, path: at, depth: depth + 1 });
      }
    }
    // Reversed onto the stack so the first child is read first.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
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
