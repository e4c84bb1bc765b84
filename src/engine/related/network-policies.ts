/**
 * NetworkPolicies whose podSelector picks the workload's pods (`{}` picks every pod of the
 * namespace). policyTypes as the API server defaults them (networking.k8s.io/v1 NetworkPolicySpec):
 * Ingress always, Egress when the policy has egress rules. A policy of type Ingress restricts
 * ingress to what its rules allow; `ingressOpenToAll` says one rule has no `from` (every source).
 */
import { isObject, objectAt } from '../util/json.js';
import { itemsAt, MAX_LISTED, nameOf, type RelatedContext } from './context.js';
import { relatedOfKind } from './related-set.js';
import { labelSelectorMatches } from './selector.js';

export interface NetworkPolicyFact {
  name: string;
  policyTypes: string[];
  restrictsIngress: boolean;
  ingressOpenToAll: boolean;
}

/**
 * The NetworkPolicies of the workload's namespace that select its pods (at most MAX_LISTED, set order),
 * with policyTypes defaulted as above and whether they restrict ingress or leave it open to all. Never throws.
 */
export function readNetworkPolicies(ctx: RelatedContext): NetworkPolicyFact[] {
  const out: NetworkPolicyFact[] = [];
  for (const policy of relatedOfKind(ctx.set, 'NetworkPolicy', ctx.namespace)) {
    const spec = objectAt(policy, 'spec');
    if (!labelSelectorMatches(spec?.podSelector, ctx.podLabels)) continue;
    const written = itemsAt(spec, 'policyTypes').filter((t): t is string => typeof t === 'string');
    const policyTypes = written.length > 0 ? written : ['Ingress', ...(isObject(spec) && Array.isArray(spec.egress) ? ['Egress'] : [])];
    const restrictsIngress = policyTypes.includes('Ingress');
    const ingressOpenToAll = restrictsIngress && itemsAt(spec, 'ingress').some((rule) => itemsAt(rule, 'from').length === 0);
    out.push({ name: nameOf(policy), policyTypes, restrictsIngress, ingressOpenToAll });
    if (out.length >= MAX_LISTED) break;
  }
  return out;
}
