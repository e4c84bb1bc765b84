/**
 * PodDisruptionBudgets whose selector picks the workload's pods (policy/v1: `{}` picks every pod of
 * the namespace, an absent selector none), with minAvailable / maxUnavailable as written (a number
 * or a percentage string).
 */
import { isObject, objectAt } from '../util/json.js';
import { MAX_LISTED, nameOf, type RelatedContext } from './context.js';
import { relatedOfKind } from './related-set.js';
import { labelSelectorMatches } from './selector.js';

export interface DisruptionBudgetFact {
  name: string;
  minAvailable: number | string | null;
  maxUnavailable: number | string | null;
}

function intOrString(value: unknown): number | string | null {
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

/**
 * The PodDisruptionBudgets of the workload's namespace that select its pods (at most MAX_LISTED, set
 * order), with minAvailable and maxUnavailable as written (null when unset). Never throws.
 */
export function readDisruptionBudgets(ctx: RelatedContext): DisruptionBudgetFact[] {
  const out: DisruptionBudgetFact[] = [];
  for (const pdb of relatedOfKind(ctx.set, 'PodDisruptionBudget', ctx.namespace)) {
    const spec = objectAt(pdb, 'spec');
    if (!labelSelectorMatches(spec?.selector, ctx.podLabels)) continue;
    out.push({
      name: nameOf(pdb),
      minAvailable: isObject(spec) ? intOrString(spec.minAvailable) : null,
      maxUnavailable: isObject(spec) ? intOrString(spec.maxUnavailable) : null,
    });
    if (out.length >= MAX_LISTED) break;
  }
  return out;
}
