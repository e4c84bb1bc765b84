/**
 * Compiled policies and how a config changes them: rules, the policy set, waivers and per-policy
 * overrides. Their own file: what policy loading produces and an engine is created from.
 * @module
 */
import type { ValidateFunction } from 'ajv';
import type { RuleFix } from './fix.js';
import type { Action, ChecklistItem, ContainerRole, JsonObject, Owner, Severity } from './vocabulary.js';

/** One rule of a policy, its JSON Schemas compiled: `when` selects, `validate` must hold, else a finding with `message`. */
export interface CompiledRule {
  action: Action | null;
  /** Dotted path of an array fact: the rule runs once per element, which the schema reads as `item`. */
  each: string | null;
  when: ValidateFunction | null;
  validate: ValidateFunction;
  message: string;
  remediation: string;
  path: string;
  /** Policies whose finding on the same field at least as strong leaves this rule's out (evaluate/superseded.ts); null: none. */
  supersededBy: readonly string[] | null;
  /** A machine-applicable fix as data (compiled by evaluate/fix-compile.ts, rendered by evaluate/fix.ts), null when the rule has none. */
  fix: RuleFix | null;
}

/** One policy as loaded from its file (policies/*.yaml), its rules compiled. */
export interface Policy {
  id: string;
  title: string;
  description: string;
  checklist: ChecklistItem;
  owner: Owner;
  severity: Severity;
  action: Action;
  appliesTo: ContainerRole[];
  /** Fact paths the policy reads, for documentation; each rule's own reads decide unknowns (rule-reads.ts). */
  uses: string[];
  /** The policy file's params; the config's are laid over them when an engine is created. */
  params: JsonObject;
  rules: CompiledRule[];
  /** Workload owners may waive it with annotations (policy file, then config). */
  waivable: boolean;
  example?: { good?: string; bad?: string };
  file: string;
  /** Line of a field path in the policy file, for error messages (absent for policies built in code). */
  lineOf?: (path: readonly (string | number)[]) => number;
}

/** Every loaded policy, in order and by id. */
export interface PolicySet {
  policies: Policy[];
  byId: Map<string, Policy>;
  /** Where the set was loaded from, for logs and /readyz. */
  source: string;
  /** Problems that did not stop the load (config names a policy that does not exist, …). */
  warnings: string[];
}

/** A waiver of these policies for objects in these namespaces with these names (globs): their findings become audit, with its reason and expiry (evaluate/waivers.ts). */
export interface Waiver {
  policies: string[];
  namespaces: string[];
  names: string[];
  reason?: string;
  expires?: string;
  /** Where it came from, for messages: config or annotation. */
  source: 'config' | 'annotation';
}

/** What the config changes of one policy: its action (everywhere or per namespace), params, waivability. */
export interface PolicyOverride {
  action?: Action;
  namespaces?: Record<string, Action>;
  params?: JsonObject;
  waivable?: boolean;
}
