/** Runs each applicable policy's rules against a facts document; the first failing rule gives the finding. */
import type { ErrorObject } from 'ajv';
import { compileTemplate, fillTemplate, type CompiledTemplate } from './render.js';
import { ownEntry } from './json.js';
import type { Action, CompiledRule, ContainerRole, EngineConfig, Facts, Outcome, Policy, PolicySet } from './types.js';

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

/** A policy as one config runs it: its configured action, the per-namespace overrides, the rules to try. */
export interface PlannedPolicy {
  policy: Policy;
  action: Action;
  namespaces: Record<string, Action> | undefined;
  /** The policy's rules in order, without those whose `when` is decided by the params alone and false. */
  rules: readonly PlannedRule[];
}

export interface PlannedRule {
  rule: CompiledRule;
  /** The rule's `when`, null when there is none or it depends only on the params and holds. */
  when: CompiledRule['when'];
}

/** The policies each container role runs, in catalogue order. */
export type PolicyPlan = Readonly<Record<ContainerRole, readonly PlannedPolicy[]>>;

const ROLES: readonly ContainerRole[] = ['server', 'ray-worker', 'generic'];

/**
 * A `when` of the exact form `{ properties: { params: … } }` without `$data` or `$ref` reads nothing
 * but the policy's params, which are fixed per policy set and config, so its answer is too.
 * (phase0-annotations has seven such conditions; each scans the params list on every request.)
 */
function readsOnlyParams(when: NonNullable<CompiledRule['when']>): boolean {
  const schema: unknown = when.schema;
  if (typeof schema !== 'object' || schema === null || Object.keys(schema).join() !== 'properties') return false;
  const properties: unknown = (schema as { properties: unknown }).properties;
  if (typeof properties !== 'object' || properties === null || Object.keys(properties).join() !== 'params') return false;
  const text = JSON.stringify(schema);
  return !text.includes('"$data"') && !text.includes('"$ref"') && !text.includes('"$dynamicRef"') && !text.includes('"$recursiveRef"');
}

function planRules(policy: Policy): PlannedRule[] {
  const planned: PlannedRule[] = [];
  for (const rule of policy.rules) {
    if (rule.when && readsOnlyParams(rule.when)) {
      if (rule.when({ params: policy.params })) planned.push({ rule, when: null });
    } else planned.push({ rule, when: rule.when });
  }
  return planned;
}

// Both keys are fixed between reloads; a reload brings new objects and the old plans are freed.
const plans = new WeakMap<PolicySet, WeakMap<EngineConfig, PolicyPlan>>();

/**
 * Which policies apply to each role and with which action, worked out once per policy set and
 * config rather than per admission request. The action is policyAction() (decide.ts) split in two:
 * the namespace part is looked up per request by plannedAction().
 */
export function planPolicies(set: PolicySet, config: EngineConfig): PolicyPlan {
  let byConfig = plans.get(set);
  if (!byConfig) {
    byConfig = new WeakMap();
    plans.set(set, byConfig);
  }
  let plan = byConfig.get(config);
  if (!plan) {
    const planned = set.policies.map((policy): PlannedPolicy => {
      const override = ownEntry(config.policies, policy.id);
      return { policy, action: override?.action ?? policy.action, namespaces: override?.namespaces, rules: planRules(policy) };
    });
    const byRole = {} as Record<ContainerRole, PlannedPolicy[]>;
    for (const role of ROLES) byRole[role] = planned.filter((p) => p.policy.appliesTo.includes(role));
    plan = byRole;
    byConfig.set(config, plan);
  }
  return plan;
}

/** The action a planned policy has in a namespace: the same answer as policyAction(). */
export function plannedAction(planned: PlannedPolicy, namespace: string): Action {
  return ownEntry(planned.namespaces, namespace) ?? planned.action;
}

interface RuleTemplates {
  message: CompiledTemplate;
  remediation: CompiledTemplate;
  path: CompiledTemplate;
}

// Keyed by the compiled rule, which lives as long as its policy set.
const ruleTemplates = new WeakMap<CompiledRule, RuleTemplates>();

function templatesOf(rule: CompiledRule): RuleTemplates {
  let templates = ruleTemplates.get(rule);
  if (!templates) {
    templates = { message: compileTemplate(rule.message), remediation: compileTemplate(rule.remediation), path: compileTemplate(rule.path) };
    ruleTemplates.set(rule, templates);
  }
  return templates;
}

/**
 * Evaluates the planned policies of the facts' role; policies turned off in the namespace cost
 * nothing. Each rule's first failure gives that policy's finding.
 */
export function evaluatePolicies(planned: readonly PlannedPolicy[], namespace: string, facts: Facts): RawFinding[] {
  const findings: RawFinding[] = [];
  const unknowns = facts.unknowns as string[];
  const containerName = typeof (facts.container as { name?: unknown }).name === 'string' ? ((facts.container as { name: string }).name) : null;
  for (const entry of planned) {
    if (plannedAction(entry, namespace) === 'off') continue;
    const policy = entry.policy;
    facts.params = policy.params;
    for (const { rule, when } of entry.rules) {
      if (when && !when(facts)) continue;
      if (rule.validate(facts)) continue;
      const unknownReason = findUnknown(policy, rule.validate.errors, unknowns);
      const templates = templatesOf(rule);
      const message = fillTemplate(templates.message, facts);
      const remediation = fillTemplate(templates.remediation, facts);
      const path = fillTemplate(templates.path, facts);
      findings.push(
        unknownReason
          ? { policy, rule, outcome: 'unknown', unknownReason, message, remediation, path, container: containerName }
          : { policy, rule, outcome: 'fail', message, remediation, path, container: containerName },
      );
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
