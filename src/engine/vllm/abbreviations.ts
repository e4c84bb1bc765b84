/**
 * Long options written as argparse abbreviations (`--max-num-seq 8` for `--max-num-seqs`): vLLM's
 * FlexibleArgumentParser keeps argparse's `allow_abbrev`, so a unique prefix of one option sets that
 * option. The facts read options by their full names; this renames abbreviated keys once parsed.
 */
import { convertArgValue } from './args-coerce.js';
import type { OptionTable } from './option-table.js';
import type { VllmArgs } from '../types.js';
import { freezeDeep } from '../util/memo.js';

type Renames = readonly (readonly [string, string])[];
const RECORDS = ['values', 'unknown'] as const;

function renamed<T>(record: Record<string, T>, renames: Renames, convert: (name: string, value: T) => T = (_, v) => v): Record<string, T> {
  const out: Record<string, T> = { ...record };
  for (const [from, to] of renames) {
    if (!Object.hasOwn(out, from)) continue;
    // Both spellings given: keep the full name's value (argparse would take the later one).
    if (!Object.hasOwn(out, to)) out[to] = convert(to, out[from] as T);
    delete out[from];
  }
  return out;
}

/**
 * `args` with abbreviated option names replaced by the option each stands for in any covered release
 * (an ambiguous or unknown prefix is left as written: vllm-args-valid reports it). Returns `args`
 * itself when nothing is abbreviated (the usual case), a new object otherwise: `args` may be shared.
 */
export function expandAbbreviations(args: VllmArgs, table: OptionTable): VllmArgs {
  let renames: [string, string][] | null = null;
  for (const record of RECORDS) {
    // Own enumerable keys only: the records are plain objects built by the parser.
    for (const key in args[record]) {
      if (table.longNames.has(key) || key === '*' || key.includes('.')) continue;
      const prefix = table.lookupPrefix(`--${key}`, null);
      if (!prefix || !('hit' in prefix)) continue;
      const full = prefix.hit.name.replace(/^--/, '');
      if (full !== key && !renames?.some(([from]) => from === key)) (renames ??= []).push([key, full]);
    }
  }
  if (!renames) return args;
  const out: VllmArgs = { ...args, values: renamed(args.values, renames, (name, value) => (typeof value === 'string' ? convertArgValue(name, value) : value)), unknown: renamed(args.unknown, renames), at: renamed(args.at, renames), from: renamed(args.from, renames) };
  const model = out.values['model'];
  if (out.model === null && typeof model === 'string') {
    out.model = model;
    out.modelFrom = 'flag';
  }
  return out;
}

/** expandAbbreviations with one engine's table, remembered per argv reading (createAbbreviationExpansion). */
export type AbbreviationExpansion = (args: VllmArgs) => VllmArgs;

/**
 * expandAbbreviations for one engine's table, remembered by the reading it was given: the argv memo
 * (argv-memo.ts) hands every pod of a Deployment the same frozen reading, and looking its option names
 * up again on each review was ~1.5 % of a passing one (bench/PROFILE.md). Held weakly: a reading the
 * memo drops is dropped here too.
 */
export function createAbbreviationExpansion(table: OptionTable): AbbreviationExpansion {
  const expanded = new WeakMap<VllmArgs, VllmArgs>();
  return (args) => {
    // A reading the argv memo has not stored (first sight: argv-memo.ts stores on the second) never
    // comes back: its expansion is neither remembered nor frozen (freezing it was ~2 % of a review
    // whose argv is new), and the memos keyed on frozen readings (argv-memo.ts) pass it by.
    if (!Object.isFrozen(args)) return expandAbbreviations(args, table);
    let out = expanded.get(args);
    if (out === undefined) {
      // Frozen as the memo's readings are: every later review of the same reading shares it.
      out = freezeDeep(expandAbbreviations(args, table));
      expanded.set(args, out);
    }
    return out;
  };
}
