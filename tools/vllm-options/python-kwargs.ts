/**
 * argparse keyword arguments as vLLM builds them, read as text:
 * - `specFromAnnotation` mirrors `_compute_kwargs` / `get_kwargs` in vllm/engine/arg_utils.py
 *   (dataclass → JSON, bool → BooleanOptionalAction, Literal → choices unless str is allowed too,
 *   tuple/list/set → nargs, int (human-readable for the names get_kwargs lists), float, dict → JSON,
 *   str or any non-builtin → str; None in the union → optional_type);
 * - `specFromKeywords` reads explicit `type=`, `action=`, `nargs=`, `choices=`, `deprecated=`.
 */
import type { OptionSpec, OptionValueType } from '../../src/engine/vllm/option-types.js';
import { listConstant, type PyModuleIndex } from './python-classes.js';
import { matchBracket, parseLiteralList, splitTopLevel } from './python-text.js';

type Hint =
  | { kind: 'builtin'; name: 'int' | 'float' | 'str' | 'bool' | 'bytes' }
  | { kind: 'none' }
  | { kind: 'literal'; values: string[] | null }
  | { kind: 'collection'; of: 'list' | 'tuple' | 'set'; args: string[] }
  | { kind: 'dict' }
  | { kind: 'dataclass'; name: string }
  | { kind: 'other'; text: string };

const BUILTINS = new Set(['int', 'float', 'str', 'bool', 'bytes']);

/** Splits `Name[args]` into name and argument list. */
function generic(expr: string): { head: string; args: string[] } | null {
  const open = expr.indexOf('[');
  if (open === -1 || matchBracket(expr, open) !== expr.length - 1) return null;
  return { head: expr.slice(0, open).trim(), args: splitTopLevel(expr.slice(open + 1, -1)) };
}

/** The set of type hints of an annotation, as `get_type_hints` flattens Annotated and unions. */
export function typeHints(expr: string, index: PyModuleIndex, depth = 0): Hint[] {
  let text = expr.trim();
  if (depth > 10) return [{ kind: 'other', text }];
  if (/^(['"]).*\1$/s.test(text)) text = text.slice(1, -1).trim();
  const union = splitTopLevel(text, '|');
  if (union.length > 1) return union.flatMap((u) => typeHints(u, index, depth + 1));
  if (text === 'None' || text === 'NoneType') return [{ kind: 'none' }];
  const g = generic(text);
  if (g) {
    const head = g.head.replace(/^(?:typing|typing_extensions)\./, '');
    if (head === 'Optional') return [...typeHints(g.args[0] ?? '', index, depth + 1), { kind: 'none' }];
    if (head === 'Union') return g.args.flatMap((a) => typeHints(a, index, depth + 1));
    if (head === 'Annotated' || head === 'SkipValidation') return typeHints(g.args[0] ?? '', index, depth + 1);
    if (head === 'Literal') {
      const values = parseLiteralList(`[${g.args.join(',')}]`);
      return [{ kind: 'literal', values }];
    }
    if (/^(?:list|List|Sequence)$/.test(head)) return [{ kind: 'collection', of: 'list', args: g.args }];
    if (/^(?:tuple|Tuple)$/.test(head)) return [{ kind: 'collection', of: 'tuple', args: g.args }];
    if (/^(?:set|Set)$/.test(head)) return [{ kind: 'collection', of: 'set', args: g.args }];
    if (/^(?:dict|Dict)$/.test(head)) return [{ kind: 'dict' }];
    return [{ kind: 'other', text }];
  }
  if (BUILTINS.has(text)) return [{ kind: 'builtin', name: text as 'int' }];
  if (text === 'dict' || text === 'Dict') return [{ kind: 'dict' }];
  if (text === 'list' || text === 'List') return [{ kind: 'collection', of: 'list', args: ['str'] }];
  const cls = index.classes.get(text);
  if (cls?.isDataclass) return [{ kind: 'dataclass', name: text }];
  if (cls) return [{ kind: 'other', text }];
  const alias = index.aliases.get(text);
  if (alias && /^(?:Literal|Union|Optional|Annotated|list|dict|tuple|set)\[|\|/.test(alias)) {
    return typeHints(alias, index, depth + 1);
  }
  return [{ kind: 'other', text }];
}

function has(hints: Hint[], kind: Hint['kind'], name?: string): boolean {
  return hints.some((h) => h.kind === kind && (name === undefined || (h.kind === 'builtin' && h.name === name)));
}

/** Literal → choices (or no choices when str is allowed too, as `literal_to_kwargs` uses metavar). */
function literalSpec(hints: Hint[], spec: OptionSpec): void {
  const lit = hints.find((h) => h.kind === 'literal') as { values: string[] | null } | undefined;
  const values = lit?.values ?? null;
  const ints = values !== null && values.length > 0 && values.every((v) => /^-?\d+$/.test(v));
  spec.value = ints ? 'int' : 'str';
  if (has(hints, 'builtin', 'str')) return;
  if (values === null) spec.choicesUnknown = 'the Literal values could not be read';
  else spec.choices = [...values].sort();
}

/**
 * The argparse spec `get_kwargs` derives for a config field. `humanInts` maps field names to
 * 'human-int' or 'human-int-or-auto', as read from that release's get_kwargs.
 */
export function specFromAnnotation(
  field: string,
  annotation: string,
  index: PyModuleIndex,
  humanInts: Map<string, OptionValueType>,
  file: string,
): OptionSpec {
  const hints = typeHints(annotation, index);
  const spec: OptionSpec = { action: 'store', file };
  if (has(hints, 'dataclass')) spec.value = 'json';
  else if (has(hints, 'builtin', 'bool')) return { action: 'bool-optional', file };
  else if (has(hints, 'literal')) literalSpec(hints, spec);
  else if (has(hints, 'collection')) {
    const order = ['tuple', 'list', 'set'] as const;
    const coll = order.map((o) => hints.find((h) => h.kind === 'collection' && h.of === o)).find(Boolean) as
      | { of: 'list' | 'tuple' | 'set'; args: string[] }
      | undefined;
    const args = (coll?.args ?? []).filter((a) => a !== '...');
    const ellipsis = coll?.args.includes('...') ?? false;
    spec.nargs = coll?.of === 'tuple' && !ellipsis ? args.length : '+';
    const elem = typeHints(args[0] ?? 'str', index);
    if (elem.length > 1 || has(elem, 'builtin', 'str')) spec.value = 'str';
    else if (has(elem, 'literal')) literalSpec(elem, spec);
    else if (has(elem, 'builtin', 'int')) spec.value = 'int';
    else if (has(elem, 'builtin', 'float')) spec.value = 'float';
    else spec.value = has(elem, 'other') ? 'unknown' : 'str';
  } else if (has(hints, 'builtin', 'int')) spec.value = humanInts.get(field) ?? 'int';
  else if (has(hints, 'builtin', 'float')) spec.value = 'float';
  // `parse_type(json.loads)`: readRelease keeps json-or-kvs only where parse_type falls back to nullable_kvs.
  else if (has(hints, 'dict')) spec.value = has(hints, 'builtin', 'str') || has(hints, 'other') ? 'json-or-str' : 'json-or-kvs';
  else if (has(hints, 'builtin', 'str')) spec.value = 'str';
  else spec.value = 'unknown';
  if (has(hints, 'none')) {
    spec.acceptsNone = true;
    if (spec.choices) spec.choices.push('None');
  }
  return spec;
}

const TYPE_FUNCTIONS: Record<string, OptionValueType> = {
  int: 'int',
  float: 'float',
  str: 'str',
  nullable_str: 'str',
  optional_str: 'str',
  human_readable_int: 'human-int',
  human_readable_int_or_auto: 'human-int-or-auto',
  'json.loads': 'json',
  union_dict_and_str: 'json-or-str',
  nullable_kvs: 'kvs',
};

/** `type=` expression → value type and whether '' / 'None' mean None. */
export function valueType(expr: string): { value: OptionValueType; acceptsNone: boolean } {
  const text = expr.trim();
  const wrapped = /^(optional_type|parse_type)\((.+)\)$/s.exec(text);
  if (wrapped) {
    const inner = valueType(wrapped[2] as string);
    // parse_type's nullable_kvs fallback is for json.loads itself (readRelease keeps it where the release has it).
    const value = (wrapped[2] as string).trim() === 'json.loads' ? 'json-or-kvs' : inner.value;
    return { value, acceptsNone: wrapped[1] === 'optional_type' || inner.acceptsNone };
  }
  if (/\.from_cli$/.test(text)) return { value: 'json', acceptsNone: false };
  const value = TYPE_FUNCTIONS[text] ?? 'unknown';
  return { value, acceptsNone: text === 'nullable_str' || text === 'optional_str' };
}

/** `choices=` expression → literal values, or null with the reason they could not be read. */
export function readChoices(expr: string, index: PyModuleIndex): string[] | string {
  const text = expr.trim();
  const list = parseLiteralList(text);
  if (list) return list;
  const spread = /^\[\s*\*\s*([A-Za-z_]\w*)\s*,\s*None\s*\]$/.exec(text);
  const constant = listConstant(index, spread ? (spread[1] as string) : text);
  if (constant) return spread ? [...constant, 'None'] : constant;
  const enumMatch = /^\[\s*\w+\.value\s+for\s+\w+\s+in\s+([A-Za-z_]\w*)\s*\]$/.exec(text);
  const enumValues = enumMatch ? index.classes.get(enumMatch[1] as string)?.enumValues : null;
  if (enumValues && enumValues.length > 0) return enumValues;
  const getArgs = /^(?:typing\.)?get_args\(\s*([A-Za-z_]\w*)\s*\)$/.exec(text);
  const alias = getArgs ? index.aliases.get(getArgs[1] as string) : undefined;
  if (alias) {
    const lit = typeHints(alias, index).find((h) => h.kind === 'literal');
    if (lit && lit.kind === 'literal' && lit.values) return lit.values;
  }
  return `choices come from \`${text.replace(/\s+/g, ' ').slice(0, 80)}\`, which the extractor does not evaluate`;
}

const ACTIONS: Record<string, OptionSpec['action']> = {
  store_true: 'store_true',
  'argparse.BooleanOptionalAction': 'bool-optional',
  BooleanOptionalAction: 'bool-optional',
  StoreBoolean: 'store-boolean',
  append: 'append',
  store: 'store',
};

/** Applies explicit keyword arguments (`type=`, `action=`, …) over `spec` (later wins, as in Python). */
export function applyKeywords(spec: OptionSpec, keywords: Map<string, string>, index: PyModuleIndex): void {
  const action = keywords.get('action');
  if (action !== undefined) {
    const name = action.trim().replace(/^['"]|['"]$/g, '');
    spec.action = ACTIONS[name] ?? 'custom';
    if (spec.action === 'store_true' || spec.action === 'bool-optional') {
      delete spec.value;
      delete spec.nargs;
    }
  }
  const type = keywords.get('type');
  if (type !== undefined && spec.action !== 'store_true' && spec.action !== 'bool-optional') {
    const t = valueType(type);
    spec.value = t.value;
    if (t.acceptsNone) spec.acceptsNone = true;
    else delete spec.acceptsNone;
  }
  if ((spec.action === 'store' || spec.action === 'append' || spec.action === 'custom') && spec.value === undefined) {
    spec.value = 'str';
  }
  const nargs = keywords.get('nargs');
  if (nargs !== undefined) {
    const n = nargs.trim().replace(/^['"]|['"]$/g, '');
    spec.nargs = /^\d+$/.test(n) ? Number(n) : n === '+' || n === '*' || n === '?' ? n : '*';
  }
  const choices = keywords.get('choices');
  if (choices !== undefined) {
    const read = readChoices(choices, index);
    if (Array.isArray(read)) {
      spec.choices = read;
      delete spec.choicesUnknown;
    } else {
      delete spec.choices;
      spec.choicesUnknown = read;
    }
  }
  const deprecated = keywords.get('deprecated');
  if (deprecated !== undefined && deprecated.trim() === 'True') spec.deprecated = true;
}
