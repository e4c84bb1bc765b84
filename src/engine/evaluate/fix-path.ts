/**
 * A fix operation's path (`{{pointers.container}}/resources/limits/{{accelerators.resources.0}}`)
 * compiled once per engine into its JSON Pointer tokens, so a review fills the path and has its
 * tokens in one pass: no split of the filled text, no escaping a value into it and unescaping it
 * back out, and the constant tokens are the same strings on every review (bench/PROFILE.md S6).
 * The text and tokens are exactly what `fillExactOrNull(path, scope, pathToken)` and
 * `pointerTokens` of that text give; a template this cannot answer so is left to them (fix.ts).
 * @module
 */
import { escapeToken, POINTER_TOKENS, pointerTokens } from './json-pointer.js';
import { isMissing, type CompiledTemplate } from './render.js';
import { valueAtSegments } from '../util/json.js';

/** One token of the path after its lead: a constant (unescaped) or one placeholder's whole value. */
type TokenPlan = string | { readonly path: readonly string[] };

/** A path template as tokens: an optional leading `{{pointers.…}}` (a pointer of its own), then tokens. */
export interface PathPlan {
  readonly lead: readonly string[] | null;
  readonly tokens: readonly TokenPlan[];
}

/**
 * The plan of a path template, or null when it has other shapes: an optional part, a fallback or a
 * `!` placeholder, a `~` in its text (an escape the plan would have to undo), a `pointers.…` value
 * after the start, or a placeholder that is not a whole token (`/a{{x}}`).
 */
export function planPath(template: CompiledTemplate): PathPlan | null {
  const parts = template.parts;
  let i = 0;
  let lead: readonly string[] | null = null;
  const first = parts[0];
  if (first?.kind === 'value' && first.path[0] === 'pointers') {
    if (first.fallback !== null || first.onlyMissing) return null;
    lead = first.path;
    i = 1;
  }
  const tokens: TokenPlan[] = [];
  // Whether the next part starts a token (right after a `/` of the text).
  let atStart = false;
  for (; i < parts.length; i++) {
    const part = parts[i];
    if (part === undefined || part.kind === 'optional') return null;
    if (part.kind === 'value') {
      if (!atStart || part.fallback !== null || part.onlyMissing || part.path[0] === 'pointers') return null;
      const next = parts[i + 1];
      if (next !== undefined && (next.kind !== 'text' || !next.text.startsWith('/'))) return null;
      tokens.push({ path: part.path });
      atStart = false;
      continue;
    }
    const text = part.text;
    if (text.includes('~') || (i === (lead ? 1 : 0) && !text.startsWith('/'))) return null;
    // The text's tokens: its first piece ends the token a value began (none: values are whole tokens).
    const pieces = text.split('/');
    for (let k = 1; k < pieces.length; k++) {
      const piece = pieces[k] as string;
      // The last piece is empty when a value follows (`/limits/` then `{{x}}`): that token is the value's.
      if (k === pieces.length - 1 && piece === '' && parts[i + 1]?.kind === 'value') atStart = true;
      else tokens.push(piece);
    }
    if (pieces[0] !== '') return null;
  }
  if (atStart) return null;
  return { lead, tokens };
}

/** A placeholder's text as exactParts writes it (before encoding). */
function valueText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/** The tokens of `scope.pointers[name]` split once with the pointers (json-pointer.ts POINTER_TOKENS), when that is `path`. */
function splitPointer(scope: unknown, name: string, path: string): readonly string[] | undefined {
  const pointers = (scope as { pointers?: unknown }).pointers;
  if (typeof pointers !== 'object' || pointers === null) return undefined;
  const split = (pointers as { [POINTER_TOKENS]?: Readonly<Record<string, readonly string[]>> })[POINTER_TOKENS];
  return split !== undefined && (pointers as Record<string, unknown>)[name] === path ? split[name] : undefined;
}

/**
 * The filled path and its tokens, or null when a placeholder is missing (as fillExactOrNull) or the
 * lead pointer does not start the path with `/` (renderWithScope refuses such a path).
 */
export function fillPath(plan: PathPlan, scope: unknown): { path: string; tokens: string[] } | null {
  let path = '';
  let tokens: string[];
  if (plan.lead) {
    const value = valueAtSegments(scope, plan.lead);
    if (isMissing(value)) return null;
    path = valueText(value);
    if (!path.startsWith('/')) return null;
    const split = plan.lead.length === 2 ? splitPointer(scope, plan.lead[1] as string, path) : undefined;
    // A spread, not slice(): the split is frozen (a memo's answer), and V8's slice of a frozen array
    // keeps its frozen elements kind, so each later push took the slow path (~0.6 µs per path here).
    tokens = split ? [...split] : pointerTokens(path);
  } else tokens = [];
  for (const token of plan.tokens) {
    if (typeof token === 'string') {
      path += `/${token}`;
      tokens.push(token);
      continue;
    }
    const value = valueAtSegments(scope, token.path);
    if (isMissing(value)) return null;
    const text = valueText(value);
    path += `/${escapeToken(text)}`;
    tokens.push(text);
  }
  return { path, tokens };
}
