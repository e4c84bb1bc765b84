/**
 * Which option a flag names in vLLM's option table for the release, and what is wrong with the flag
 * itself: unknown (with a near-miss suggestion), an ambiguous abbreviation, not yet in the release,
 * removed or deprecated (with a rename when the replacement takes its value the same way). Its own
 * file: flag lookup, apart from walking the argv (validate-args.ts) and judging values (validate-value.ts).
 * @module
 */
import type { ArgProblem, VllmArgvResult } from './arg-types.js';
import type { OptionHit, OptionTable } from './option-table.js';
import type { OptionSpec } from './option-types.js';
import { parseVersion, sideOf } from './release.js';

/** What resolveOption and storeValues read from the argv validator (validate-args.ts) and how they report. */
export interface ValidatorContext {
  readonly table: OptionTable;
  /** The covered release's tag; null when any covered release may run. */
  readonly release: string | null;
  /** Problems are settled (not "could not be verified") unless the caller says otherwise. */
  readonly verified: boolean;
  /** argparse's unique-prefix rule is on (vLLM's parser allows abbreviations). */
  readonly abbreviations: boolean;
  readonly out: VllmArgvResult;
  problem(p: Omit<ArgProblem, 'verified' | 'message'>, verified?: boolean): void;
  /** `vLLM v0.11.0`, or the range of covered releases. */
  releaseText(): string;
  /** Whether a near-miss suggestion may still be looked up in this argv (edit-distance.ts MAX_SUGGESTED_NAMES); counts this one. */
  maySuggest(): boolean;
}

/** Finds the option (exact, then argparse's unique prefix); reports unknown, removed, not-yet, deprecated. */
export function resolveOption(ctx: ValidatorContext, i: number, name: string, shown?: string): OptionHit | null {
  const flag = shown ?? name;
  let hit = ctx.table.lookup(name, ctx.release);
  if (!hit && ctx.abbreviations) {
    const prefix = ctx.table.lookupPrefix(name, ctx.release);
    if (prefix && 'ambiguous' in prefix) {
      const list = prefix.ambiguous.slice(0, 6).join(', ');
      ctx.problem({ kind: 'unknown-flag', flag, tokenIndex: i, summary: `${name} is an abbreviation of several options`, says: `exits: "ambiguous option: ${name} could match ${list}"` });
      return null;
    }
    hit = prefix?.hit ?? null;
  }
  if (!hit && joinedValue(ctx, i, name)) return null;
  if (!hit) {
    const suggestion = !ctx.maySuggest() ? null : (ctx.table.suggest(name, ctx.release) ?? (ctx.release ? ctx.table.suggest(name, null) : null));
    // A near miss of a real option is a typo whatever the version; anything else may be newer than the table.
    ctx.problem(
      {
        kind: 'unknown-flag',
        flag,
        tokenIndex: i,
        ...(suggestion ? { suggestion } : {}),
        ...(suggestion && ctx.release && ctx.table.suggestUnique(name, ctx.release) === suggestion ? { rename: suggestion } : {}),
        summary: suggestion ? `unknown option ${flag} (did you mean ${suggestion}?)` : `${flag} is not an option of ${ctx.releaseText()}`,
        says: `exits: "unrecognized arguments: ${flag}"`,
      },
      ctx.verified || suggestion !== null,
    );
    return null;
  }
  if (hit.status === 'not-yet') {
    ctx.problem({ kind: 'unknown-flag', flag, tokenIndex: i, summary: `${flag} arrived in vLLM ${hit.addedIn}, after ${ctx.release}`, says: `${ctx.release} exits: "unrecognized arguments: ${flag}"` });
  } else if (hit.status === 'removed') {
    const replacement = hit.spec.replacement;
    ctx.problem({
      kind: 'removed',
      flag,
      tokenIndex: i,
      ...(replacement ? { replacement } : {}),
      ...(sameKind(ctx, hit.spec, replacement) ? { rename: replacement } : {}),
      summary: `${flag} was removed in vLLM ${hit.removedIn} (last in ${hit.lastIn})${replacement ? `; use ${replacement}` : ''}`,
      says: `${ctx.release} exits: "unrecognized arguments: ${flag}"`,
    });
  } else if (ctx.release === null && removedSince(ctx, name)) {
    const gone = removedSince(ctx, name) as OptionHit;
    // Not settled: the image's release is not known to be that new (latest, a digest, a pre-release).
    ctx.problem(
      {
        kind: 'removed',
        flag,
        tokenIndex: i,
        ...(gone.spec.replacement ? { replacement: gone.spec.replacement } : {}),
        summary: `${flag} was removed in vLLM ${gone.removedIn} (last in ${gone.lastIn})`,
        says: `${gone.removedIn} and later exit: "unrecognized arguments: ${flag}"`,
      },
      false,
    );
  } else if (hit.spec.deprecated && ctx.release) {
    const replacement = hit.spec.replacement;
    ctx.problem({
      kind: 'deprecated',
      flag,
      tokenIndex: i,
      ...(replacement ? { replacement } : {}),
      ...(sameKind(ctx, hit.spec, replacement) ? { rename: replacement } : {}),
      summary: `${flag} is deprecated in ${ctx.releaseText()}${replacement ? `; use ${replacement}` : ''}`,
      says: `logs "argument '${hit.name.slice(2).replaceAll('-', '_')}' is deprecated"`,
    });
  }
  return hit;
}

/**
 * The option as the table's newest release sees it, when that release no longer has it (status
 * removed) and the image may run that release or a later one: its release is unknown (a floating
 * tag, a digest, a tag naming none), newer than the table, or a pre-release not older than the
 * removal. Null otherwise, and for an image older than the table (it predates the removal). Source:
 * the option table, extracted from vllm/engine/arg_utils.py and the entrypoints' cli_args.py at each
 * release tag (knowledge/vllm-options/options.json).
 */
function removedSince(ctx: ValidatorContext, name: string): OptionHit | null {
  const r = ctx.out.release;
  if (r.kind === 'covered' || r.kind === 'older') return null;
  const latest = ctx.table.lookup(name, ctx.table.newest);
  if (latest?.status !== 'removed' || !latest.removedIn) return null;
  if (r.kind === 'uncovered') {
    const v = parseVersion(r.version);
    const removal = parseVersion(latest.removedIn);
    // A pre-release of the removal's release may still have it: only a build settled before it is spared.
    if (!v || !removal || sideOf(v, removal) === 'before') return null;
  }
  return latest;
}

/**
 * An option and its value written as one argv item (`"--port 8000"`, `"--model "`): argparse reads an
 * item that holds a space and names no option as a positional argument, never as the option
 * (CPython Lib/argparse.py `_parse_optional`: "if it contains a space, it was meant to be a
 * positional"), and vLLM's FlexibleArgumentParser does not split a long option (vllm/utils.py at
 * v0.6.1, vllm/utils/argparse_utils.py at main 017e9f4448: only `-O<level>` is split), so every release
 * exits on it: reported as settled whatever the version. False when `name` is no such item.
 */
function joinedValue(ctx: ValidatorContext, i: number, name: string): boolean {
  const space = name.search(/\s/);
  // Long options only: vLLM itself splits `-O 3` (-O and its level) in FlexibleArgumentParser.
  if (space <= 2 || !name.startsWith('--')) return false;
  const option = name.slice(0, space);
  if (!ctx.table.lookup(option, null)) return false;
  // The value is not echoed: it may be a credential (`"--api-key sk-…"`).
  const value = name.slice(space).trim() !== '';
  const shown = value ? `${option} …` : `${option} `;
  const summary = value ? `${option} and its value are one argument ("${shown}")` : `"${shown}" has a space after the option`;
  const advice = value ? `write ${option} and its value as two items` : `remove the space after ${option}`;
  ctx.problem({ kind: 'unknown-flag', flag: option, tokenIndex: i, summary, says: `exits: "unrecognized arguments: ${shown}"`, advice }, true);
  return true;
}

/**
 * Whether `replacement` (an option of the release) takes its value the way `old` did, so renaming
 * the flag keeps the command line valid: `--enable-reasoning` (a switch) → `--reasoning-parser NAME`
 * is not a rename.
 */
function sameKind(ctx: ValidatorContext, old: OptionSpec, replacement: string | undefined): replacement is string {
  if (!replacement || !ctx.release || !replacement.startsWith('--')) return false;
  const next = ctx.table.lookup(replacement, ctx.release);
  if (next?.status !== 'present') return false;
  return next.spec.action === old.action && next.spec.value === old.value && next.spec.nargs === old.nargs && next.spec.choices === undefined && old.choices === undefined;
}
