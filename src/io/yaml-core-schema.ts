/**
 * A js-yaml schema that resolves plain scalars exactly as the `yaml` package's YAML 1.2 core
 * schema does (yaml 2.9.1, dist/schema/core/{int,float,bool}.js and common/null.js: the same
 * patterns, in the same order, and the same conversions), so both parsers give the same values,
 * with one change both make (yaml.ts KUBECTL_OCTAL): an int written with a leading 0 is octal.
 * js-yaml's own CORE_SCHEMA differs at the edges (it turns `0b1` into a number and keeps
 * `1e999` a string), which is why it is not used. No merge type: a `<<` key is left to the
 * `yaml` package (see yaml-fast.ts).
 * @module
 */
import jsyaml from 'js-yaml';

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** `0755`, `-012`: octal as kubectl reads it (see KUBECTL_OCTAL in yaml.ts). */
export const LEADING_ZERO_OCTAL = /^[-+]?0[0-7]+$/;

/** The number a leading-zero octal int stands for (`0755` → 493, `-012` → -10). */
export function leadingZeroOctal(text: string): number {
  const value = parseInt(text.replace(/^[-+]/, ''), 8);
  return text.startsWith('-') ? -value : value;
}

/** The integer a core-schema int scalar stands for (yaml's intResolve without intAsBigInt), octal with a leading 0. */
function constructInt(text: string): number {
  if (LEADING_ZERO_OCTAL.test(text)) return leadingZeroOctal(text);
  if (INT_OCT.test(text)) return parseInt(text.substring(2), 8);
  if (INT_HEX.test(text)) return parseInt(text.substring(2), 16);
  return parseInt(text, 10);
}

/** The number a core-schema float scalar stands for. */
function constructFloat(text: string): number {
  if (FLOAT_NAN.test(text)) {
    if (text.slice(-3).toLowerCase() === 'nan') return NaN;
    return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return parseFloat(text);
}

/**
 * Whether `text` may match a pattern whose matches all start with a character `first` accepts
 * (or are empty, with `empty`). Most plain scalars of a manifest (names, images, flags) start
 * with a letter no pattern allows, so they skip the regular expressions (up to 9 per scalar).
 * Not a string (an explicitly tagged empty node): the patterns decide, as before.
 */
function mayMatch(text: unknown, first: (code: number) => boolean, empty = false): boolean {
  if (typeof text !== 'string') return true;
  return text.length === 0 ? empty : first(text.charCodeAt(0));
}

/** `~`, `n`, `N`: the first characters of NULL's matches. */
const nullStart = (c: number): boolean => c === 0x7e || c === 0x6e || c === 0x4e;
/** `t`, `T`, `f`, `F`. */
const boolStart = (c: number): boolean => c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46;
/** A digit, `+` or `-` (INT_OCT and INT_HEX start with `0`). */
const intStart = (c: number): boolean => (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d;
/** As intStart, or `.` (`.5`, `.inf`, `.nan`). */
const floatStart = (c: number): boolean => intStart(c) || c === 0x2e;

const nullType = new jsyaml.Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (text: string) => mayMatch(text, nullStart, true) && NULL.test(text), construct: () => null });
const boolType = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (text: string) => mayMatch(text, boolStart) && BOOL.test(text),
  construct: (text: string) => text.startsWith('t') || text.startsWith('T'),
});
const intType = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (text: string) => mayMatch(text, intStart) && (INT_OCT.test(text) || INT.test(text) || INT_HEX.test(text)),
  construct: constructInt,
});
const floatType = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (text: string) => mayMatch(text, floatStart) && (FLOAT_NAN.test(text) || FLOAT_EXP.test(text) || FLOAT.test(text)),
  construct: constructFloat,
});

/** Strings, sequences and mappings, plus null, bool, int and float resolved as yaml's core schema. */
export const YAML_CORE_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });
