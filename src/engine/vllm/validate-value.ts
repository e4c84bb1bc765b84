/**
 * The values given to an option, judged the way vLLM's argparse types would: parsed for the release
 * (or for any covered release when it is not known), stored typed, recorded unknown, or reported.
 * Its own file: value checking, apart from walking the argv (validate-args.ts) and flag lookup
 * (validate-flag.ts).
 * @module
 */
import type { ArgToken } from './arg-types.js';
import type { OptionHit } from './option-table.js';
import type { OptionSpec } from './option-types.js';
import { parseStoreBoolean, type ParsedValue, type ValueResult } from './option-values.js';
import type { ValidatorContext } from './validate-flag.js';

/**
 * Stores an option's values in `ctx.out.values` (typed by its spec: a switch, a list, an append, one
 * value), or records them unknown, or reports the first value no covered release accepts.
 */
export function storeValues(ctx: ValidatorContext, key: string, flag: string, i: number, hit: OptionHit, values: ArgToken[]): void {
  const unknown = values.find((v) => v.unknown);
  if (unknown) {
    ctx.out.unknownValues[key] = unknown.unknown as string;
    delete ctx.out.values[key];
    return;
  }
  // `delete` is a slow runtime call even when there is nothing to delete, the usual case here.
  if (Object.hasOwn(ctx.out.unknownValues, key)) delete ctx.out.unknownValues[key];
  const parsed: ParsedValue[] = [];
  for (const v of values) {
    const result = parseAcrossSpecs(ctx, hit, v.text);
    if (result.ok === true) parsed.push(result.value);
    else if (result.ok === false) {
      // A value no covered release accepts: a wrong type stays wrong, a new choice may appear later.
      ctx.problem({ kind: result.kind, flag, tokenIndex: i, value: v.text, summary: `${flag} ${v.text} is not a value ${ctx.releaseText()} accepts`,
          // The choices go to `choices` (and the fix): argparse's full list is too long for one line.
          says: result.kind === 'bad-choice' ? `exits: "argument ${flag}: invalid choice: '${v.text}'"` : `exits: "argument ${flag}: ${result.message}"`,
          ...(result.choices ? { choices: result.choices } : {}) }, ctx.verified || result.kind === 'bad-type');
      return;
    } else {
      ctx.out.unknownValues[key] = result.reason;
      return;
    }
  }
  const spec = hit.spec;
  if (spec.action === 'store-boolean' && values.length === 0) ctx.out.values[key] = true;
  else if (spec.nargs === '?' && values.length === 0) ctx.out.values[key] = true;
  else if (spec.action === 'append') ctx.out.values[key] = [...((ctx.out.values[key] as ParsedValue[] | undefined) ?? []), ...parsed];
  else if (spec.nargs === '+' || spec.nargs === '*' || typeof spec.nargs === 'number') ctx.out.values[key] = parsed;
  else ctx.out.values[key] = parsed[0] ?? null;
}

/**
 * For a known release its one spec decides; for any release, a value any release accepts passes,
 * and a failure is reported as the newest release would print it.
 */
function parseAcrossSpecs(ctx: ValidatorContext, hit: OptionHit, text: string): ValueResult {
  const parse = (spec: OptionSpec): ValueResult =>
    spec.action === 'store-boolean' ? parseStoreBoolean(text) : ctx.table.parseOptionValue(spec, text);
  const newest = parse(hit.spec);
  if (newest.ok !== false) return newest;
  for (const spec of hit.specs) {
    const r = parse(spec);
    if (r.ok !== false) return r;
  }
  return newest;
}
