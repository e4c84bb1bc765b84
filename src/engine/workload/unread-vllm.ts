/**
 * An object vllm-guard does not read (a kind of no table, or a version of a serving kind whose layout
 * it does not know) may still make vLLM pods: OME's ClusterServingRuntime (`engineConfig.runner`),
 * Volcano kthena's ModelServing (`roles[].entryTemplate`), llmaz's BackendRuntime, NVIDIA Dynamo's
 * `nvidia.com/v1beta1` DynamoGraphDeployment (`components[].podTemplate`). Saying only "not checked"
 * hides that; this finds the first vLLM image such an object names, so the reason can say where.
 * Pure; bounded: at most MAX_NODES values visited, MAX_DEPTH levels deep.
 * @module
 */
import { matchVllmImage } from '../knowledge/vllm-image-match.js';

const MAX_NODES = 4096;
const MAX_DEPTH = 16;

export interface HeldImage {
  /** Dotted path of the `image` field (`spec.engineConfig.runner.image`). */
  path: string;
  image: string;
}

/**
 * The first `image` string (depth first, in document order) that is a known vLLM build or whose
 * name holds `vllm` (knowledge/vllm-image-match.ts), with its dotted path; null when there is none
 * within the bounds. Placeholders (`${VLLM_IMAGE}`) name no image and are not taken.
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
  return `${skipped}, though ${held.path} names the vLLM image ${held.image}: the pods it makes are not reviewed here`;
}
