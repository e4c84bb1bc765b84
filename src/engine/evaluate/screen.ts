/**
 * The screen of one container role's plan: one generated function that answers, for every planned
 * rule in order, whether it may produce a finding, so that evaluatePolicies (evaluate.ts) calls
 * evaluateRule only for those. A passing vLLM review runs ~113 rules, each through its own plain
 * check and `when` (schema-check.ts): ~200 distinct small functions per review, and a review's
 * cost in the server grows with the number of distinct functions it runs (bench/PROFILE.md W5).
 * The screen inlines those checks' expressions (the build writes them as text next to each check,
 * policy/precompile.ts) into one function per plan, compiled once per engine.
 *
 * The screen only filters: a rule it lets through is decided by evaluateRule exactly as before,
 * and a rule it holds back is one evaluateRule would answer null for without side effects (no
 * finding, no fix budget spent): its `when` is false and the facts have no unknown a `when` may
 * have read, or its check passes, or it is an `each` rule whose list is empty or absent. Every rule
 * it cannot judge (no plain check or no source: a policy compiled at run time, an ajv-only schema)
 * is let through, and an `each` rule whenever its list has items. Checks are pure and nothing
 * evaluateRule does changes what a check reads (a fix's scope members are removed after it), so
 * running all checks first answers as running them in turn.
 */
import type { Facts, JsonObject } from '../types.js';
import { checkSourceOf, type CheckSource } from './schema-check.js';
import type { PlannedPolicy } from './plan.js';

/** A plan's screen: the generated function and where each of its rule numbers points in the plan. */
export interface Screen {
  /** The plan list the screen was built for: evaluatePolicies uses the screen only with that list. */
  readonly planned: readonly PlannedPolicy[];
  /**
   * Appends to `out`, in plan order, the number `n` of each rule that may produce a finding, or `~n`
   * (negative) when the screen found that the rule fails: its `when` holds (or it has none) and
   * its check fails, which evaluateRule then need not ask again. `guard`: the facts have unknowns a
   * false `when` may have read (evaluate.ts guardUnknowns), so a false `when` lets its rule
   * through. Sets `facts.params` as the checks need it (the caller resets it).
   */
  readonly run: (facts: Facts, guard: boolean, out: number[]) => void;
  /** Rule number → index of its policy in `planned`. */
  readonly policyOf: readonly number[];
  /** Rule number → index of the rule in its policy's `rules`. */
  readonly ruleOf: readonly number[];
}

/** Bounds one generated function's source: V8 optimizes functions of at most 60 KB of bytecode. */
const MAX_PART_CHARS = 24_000;
/** What a member name in CheckSource `reads` must look like to become part of a variable's name. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The declarations of the facts' members a part's checks read (CheckSource `reads`), read once per run. */
function readsPrelude(reads: ReadonlySet<string>): string {
  const lines = [...reads].map((key) => `const r_${key} = data[${JSON.stringify(key)}], o_${key} = r_${key} !== null && typeof r_${key} === "object" && !Array.isArray(r_${key});`);
  return lines.join('\n');
}

/**
 * An `each` rule's code: let through only when its list is a non-empty array, the only case in which
 * runRule (evaluate.ts) evaluates it at all; most reviews have no literal secret or autoscaler to list.
 */
function eachCode(n: number, each: readonly string[]): string {
  const at = `data${each.map((segment) => `?.[${JSON.stringify(segment)}]`).join('')}`;
  return `{ const list = ${at}; if (Array.isArray(list) && list.length > 0) out.push(${n}); }`;
}

/** The rule's code in the screen: `pass` when it lets rule `n` through, `fails` when it found the rule failing. */
function ruleCode(n: number, when: string | null | undefined, check: string | null): string {
  const pass = `out.push(${n});`;
  const fails = `out.push(${~n});`;
  // `when` undefined: the rule has none; null: it has one the screen cannot judge.
  if (when === null) return pass;
  if (when === undefined) return check === null ? pass : `if (!(${check})) ${fails}`;
  return check === null ? `if (guard || ${when}) ${pass}` : `if (${when}) { if (!(${check})) ${fails} } else if (guard) ${pass}`;
}

/**
 * Builds the screen of one plan list (a role's policies), or null when no rule of it has a check
 * source (policies compiled at run time only). Pure; createEngine calls it once per list.
 */
export function compileScreen(planned: readonly PlannedPolicy[]): Screen | null {
  let link: CheckSource['link'] | null = null;
  const helpers = new Set<string>();
  let temps = 0;
  let inlined = 0;
  // Whether a check of the current policy may read `params` (its expression or its helpers name it).
  let readsParams = false;
  // The members the current policy's checks read through `r_`/`o_` names.
  const policyReads = new Set<string>();
  // The checks of one build only: their helpers and `link` go together.
  const sourceOf = (validator: Parameters<typeof checkSourceOf>[0]): string | null => {
    const source = checkSourceOf(validator);
    if (source === null || (link !== null && source.link !== link) || !source.reads.every((key) => IDENTIFIER.test(key) && key !== 'params' && key !== 'item')) return null;
    link = source.link;
    for (const key of source.reads) policyReads.add(key);
    if (source.helpers !== '') helpers.add(source.helpers);
    temps = Math.max(temps, source.temps);
    inlined++;
    if (source.expression.includes('params') || source.helpers.includes('params')) readsParams = true;
    return `(${source.expression})`;
  };
  const policyOf: number[] = [];
  const ruleOf: number[] = [];
  const parts: { lines: string[]; reads: Set<string> }[] = [{ lines: [], reads: new Set() }];
  let partChars = 0;
  planned.forEach((entry, p) => {
    // evaluatePolicies skips a policy that is off everywhere: so does the screen.
    if (entry.namespaces === undefined && entry.action === 'off') return;
    const code: string[] = [];
    readsParams = false;
    policyReads.clear();
    entry.rules.forEach((rule, r) => {
      const n = policyOf.push(p) - 1;
      ruleOf.push(r);
      if (rule.each) return void code.push(eachCode(n, rule.each));
      const check = rule.check === null ? null : sourceOf(rule.rule.validate);
      const when = rule.when === null ? undefined : rule.whenCheck === null ? null : sourceOf(rule.when);
      code.push(ruleCode(n, when, check));
    });
    // `$data` references and `properties.params` read the policy's params, set while its rules run.
    const text = code.join('\n');
    const part = readsParams ? `data.params = P[${p}];\n${text}` : text;
    if (partChars > 0 && partChars + part.length > MAX_PART_CHARS) {
      parts.push({ lines: [], reads: new Set() });
      partChars = 0;
    }
    const last = parts[parts.length - 1] as (typeof parts)[number];
    last.lines.push(part);
    for (const key of policyReads) last.reads.add(key);
    partChars += part.length;
  });
  if (link === null || inlined === 0) return null;
  const declare = temps === 0 ? '' : `let ${Array.from({ length: temps }, (_, i) => `t${i + 1}`).join(', ')};`;
  const source = [
    ...helpers,
    ...parts.map((part, i) => `function part${i}(data, guard, out) {\nconst root = data; ${declare}\n${readsPrelude(part.reads)}\n${part.lines.join('\n')}\n}`),
    `return function screen(data, guard, out) {\n${parts.map((_, i) => `part${i}(data, guard, out);`).join('\n')}\n};`,
  ].join('\n');
  const params: readonly JsonObject[] = planned.map((entry) => entry.params);
  const run = (link as CheckSource['link'])(source, params) as Screen['run'];
  return { planned, run, policyOf, ruleOf };
}
