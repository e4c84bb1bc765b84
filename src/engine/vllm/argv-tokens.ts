/** Token-level rules of vLLM's argument parser (argparse and FlexibleArgumentParser). */
import type { ArgToken } from './arg-types.js';
import type { OptionTable, ReleaseResolution } from './option-table.js';
import type { OptionSpec } from './option-types.js';

/** Why problems cannot be settled for a release outside the table. */
export function unverifiedReason(r: ReleaseResolution, table: OptionTable): string {
  switch (r.kind) {
    case 'unknown':
      return `the vLLM version is unknown (${r.reason}); it may be newer than ${table.newest}, the newest release in the table`;
    case 'newer':
      return `vLLM ${r.version} is newer than ${table.newest}, the newest release in the table`;
    case 'older':
      return `vLLM ${r.version} is older than ${table.oldest}, the oldest release in the table`;
    case 'uncovered':
      return r.reason;
    default:
      return 'covered';
  }
}

export const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;
export const MAX_TOKENS = 4096;

/** argparse: a token that does not look like an option (negative numbers do not). */
export function looksLikeValue(token: ArgToken | undefined): token is ArgToken {
  if (!token) return false;
  if (token.unknown) return !/^--?[A-Za-z]/.test(token.text);
  return !token.text.startsWith('-') || token.text === '-' || NEGATIVE_NUMBER.test(token.text);
}

/** FlexibleArgumentParser: `_` → `-` in the key up to its first `.` (`--max_model_len=a_b`). */
export function normalizeKey(key: string): string {
  const dot = key.indexOf('.');
  const end = dot === -1 ? key.length : dot;
  return key.slice(0, end).replaceAll('_', '-') + key.slice(end);
}

/** The value tokens argparse would give the option, or null when it gets too few. */
export function takeValues(
  i: number,
  tokens: readonly ArgToken[],
  spec: OptionSpec,
  inline: ArgToken | null,
): { values: ArgToken[] | null; next: number } {
  const nargs = spec.action === 'store-boolean' && spec.nargs === undefined ? undefined : spec.nargs;
  if (inline) return { values: [inline], next: i };
  if (nargs === undefined) return looksLikeValue(tokens[i + 1]) ? { values: [tokens[i + 1] as ArgToken], next: i + 1 } : { values: null, next: i };
  if (nargs === '?') return looksLikeValue(tokens[i + 1]) ? { values: [tokens[i + 1] as ArgToken], next: i + 1 } : { values: [], next: i };
  const taken: ArgToken[] = [];
  let j = i;
  const max = typeof nargs === 'number' ? nargs : Infinity;
  while (taken.length < max && looksLikeValue(tokens[j + 1])) taken.push(tokens[++j] as ArgToken);
  const enough = nargs === '*' || (nargs === '+' ? taken.length >= 1 : taken.length === nargs);
  return { values: enough ? taken : null, next: j };
}
