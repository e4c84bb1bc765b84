/**
 * Option values converted the way vLLM's argparse types convert them, with the message argparse
 * would print when they fail. Each rule names the vLLM or Python function it mirrors.
 */
import type { OptionSpec } from './option-types.js';

/** JSON-ish value of a parsed option: numbers, text, booleans, null (Python None) or parsed JSON. */
export type ParsedValue = number | string | boolean | null | ParsedJson;
export type ParsedJson = { readonly [key: string]: unknown } | readonly unknown[];

export type ValueResult =
  | { ok: true; value: ParsedValue }
  | { ok: false; kind: 'bad-type' | 'bad-choice'; message: string; choices?: readonly string[] }
  /** Could not be checked (too long to be a sensible value): never judged. */
  | { ok: 'unverified'; reason: string };

// Inputs longer than this are not parsed: no option value is that long, and the cap bounds the work.
const MAX_NUMBER_LENGTH = 64;
const MAX_JSON_LENGTH = 65_536;

// Simple anchored patterns without nested quantifiers: matching is linear in the (capped) input.
const PY_INT = /^[+-]?\d+(?:_\d+)*$/;
const PY_FLOAT = /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?$/;
const PY_FLOAT_WORD = /^[+-]?(?:inf|infinity|nan)$/i;
const HUMAN = /^(\d+(?:\.\d+)?)([kKmMgGtT])$/;
const JSON_HUMAN_NUMBER = /\b\d+(?:\.\d+)?[kKmMgGtT]\b/g;
const DECIMAL: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const BINARY: Readonly<Record<string, number>> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** Python's `int(text)` (base 10: sign, digits, `_` between digits, surrounding whitespace), or null. */
export function pythonInt(text: string): number | null {
  const t = text.trim();
  if (!PY_INT.test(t)) return null;
  return Number(t.replaceAll('_', ''));
}

/** Python's `float(text)`, including `inf`/`nan`, or null. */
export function pythonFloat(text: string): number | null {
  const t = text.trim();
  if (PY_FLOAT_WORD.test(t)) return t.toLowerCase().includes('nan') ? Number.NaN : t.startsWith('-') ? -Infinity : Infinity;
  if (!PY_FLOAT.test(t)) return null;
  return Number(t.replaceAll('_', ''));
}

/**
 * vLLM's `human_readable_int` (vllm/utils/argparse_utils.py; vllm/utils/__init__.py before 0.11.1):
 * `1k` = 1000, `25.6k` = 25600, `1K` = 1024; a fraction with a binary suffix is refused with
 * vLLM's own message; anything else goes through `int()`.
 */
export function humanReadableInt(text: string): { value: number } | { error: string } | null {
  const t = text.trim();
  const m = HUMAN.exec(t);
  if (!m) {
    const plain = pythonInt(t);
    return plain === null ? null : { value: plain };
  }
  const number = m[1] as string;
  const suffix = m[2] as string;
  const decimal = DECIMAL[suffix];
  if (decimal !== undefined) return { value: Math.trunc(Number(number) * decimal) };
  if (number.includes('.')) {
    return {
      error: `Decimals are not allowed with binary suffixes like ${suffix}. Did you mean to use ${number}${suffix.toLowerCase()} instead?`,
    };
  }
  return { value: Number(number) * (BINARY[suffix] as number) };
}

/** argparse's message for a type function that raised ValueError: `invalid <name> value: '<text>'`. */
function invalid(fn: string, text: string): string {
  return `invalid ${fn} value: '${text}'`;
}

const FUNCTION_NAMES: Readonly<Record<string, string>> = {
  int: 'int',
  float: 'float',
  'human-int': 'human_readable_int',
  'human-int-or-auto': 'human_readable_int_or_auto',
  json: 'loads',
  'json-or-str': 'union_dict_and_str',
  'json-or-kvs': 'loads',
};

/** Converts without the choices check. `acceptsNone` mirrors vLLM's `optional_type` / `nullable_str`. */
function convert(spec: OptionSpec, text: string): ValueResult {
  const type = spec.value ?? 'str';
  if (spec.acceptsNone && (text === '' || text === 'None')) return { ok: true, value: null };
  if ((type === 'int' || type === 'float' || type === 'human-int' || type === 'human-int-or-auto') && text.length > MAX_NUMBER_LENGTH) {
    return { ok: 'unverified', reason: `a ${text.length}-character number was not parsed` };
  }
  // vLLM's optional_type wraps the type in parse_type, whose message replaces argparse's.
  const fail = (fn: string): ValueResult => ({
    ok: false,
    kind: 'bad-type',
    message: spec.acceptsNone ? `Value ${text} cannot be converted to ${fn}.` : invalid(fn, text),
  });
  switch (type) {
    case 'int': {
      const v = pythonInt(text);
      return v === null ? fail('int') : { ok: true, value: v };
    }
    case 'float': {
      const v = pythonFloat(text);
      return v === null ? fail('float') : { ok: true, value: v };
    }
    case 'human-int-or-auto':
    case 'human-int': {
      // vLLM's human_readable_int_or_auto: `-1` or `auto` (any case) mean "derive from the model".
      if (type === 'human-int-or-auto' && (text.trim() === '-1' || text.trim().toLowerCase() === 'auto')) {
        return { ok: true, value: -1 };
      }
      const v = humanReadableInt(text);
      if (v === null) return fail(FUNCTION_NAMES[type] as string);
      if ('error' in v) return { ok: false, kind: 'bad-type', message: v.error };
      return { ok: true, value: v.value };
    }
    case 'json':
      return parseJson(text, spec, fail);
    case 'json-or-str':
      // vLLM's union_dict_and_str: JSON only when the text looks like an object.
      return /^\s*\{[\s\S]*\}\s*$/.test(text) ? parseJson(text, spec, fail) : { ok: true, value: text };
    case 'json-or-kvs':
      // parse_type of v0.8.5–v0.9.2: `re.match("^{.*}$", val)` decides (`.` stops at a newline, `$`
      // also matches before a final one); anything else goes to nullable_kvs.
      return /^\{[^\n]*\}\n?$/.test(text) ? parseJson(text, spec, fail) : parseKvs(text);
    case 'kvs':
      return parseKvs(text);
    default:
      return { ok: true, value: text };
  }
}

/**
 * `json.loads`; config dataclasses first expand human-readable numbers
 * (`_expand_json_human_readable_numbers`), and CompilationConfig.from_cli took a bare level (`3`).
 */
function parseJson(text: string, spec: OptionSpec, fail: (fn: string) => ValueResult): ValueResult {
  if (text.length > MAX_JSON_LENGTH) return { ok: 'unverified', reason: `a ${text.length}-character JSON value was not parsed` };
  if (spec.field !== undefined && /^\s*\d+\s*$/.test(text)) return { ok: true, value: Number(text) };
  const attempt = (t: string): ValueResult | null => {
    try {
      return { ok: true, value: JSON.parse(t) as ParsedValue };
    } catch {
      return null;
    }
  };
  const direct = attempt(text);
  if (direct) return direct;
  if (spec.field !== undefined) {
    const expanded = splitOutsideStrings(text)
      .map((part, i) => (i % 2 === 0 ? part.replace(JSON_HUMAN_NUMBER, expandNumber) : part))
      .join('');
    const again = attempt(expanded);
    if (again) return again;
  }
  return fail('loads');
}

function expandNumber(n: string): string {
  const v = humanReadableInt(n);
  return v !== null && 'value' in v ? String(v.value) : n;
}

/** Splits text into alternating outside/inside double-quoted string parts. */
function splitOutsideStrings(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString && c === '\\') i++;
    else if (c === '"') {
      parts.push(text.slice(start, inString ? i + 1 : i));
      start = inString ? i + 1 : i;
      inString = !inString;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** vLLM's `nullable_kvs` (vllm/engine/arg_utils.py, 0.6–0.8): `image=2,video=1`, messages as vLLM raises them. */
function parseKvs(text: string): ValueResult {
  if (text.length === 0) return { ok: true, value: null };
  const out: Record<string, number> = {};
  for (const item of text.split(',')) {
    const parts = item.split('=').map((p) => p.trim().toLowerCase());
    if (parts.length !== 2) return { ok: false, kind: 'bad-type', message: 'Each item should be in the form KEY=VALUE' };
    const [key, raw] = parts as [string, string];
    const value = pythonInt(raw);
    if (value === null) return { ok: false, kind: 'bad-type', message: `Failed to parse value of item ${key}=${raw}` };
    if (Object.hasOwn(out, key) && out[key] !== value) {
      return { ok: false, kind: 'bad-type', message: `Conflicting values specified for key: ${key}` };
    }
    out[key] = value;
  }
  return { ok: true, value: out };
}

/**
 * One value of an option as argparse converts and checks it (`ArgumentParser._get_value` then
 * `_check_value`): the type function, then membership in `choices`. Messages are argparse's
 * (`invalid choice: 'x' (choose from …)`) without the `argument --name:` prefix.
 */
export function parseOptionValue(spec: OptionSpec, text: string): ValueResult {
  const converted = convert(spec, text);
  if (converted.ok !== true || !spec.choices || spec.choicesUnknown) return converted;
  const value = converted.value;
  const key = value === null ? 'None' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (spec.choices.includes(key)) return converted;
  const list = spec.choices.map((c) => `'${c}'`).join(', ');
  return { ok: false, kind: 'bad-choice', message: `invalid choice: '${text}' (choose from ${list})`, choices: spec.choices };
}

/** vLLM's `StoreBoolean` action (vllm/engine/arg_utils.py ≤ 0.8.4): `true`/`false`, any case. */
export function parseStoreBoolean(text: string): ValueResult {
  const lower = text.toLowerCase();
  if (lower === 'true') return { ok: true, value: true };
  if (lower === 'false') return { ok: true, value: false };
  return { ok: false, kind: 'bad-type', message: `Invalid boolean value: ${text}. Expected 'true' or 'false'.` };
}
