/**
 * Fills policy message templates from the facts.
 *
 * - `{{a.b.c}}` is the fact at that dotted path; long or structured values are shortened.
 * - `{{a.b|text}}` is `text` when the fact is missing (absent, null, empty string or list).
 * - `{{!a.b|text}}` is `text` only when the fact is missing, and nothing otherwise.
 * - `[[ … ]]` is an optional part, left out when any placeholder inside it is missing.
 *
 * A missing value is never rendered as "not set", "undefined" or "null" in the middle of a sentence:
 * without a fallback it renders as nothing, and test/policies/messages.test.ts renders every rule
 * over a matrix of facts to catch templates that need one.
 */
import { valueAtSegments } from '../util/json.js';

const TOKEN = /\{\{\s*(!?)([A-Za-z0-9_.-]{1,200})\s*(?:\|([^}]{0,200}))?\}\}|\[\[|\]\]/g;
const MAX_VALUE = 80;

/** Whether a placeholder's value counts as missing: undefined, null, '' or an empty list. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * JSON for everything but strings: numbers and booleans print as themselves, objects as JSON. A
 * finite number's JSON is its String (both are Number::toString), without the serializer's call.
 */
function one(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? '';
}

function show(value: unknown): string {
  if (Array.isArray(value)) return showList(value);
  const text = one(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * A list cut at an item, never inside one (`a, b, and 3 more`): a label or flag name cut mid-word
 * ("nvidia.co…") cannot be acted on. The first item is shown even when it alone is long.
 */
function showList(values: readonly unknown[]): string {
  let text = '';
  for (let i = 0; i < values.length; i++) {
    const item = one(values[i]);
    const next = i === 0 ? item : `${text}, ${item}`;
    if (i > 0 && next.length > MAX_VALUE) return `${text}, and ${values.length - i} more`;
    text = i === 0 && item.length > MAX_VALUE ? `${item.slice(0, MAX_VALUE - 1)}…` : next;
  }
  return text;
}

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: readonly string[]; dotted: string; fallback: string | null; onlyMissing: boolean; bracketed: boolean }
  | { kind: 'optional'; parts: Part[] };

/** A template parsed once (when an engine is created). */
export interface CompiledTemplate {
  readonly parts: readonly Part[];
}

/** Parses a template; unbalanced `[[`/`]]` are kept as text. */
export function compileTemplate(template: string): CompiledTemplate {
  const root: Part[] = [];
  const stack: Part[][] = [root];
  let last = 0;
  const top = (): Part[] => stack[stack.length - 1] as Part[];
  for (const match of template.matchAll(TOKEN)) {
    if (match.index > last) top().push({ kind: 'text', text: template.slice(last, match.index) });
    last = match.index + match[0].length;
    if (match[0] === '[[') {
      const optional: Part = { kind: 'optional', parts: [] };
      top().push(optional);
      stack.push(optional.parts);
    } else if (match[0] === ']]') {
      if (stack.length > 1) stack.pop();
      else top().push({ kind: 'text', text: ']]' });
    } else {
      // `({{x}} per pod` or `(devices per pod: {{x}})`: an unknown value there reads `unknown`, not `((unknown)`.
      const bracketed = template[match.index - 1] === '(' || template[last] === ')';
      top().push({ kind: 'value', path: (match[2] as string).split('.'), dotted: match[2] as string, fallback: match[3] ?? null, onlyMissing: match[1] === '!', bracketed });
    }
  }
  if (last < template.length) top().push({ kind: 'text', text: template.slice(last) });
  return { parts: root };
}

/** The unknown facts of a review, as `Facts.unknowns` holds them: each names its dotted fact path. */
export type UnknownPaths = readonly { readonly path: string }[];

/** Stands for a number whose fact is unknown (renderParts), and for any value an unknown outcome's sentence lacks (evaluate.ts). */
export const UNKNOWN_NUMBER = '(unknown)';
/** UNKNOWN_NUMBER (a stand-in or a missing value) right inside the template's own parentheses: `(unknown per pod, …)`, `GPUs (unknown) in this node`. */
const UNKNOWN_WORD = 'unknown';

/** Whether the fact at `dotted` is, or lies under, one of the `unknown` paths (`accelerators.limit` under `accelerators`). */
function underUnknown(dotted: string, unknown: UnknownPaths): boolean {
  for (const { path } of unknown) {
    if (dotted === path || (dotted.length > path.length && dotted.startsWith(path) && dotted.charCodeAt(path.length) === 46 /* . */)) return true;
  }
  return false;
}

/**
 * Renders parts. A placeholder without value or fallback renders as `missing`, or, when `strict`
 * (an optional part; templateComplete), makes the answer null. A number whose fact is unknown
 * (`unknown`: the facts' unknown paths) is a stand-in (a placeholder GPU limit reads as 0, a
 * --tensor-parallel-size from a placeholder as 1, the port of args a ServingRuntime supplies or an
 * unknown ENTRYPOINT may read as vLLM's default): "limit 0" or "port: 8000" would state a number
 * nobody wrote, in an unknown outcome and in a failure that holds without it alike. It renders as
 * the placeholder's fallback when it has one (`port: {{vllm.port|<vLLM's --port>}}` in a
 * remediation), else as UNKNOWN_NUMBER (`unknown` right inside the template's parentheses:
 * test/policies/messages.test.ts forbids "((unknown)"), or makes an optional part
 * (`[[ to {{accelerators.limit}}]]`) drop out.
 * Texts and lists stay: an unknown subtree (`accelerators`) still holds what was read (its resource
 * names), and an absent value has its fallback. No result object per call: a denied review renders
 * ~50 texts (bench/PROFILE.md step E3).
 */
function renderParts(parts: readonly Part[], facts: unknown, missing: string, strict: boolean, unknown: UnknownPaths | null): string | null {
  let text = '';
  for (const part of parts) {
    if (part.kind === 'text') text += part.text;
    else if (part.kind === 'optional') {
      const inner = renderParts(part.parts, facts, '', true, unknown);
      if (inner !== null) text += inner;
    } else {
      const value = valueAtSegments(facts, part.path);
      if (typeof value === 'number' && unknown !== null && underUnknown(part.dotted, unknown)) {
        if (part.onlyMissing) continue;
        if (part.fallback !== null) text += part.fallback;
        else if (strict) return null;
        else text += part.bracketed ? UNKNOWN_WORD : UNKNOWN_NUMBER;
      } else if (part.onlyMissing) text += isMissing(value) ? (part.fallback ?? '') : '';
      else if (!isMissing(value)) text += show(value);
      else if (part.fallback !== null) text += part.fallback;
      else if (strict) return null;
      else text += part.bracketed && missing === UNKNOWN_NUMBER ? UNKNOWN_WORD : missing;
    }
  }
  return text;
}

/**
 * Fills a compiled template. `missing` stands in for a placeholder without value or fallback outside
 * optional parts (an unknown outcome passes `(unknown)`, so its sentence has no empty slot); '' by
 * default. `unknown`: the facts that are unknown (`Facts.unknowns`), whose numbers render as
 * UNKNOWN_NUMBER (renderParts).
 */
export function fillTemplate(template: CompiledTemplate, facts: unknown, missing = '', unknown: UnknownPaths | null = null): string {
  return renderParts(template.parts, facts, missing, false, unknown) ?? '';
}

/** Compiles and fills in one call (explain, tests). */
export function renderTemplate(template: string, facts: unknown): string {
  return fillTemplate(compileTemplate(template), facts);
}

/** Whether every placeholder of the template outside optional parts and without fallback has a value. */
export function templateComplete(template: CompiledTemplate, facts: unknown): boolean {
  return renderParts(template.parts, facts, '', true, null) !== null;
}

/**
 * Fills a template for a machine (fix patches): values unshortened, each passed through `encode`
 * (JSON Pointer escaping for patch paths); `complete` is false when a placeholder without fallback
 * is missing, and the caller then offers no fix.
 */
export function fillExact(template: CompiledTemplate, facts: unknown, encode: Encoder = asIs): { text: string; complete: boolean } {
  const text = exactParts(template.parts, facts, encode, true);
  return text === null ? { text: exactParts(template.parts, facts, encode, false) ?? '', complete: false } : { text, complete: true };
}

/** fillExact's text, or null when it is not complete (no result object: fixes fill several per review). */
export function fillExactOrNull(template: CompiledTemplate, facts: unknown, encode: Encoder = asIs): string | null {
  return exactParts(template.parts, facts, encode, true);
}

/** How fillExact writes a value into the text (`path`: the placeholder's fact path). */
export type Encoder = (value: string, path: readonly string[]) => string;

/** The value's text unchanged. */
export const asIs: Encoder = (value) => value;

/** fillExact's parts: a missing placeholder without fallback outside optional parts adds nothing, or (`strict`) makes it null. */
function exactParts(parts: readonly Part[], facts: unknown, encode: Encoder, strict: boolean): string | null {
  let text = '';
  for (const part of parts) {
    if (part.kind === 'text') text += part.text;
    else if (part.kind === 'optional') {
      const inner = exactParts(part.parts, facts, encode, true);
      if (inner !== null) text += inner;
    } else {
      const value = valueAtSegments(facts, part.path);
      if (part.onlyMissing) text += isMissing(value) ? (part.fallback ?? '') : '';
      else if (!isMissing(value)) text += encode(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''), part.path);
      else if (part.fallback !== null) text += part.fallback;
      else if (strict) return null;
    }
  }
  return text;
}

/** The fact path of a template that is exactly one placeholder without fallback (`{{vllm.port}}`), else null. */
export function soleValuePath(template: CompiledTemplate): readonly string[] | null {
  const [only, ...rest] = template.parts;
  return rest.length === 0 && only?.kind === 'value' && only.fallback === null && !only.onlyMissing ? only.path : null;
}

/** Every fact path a template's placeholders read, dotted. */
export function templateReads(template: CompiledTemplate, out: Set<string> = new Set()): Set<string> {
  for (const part of template.parts) {
    if (part.kind === 'value') out.add(part.path.join('.'));
    else if (part.kind === 'optional') templateReads({ parts: part.parts }, out);
  }
  return out;
}

/** The fact at a template's sole placeholder, raw (a number stays a number), or undefined when missing. */
export function soleValue(path: readonly string[], facts: unknown): unknown {
  const value = valueAtSegments(facts, path);
  return isMissing(value) ? undefined : value;
}
