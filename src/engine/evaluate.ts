/** Runs each applicable policy's rules against a facts document; the first failing rule gives the finding. */
import type { ErrorObject } from 'ajv';
import { renderTemplate } from './render.js';
import type { Action, CompiledRule, Facts, Outcome, Policy, PolicySet } from './types.js';

export interface RawFinding {
  policy: Policy;
  rule: CompiledRule;
  outcome: Outcome;
  /** Why the outcome is unknown, when it is. */
  unknownReason?: string;
  message: string;
  remediation: string;
  path: string;
  container: string | null;
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function pointerToPath(pointer: string): string {
  return pointer.slice(1).split('/').join('.');
}

/** The reason of the first unknown fact the rule used or failed on, if any. */
function findUnknown(policy: Policy, errors: ErrorObject[] | null | undefined, unknowns: readonly string[]): string | undefined {
  if (unknowns.length === 0) return undefined;
  const failedAt = (errors ?? []).map((e) => pointerToPath(e.instancePath)).filter(Boolean);
  for (const entry of unknowns) {
    const colon = entry.indexOf(': ');
    const path = colon >= 0 ? entry.slice(0, colon) : entry;
    if (policy.uses.some((u) => overlaps(u, path)) || failedAt.some((f) => overlaps(f, path))) {
      return colon >= 0 ? entry.slice(colon + 2) : 'the value cannot be known at admission';
    }
  }
  return undefined;
}

/**
 * isActive tells whether a policy can matter for this namespace at all, so policies
 * turned off cost nothing.
 */
export function evaluatePolicies(set: PolicySet, facts: Facts, isActive: (policy: Policy) => boolean): RawFinding[] {
  const findings: RawFinding[] = [];
  const role = facts.role as Policy['appliesTo'][number];
  const unknowns = facts.unknowns as string[];
  const containerName = typeof (facts.container as { name?: unknown }).name === 'string' ? ((facts.container as { name: string }).name) : null;
  for (const policy of set.policies) {
    if (!policy.appliesTo.includes(role) || !isActive(policy)) continue;
    facts.params = policy.params;
    for (const rule of policy.rules) {
      if (rule.when && !rule.when(facts)) continue;
      if (rule.validate(facts)) continue;
      const unknownReason = findUnknown(policy, rule.validate.errors, unknowns);
      findings.push({
        policy,
        rule,
        outcome: unknownReason ? 'unknown' : 'fail',
        ...(unknownReason ? { unknownReason } : {}),
        message: renderTemplate(rule.message, facts),
        remediation: renderTemplate(rule.remediation, facts),
        path: renderTemplate(rule.path, facts),
        container: containerName,
      });
      break;
    }
  }
  facts.params = {};
  return findings;
}

export const ACTION_RANK: Record<Action, number> = { off: 0, audit: 1, warn: 2, deny: 3 };

export function softer(a: Action, b: Action): Action {
  return ACTION_RANK[a] <= ACTION_RANK[b] ? a : b;
}
