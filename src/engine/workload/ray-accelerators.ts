/**
 * The GPU a Ray Serve LLM engine runs on, from its LLMConfig `accelerator_type`: Ray places each of the
 * engine's bundles only on nodes of that type (every bundle asks for the resource
 * `accelerator_type:<name>`; ray-project/ray python/ray/llm/_internal/serve/engines/vllm/vllm_models.py,
 * commit b4061b5e7430, placement_bundles). Pure.
 */
import { ownEntry } from '../util/json.js';
import type { JsonObject } from '../types.js';

/**
 * GPU catalogue products (knowledge/gpus.json ids) each Ray accelerator type may be. Ray's names are
 * python/ray/util/accelerators/accelerators.py (NVIDIA_TESLA_T4 = "T4", NVIDIA_A100 = "A100",
 * NVIDIA_A100_80G = "A100-80G", …); a name that covers several products lists them all, so the checks
 * judge the weakest. A name not here leaves the GPU unknown.
 */
const RAY_ACCELERATOR_PRODUCTS: Readonly<Record<string, readonly string[]>> = {
  T4: ['T4'],
  V100: ['V100-16GB', 'V100-32GB'],
  A10G: ['A10G'],
  L4: ['L4'],
  L40S: ['L40S'],
  A100: ['A100-40GB', 'A100-80GB'],
  'A100-40G': ['A100-40GB'],
  'A100-80G': ['A100-80GB'],
  H100: ['H100-80GB'],
  H200: ['H200'],
};

/**
 * A pod spec whose required node affinity names the GPU products a Ray `accelerator_type` may be, for
 * the GPU catalogue's placement (Ray places the engine's bundles only on nodes of that type: each
 * bundle asks for `accelerator_type:<name>`, vllm_models.py placement_bundles); `{}` when the type is
 * absent or not known, so the head pod's own selectors never stand for the engine's GPU.
 */
export function rayPlacementPod(acceleratorType: string | null, products: readonly { id: string; labels?: Record<string, readonly string[]> }[]): JsonObject {
  const ids = acceleratorType === null ? undefined : ownEntry(RAY_ACCELERATOR_PRODUCTS, acceleratorType);
  if (!ids) return {};
  const values = products.filter((p) => ids.includes(p.id)).flatMap((p) => p.labels?.['nvidia.com/gpu.product'] ?? []);
  if (values.length === 0) return {};
  const term = { matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values }] };
  return { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } } };
}
