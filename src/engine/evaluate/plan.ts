/**
 * A policy set as one config runs it, worked out once per engine (createEngine) instead of per
 * admission request: which policies each container role runs, each policy's action split into a
 * fixed part and a per-namespace lookup, its params (file defaults under the config's), and each
 * rule with its message templates and the facts it reads.
 */
import { ownEntry } from '../util/json.js';
import { compileTemplate, type CompiledTemplate } from './render.js';
import { checkPatternParams } from './pattern-params.js';
import { compileFix, type CompiledFix } from './fix-compile.js';
import { factPathsOf } from './rule-reads.js';
import { schemaCheckOf, type SchemaCheck } from './schema-check.js';
import type { Action, CompiledRule, ContainerRole, EngineConfig, JsonObject, Policy, PolicySet } from '../types.js';

export interface PlannedRule {
  rule: CompiledRule;
  /** The rule's `when`, null when there is none or it depends only on the params and holds. */
  when: CompiledRule['when'];
  /** `when`'s plain check (schema-check.ts), which builds no ajv errors; null when ajv must answer. */
  whenCheck: SchemaCheck | null;
  /** The rule schema's plain check, null when ajv must answer; ajv still gives a failure's errors. */
  check: SchemaCheck | null;
  message: CompiledTemplate;
  remediation: CompiledTemplate;
  path: CompiledTemplate;
  /** Dotted fact paths the rule's schema reads (rule-reads.ts; unknown-behind.ts says how a failure uses them). */
  schemaReads: readonly string[];
  /** Dotted fact paths the `when` reads: when one is unknown, so is whether the rule applies. */
  whenReads: readonly string[];
  /** Dotted path of an array in the facts: the rule is evaluated once per element, bound to `item`. */
  each: readonly string[] | null;
  /** The rule's fix with its templates parsed, null when it has none. */
  fix: CompiledFix | null;
}

export interface PlannedPolicy {
  policy: Policy;
  action: Action;
  namespaces: Record<string, Action> | undefined;
  /** The policy file's params with the config's laid over them. */
  params: JsonObject;
  /** Whether owners may waive it by annotation: the config's say, else the policy file's. */
  waivable: boolean;
  rules: readonly PlannedRule[];
}

/** The policies each container role runs, in catalogue order. */
export type PolicyPlan = Readonly<Record<ContainerRole, readonly PlannedPolicy[]>>;

const ROLES: readonly ContainerRole[] = ['server', 'ray-worker', 'generic'];

/**
 * A `when` of the exact form `{ properties: { params: … } }` without `$data` or `$ref` reads nothing
 * but the policy's params, which are fixed per engine, so its answer is too.
 * (phase0-annotations has seven such conditions; each would scan the params list on every request.)
 */
function readsOnlyParams(when: NonNullable<CompiledRule['when']>): boolean {
  const schema: unknown = when.schema;
  if (typeof schema !== 'object' || schema === null || Object.keys(schema).join() !== 'properties') return false;
  const properties: unknown = (schema as { properties: unknown }).properties;
  if (typeof properties !== 'object' || properties === null || Object.keys(properties).join() !== 'params') return false;
  const text = JSON.stringify(schema);
  return !text.includes('"$data"') && !text.includes('"$ref"') && !text.includes('"$dynamicRef"') && !text.includes('"$recursiveRef"');
}

function planRules(policy: Policy, params: JsonObject): PlannedRule[] {
  const planned: PlannedRule[] = [];
  // Rules of a policy that name the same path share its compiled template: evaluate.ts then knows,
  // without filling it, that a later rule speaks for the path an earlier finding took.
  const paths = new Map<string, CompiledTemplate>();
  for (const rule of policy.rules) {
    let when = rule.when;
    if (when && readsOnlyParams(when)) {
      if (!when({ params })) continue;
      when = null;
    }
    planned.push({
      rule,
      when,
      whenCheck: when ? schemaCheckOf(when) : null,
      check: schemaCheckOf(rule.validate),
      message: compileTemplate(rule.message),
      remediation: compileTemplate(rule.remediation),
      path: paths.get(rule.path) ?? paths.set(rule.path, compileTemplate(rule.path)).get(rule.path) as CompiledTemplate,
      schemaReads: factPathsOf(rule.validate.schema),
      whenReads: when ? factPathsOf(when.schema) : [],
      each: rule.each ? rule.each.split('.') : null,
      fix: compileFix(rule.fix),
    });
  }
  return planned;
}

/** Plans a policy set for one config. Pure; createEngine calls it once. */
export function planPolicies(set: PolicySet, config: EngineConfig): PolicyPlan {
  const planned = set.policies.map((policy): PlannedPolicy => {
    const override = ownEntry(config.policies, policy.id);
    const params = { ...policy.params, ...(override?.params ?? {}) };
    checkPatternParams(policy, params, new Set(Object.keys(override?.params ?? {})));
    return {
      policy,
      action: override?.action ?? policy.action,
      namespaces: override?.namespaces,
      params,
      waivable: override?.waivable ?? policy.waivable,
      rules: planRules(policy, params),
    };
  });
  const byRole = {} as Record<ContainerRole, PlannedPolicy[]>;
  for (const role of ROLES) byRole[role] = planned.filter((p) => p.policy.appliesTo.includes(role));
  return byRole;
}

/** The action a planned policy has in a namespace (the namespace override, else the policy's). */
export function plannedAction(planned: PlannedPolicy, namespace: string): Action {
  return ownEntry(planned.namespaces, namespace) ?? planned.action;
}
