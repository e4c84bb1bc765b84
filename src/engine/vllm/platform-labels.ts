/**
 * Platform labels that name vLLM as a pod's engine, one of detection's strong signals
 * (detection-signals.ts): read from the workload's and the pod template's labels.
 */

/**
 * Pod labels that name vLLM as the engine (vllm-rules.md §2 Signals): GKE's inference quickstart
 * label and AIBrix's model engine label (vllm-project/aibrix samples/disaggregation/vllm/1p1d.yaml).
 */
const PLATFORM_LABELS: ReadonlyMap<string, string> = new Map([
  ['ai.gke.io/inference-server', 'vllm'],
  ['model.aibrix.ai/engine', 'vllm'],
]);

/**
 * The first of PLATFORM_LABELS the pod labels carry, as `key=value` (`ai.gke.io/inference-server=vllm`),
 * or null. Never throws.
 */
export function platformLabel(labels: Readonly<Record<string, string>>): string | null {
  for (const [key, value] of PLATFORM_LABELS) if (Object.hasOwn(labels, key) && labels[key] === value) return `${key}=${value}`;
  return null;
}

/**
 * The platform labels of a pod template as `mergeStringMapAt(base, metadata, 'labels')` would give
 * them (the template's string values over the workload's), without copying every other label:
 * platformLabel reads no other key.
 */
export function platformLabelsOf(base: Readonly<Record<string, string>>, metadata: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const own = typeof metadata === 'object' && metadata !== null ? (metadata as { labels?: unknown }).labels : undefined;
  const labels = typeof own === 'object' && own !== null && !Array.isArray(own) ? (own as Record<string, unknown>) : undefined;
  for (const key of PLATFORM_LABELS.keys()) {
    const value = labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;
    if (typeof value === 'string') out[key] = value;
    else if (Object.hasOwn(base, key)) out[key] = base[key] as string;
  }
  return out;
}
