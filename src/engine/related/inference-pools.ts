/**
 * Gateway API Inference Extension InferencePools whose selector picks the workload's pods
 * (kubernetes-sigs/gateway-api-inference-extension: inference.networking.k8s.io/v1
 * `spec.selector.matchLabels` and `spec.targetPorts[].number`; the earlier
 * inference.networking.x-k8s.io/v1alpha2 `spec.selector` map and `spec.targetPortNumber`).
 * Both selectors are plain label maps (api/v1/inferencepool_types.go: "compatible with Kubernetes
 * Service selectors").
 */
import { isObject, numberAt, objectAt } from '../util/json.js';
import { itemsAt, MAX_LISTED, nameOf, type RelatedContext } from './context.js';
import { relatedOfKind } from './related-set.js';
import { mapSelects } from './selector.js';

export interface InferencePoolFact {
  name: string;
  targetPorts: number[];
  /** One target port is vLLM's port. */
  reachesServer: boolean;
}

/**
 * The InferencePools of the workload's namespace that select its pods (at most MAX_LISTED, set order),
 * with their target ports (v1 `targetPorts`, then v1alpha2 `targetPortNumber`) and whether one is
 * `ctx.serverPort`, vLLM's port. Never throws.
 */
export function readInferencePools(ctx: RelatedContext): InferencePoolFact[] {
  const out: InferencePoolFact[] = [];
  for (const pool of relatedOfKind(ctx.set, 'InferencePool', ctx.namespace)) {
    const spec = objectAt(pool, 'spec');
    const selector = objectAt(spec, 'selector');
    const labels = isObject(selector?.matchLabels) ? selector.matchLabels : selector;
    if (!mapSelects(labels, ctx.podLabels)) continue;
    const ports = itemsAt(spec, 'targetPorts').map((p) => numberAt(p, 'number')).filter((n): n is number => n !== undefined);
    const legacy = numberAt(spec, 'targetPortNumber');
    if (legacy !== undefined) ports.push(legacy);
    out.push({ name: nameOf(pool), targetPorts: ports, reachesServer: ports.includes(ctx.serverPort) });
    if (out.length >= MAX_LISTED) break;
  }
  return out;
}
