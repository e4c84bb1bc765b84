/**
 * Runs the planned policies of one container's role against its facts document. Every failing rule
 * is a finding (a user fixes them all in one pass), except that within a policy the first failing
 * rule speaks for a field: rules are ordered by precedence (deny before the softer warning on the
 * same field), so a later rule about the same path and container is the same fault said again.
 */
import { valueAtSegments } from '../util/json.js';
import { createTextSet, type TextSet } from '../util/text-set.js';
import type { Redactor } from './redact.js';
import { fillTemplate, UNKNOWN_NUMBER } from './render.js';
import { renderFix, type FixContext } from './fix.js';
import { unknownAmong, unknownBehind } from './unknown-behind.js';
import { plannedAction, type PlannedPolicy, type PlannedRule } from './plan.js';
import type { Screen } from './screen.js';
import type { Action, Facts, FindingFix, Outcome, Policy, CompiledRule, UnknownFact } from '../types.js';

export interface RawFinding {
  policy: Policy;
  planned: PlannedPolicy;
  rule: CompiledRule;
  outcome: Outcome;
  /** The unknown fact that made the outcome unknown, when it is. */
  unknown?: UnknownFact;
  message: string;
  remediation: string;
  path: string;
  container: string | null;
  fix?: FindingFix;
}

/** Elements of an `each` array evaluated per rule: more is not a real manifest. */
const MAX_EACH = 64;
/** The one pass of a rule without `each` (no array allocated per rule). */
const ONCE: readonly undefined[] = Object.freeze([undefined]);

function containerNameOf(facts: Facts): string | null {
  const name = (facts.container as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : null;
}

/** What evaluateRule reads besides the rule: fixed for one call of evaluatePolicies (and one policy: `seen`). */
interface RuleContext {
  facts: Facts;
  /** facts.unknowns without the whole command line (`vllm`): what a false `when` may have read. */
  guardUnknowns: readonly UnknownFact[];
  container: string | null;
  redact: Redactor;
  fixes: FixContext | undefined;
  /**
   * The paths of the policy's findings so far (one container per call, so the path alone is the
   * field): a later rule on the same field is not rendered. The first path is kept as is and a set
   * made only for a policy's second finding: most policies that find anything find one thing.
   */
  firstPath: string | undefined;
  /** The template `firstPath` was filled from, when its rule has no `each`: the same template gives the same path. */
  firstTemplate: PlannedRule['path'] | undefined;
  seen: TextSet | undefined;
  /**
   * The fields the running `each` rule's own elements reported, and their `path\0message` keys: two
   * elements of one rule on one field (`--api-key` and `--hf-token` in one script) are two faults,
   * reported once per message; only an earlier rule's finding on the field stands for a later rule's.
   */
  own: { rule: PlannedRule; paths: Set<string>; keys: TextSet } | undefined;
}

/** Whether an earlier rule of the policy spoke for `path` already; remembers it otherwise. */
function seenPath(ctx: RuleContext, path: string): boolean {
  if (ctx.firstPath === undefined) {
    ctx.firstPath = path;
    return false;
  }
  // A TextSet (util/text-set.ts): a Set hashing each key was ~3 % of a denied review (step 33).
  return path === ctx.firstPath || (ctx.seen ??= createTextSet()).seen(path);
}

/**
 * Evaluates one rule (for one `each` element when the rule has `each`); null when it passes, does not
 * apply, or an earlier rule of the policy already spoke for the same path and container. `fails`:
 * the screen (screen.ts) found that the rule applies (its `when` holds or it has none) and that its
 * check fails, so neither is asked again.
 */
function evaluateRule(entry: PlannedPolicy, planned: PlannedRule, ctx: RuleContext, fails = false): RawFinding | null {
  const { facts, guardUnknowns, container, redact, fixes } = ctx;
  const { rule, when } = planned;
  // ajv's validators are type guards; called through a plain signature so `facts` keeps its type.
  const matches: (data: unknown) => boolean = rule.validate;
  const applies: ((data: unknown) => boolean) | null = when;
  // A `when` that read an unknown value may be false only because of the stand-in (TP from a
  // ConfigMap reads as 1): whether the rule applies is then unknown, and a failure says so. When
  // the whole command line is unknown (`vllm`), guards on its values simply do not apply: every
  // one of them would otherwise speak, about values nobody wrote.
  // The plain checks (schema-check.ts) answer as the validators without building ajv's errors,
  // which only a failing rule of a review with unknown facts reads: the validator runs then.
  let unknown: UnknownFact | undefined;
  if (fails) {
    if (facts.unknowns.length > 0) matches(facts);
  } else {
    if (applies && !(planned.whenCheck ?? applies)(facts)) {
      if (guardUnknowns.length === 0) return null;
      unknown = unknownAmong(planned.whenReads, guardUnknowns);
      if (!unknown) return null;
    }
    if (planned.check === null) {
      if (matches(facts)) return null;
    } else if (planned.check(facts)) return null;
    else if (!unknown && facts.unknowns.length > 0) matches(facts);
  }
  unknown ??= unknownBehind(planned, rule.validate.errors, facts.unknowns);
  // An unknown outcome may lack the very values its sentence names: say "(unknown)" instead of a gap.
  // Any outcome may hold stand-ins for unknown numbers (a placeholder GPU limit reads as 0, an unknown
  // ENTRYPOINT's --port as 8000): render.ts says "(unknown)" for them, not a number nobody wrote.
  const missing = unknown ? UNKNOWN_NUMBER : '';
  const unknownPaths = facts.unknowns.length > 0 ? facts.unknowns : null;
  // A rule without `each` whose path template is the one the policy's first finding was filled from
  // (plan.ts shares a policy's equal templates) has that path: neither filled nor compared again.
  const again = planned.path === ctx.firstTemplate && planned.each === null;
  const first = ctx.firstPath === undefined;
  const path = again ? (ctx.firstPath as string) : fillTemplate(planned.path, facts);
  const own = planned.each !== null && ctx.own?.rule === planned && ctx.own.paths.has(path);
  if (!own && (again || seenPath(ctx, path))) {
    // The same field said again: not rendered, but it spends the fix budget as it always has.
    if (!unknown && planned.fix && fixes && fixes.left > 0) fixes.left--;
    return null;
  }
  if (first && planned.each === null) ctx.firstTemplate = planned.path;
  const message = redact(fillTemplate(planned.message, facts, missing, unknownPaths));
  if (planned.each !== null && ownRepeat(ctx, planned, path, message)) return null;
  const finding: RawFinding = {
    policy: entry.policy,
    planned: entry,
    rule,
    outcome: unknown ? 'unknown' : 'fail',
    message,
    remediation: redact(fillTemplate(planned.remediation, facts, missing, unknownPaths)),
    path,
    container,
  };
  if (unknown) finding.unknown = unknown;
  // A fix is only offered for a known fault: an unknown outcome may be no fault at all.
  else if (planned.fix && fixes && fixes.left > 0) {
    fixes.left--;
    const fix = renderFix(planned.fix, facts, fixes.object, fixes);
    if (fix) finding.fix = { ...fix, description: redact(fix.description) };
  }
  return finding;
}

/** Whether an earlier element of the `each` rule said this message on this field; remembers both otherwise. */
function ownRepeat(ctx: RuleContext, planned: PlannedRule, path: string, message: string): boolean {
  if (ctx.own?.rule !== planned) ctx.own = { rule: planned, paths: new Set(), keys: createTextSet() };
  ctx.own.paths.add(path);
  return ctx.own.keys.seen(`${path}\0${message}`);
}

/** Runs one planned rule (once per element of its `each` array), adding its findings. `fails`: as evaluateRule's (never with `each`). */
function runRule(entry: PlannedPolicy, rule: PlannedRule, ctx: RuleContext, findings: RawFinding[], fails = false): void {
  const { facts } = ctx;
  if (fails) {
    const finding = evaluateRule(entry, rule, ctx, true);
    if (finding) findings.push(finding);
    return;
  }
  const items = rule.each ? valueAtSegments(facts, rule.each) : ONCE;
  if (!Array.isArray(items)) return;
  const count = Math.min(items.length, MAX_EACH);
  for (let i = 0; i < count; i++) {
    if (rule.each) facts.item = items[i];
    const finding = evaluateRule(entry, rule, ctx);
    if (finding) findings.push(finding);
  }
  if (rule.each) delete facts.item;
}

/** Whether a planned policy is off in the namespace (then it costs nothing). */
function isOff(entry: PlannedPolicy, namespace: string): boolean {
  return entry.namespaces === undefined ? entry.action === 'off' : plannedAction(entry, namespace) === 'off';
}

/**
 * The rules `screen` lets through (screen.ts), run as the full loop would run them: a rule held back
 * is one evaluateRule answers null for without side effects, so the findings are the same.
 */
function runScreened(planned: readonly PlannedPolicy[], screen: Screen, namespace: string, ctx: RuleContext, findings: RawFinding[]): void {
  const through: number[] = [];
  screen.run(ctx.facts, ctx.guardUnknowns.length > 0, through);
  let at = -1;
  let off = false;
  for (const code of through) {
    const n = code < 0 ? ~code : code;
    const p = screen.policyOf[n] as number;
    const entry = planned[p] as PlannedPolicy;
    if (p !== at) {
      at = p;
      off = isOff(entry, namespace);
      ctx.facts.params = entry.params;
      ctx.firstPath = undefined;
      ctx.firstTemplate = undefined;
      ctx.seen = undefined;
    }
    if (!off) runRule(entry, entry.rules[screen.ruleOf[n] as number] as PlannedRule, ctx, findings, code < 0);
  }
}

/**
 * All failing rules of the planned policies, deduplicated per policy by (container, path, message)
 * and by (container, path) for later rules of the same policy. Policies turned off in the
 * namespace cost nothing. `facts.params` and `facts.item` are set while a policy's rules run.
 * `redact` masks credentials in the rendered text (redact.ts). `fixes` holds the workload as written
 * and a budget: fixes are rendered against it (fix.ts), and none are without it. `screen`, built for
 * this very list (screen.ts), lets only the rules that may fail reach evaluateRule: same findings.
 */
export function evaluatePolicies(planned: readonly PlannedPolicy[], namespace: string, facts: Facts, redact: Redactor = (text) => text, fixes?: FixContext, screen?: Screen | null): RawFinding[] {
  const findings: RawFinding[] = [];
  const container = containerNameOf(facts);
  // The unknowns a `when` may have read (all but the whole command line), filtered once per call
  // instead of once per rule whose `when` is false; none at all in most reviews.
  const guardUnknowns = facts.unknowns.length === 0 ? facts.unknowns : facts.unknowns.filter((u) => u.path !== 'vllm');
  const ctx: RuleContext = { facts, guardUnknowns, container, redact, fixes, firstPath: undefined, firstTemplate: undefined, seen: undefined, own: undefined };
  if (screen && screen.planned === planned) runScreened(planned, screen, namespace, ctx, findings);
  else {
    for (const entry of planned) {
      if (isOff(entry, namespace)) continue;
      facts.params = entry.params;
      ctx.firstPath = undefined;
      ctx.firstTemplate = undefined;
      ctx.seen = undefined;
      for (const rule of entry.rules) runRule(entry, rule, ctx, findings);
    }
  }
  facts.params = {};
  return findings;
}

export const ACTION_RANK: Record<Action, number> = { off: 0, audit: 1, warn: 2, deny: 3 };

/** The more lenient of two actions. */
export function softer(a: Action, b: Action): Action {
  return ACTION_RANK[a] <= ACTION_RANK[b] ? a : b;
}
