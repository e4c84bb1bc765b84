/**
 * JSON Pointers (RFC 6901) as fixes spell them: escaping a token, splitting and joining pointers,
 * a dotted fact path (`spec.containers[0]`) as a pointer, and the pointers of a review's fact paths
 * (memoized per engine). Its own file: pointer spelling, used by the overlay (fix-overlay.ts), the
 * fix renderer (fix.ts) and the engine.
 * @module
 */
import type { ValuesMemo } from '../util/values-memo.js';

/** Escapes one JSON Pointer token (`nvidia.com/gpu` → `nvidia.com~1gpu`). */
export function escapeToken(text: string): string {
  return text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text;
}

/** Splits a JSON Pointer into unescaped tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  const tokens = pointer.slice(1).split('/');
  // Most tokens escape nothing: the replacements are skipped then (a fix renders several per review).
  if (!pointer.includes('~')) return tokens;
  return tokens.map((t) => (t.includes('~') ? t.replaceAll('~1', '/').replaceAll('~0', '~') : t));
}

/** JSON Pointer of unescaped tokens. */
export function pointerOf(tokens: readonly string[]): string {
  let out = '';
  for (const token of tokens) out += `/${escapeToken(token)}`;
  return out;
}

/** A dotted path with indexes (`spec.template.spec.containers[0]`) as a JSON Pointer. */
export function dottedToPointer(dotted: string): string {
  let out = '';
  let start = 0;
  const flush = (end: number): void => {
    if (end > start) out += `/${escapeToken(dotted.slice(start, end))}`;
  };
  // One scan instead of a regex split per segment: `split(/…/)` builds a RegExp on each call and
  // was most of a fix's cost. `.` ends a token; `[digits]` is a token of its own; any other `[` is text.
  for (let i = 0; i < dotted.length; i++) {
    const code = dotted.charCodeAt(i);
    if (code === 46 /* . */) {
      flush(i);
      start = i + 1;
    } else if (code === 91 /* [ */) {
      let j = i + 1;
      while (j < dotted.length && dotted.charCodeAt(j) >= 48 && dotted.charCodeAt(j) <= 57) j++;
      if (j > i + 1 && dotted.charCodeAt(j) === 93 /* ] */) {
        flush(i);
        out += `/${dotted.slice(i + 1, j)}`;
        start = j + 1;
        i = j;
      }
    }
  }
  flush(dotted.length);
  return out;
}

/**
 * The split of each pointer of a `pointersOf` answer (its pointerTokens), held on that frozen answer
 * under this symbol (not enumerable: templates and JSON see only the pointers): a fix's path that
 * starts with `{{pointers.container}}` takes its lead tokens from here instead of splitting the
 * same text again on every fix of every review (fix-path.ts).
 */
export const POINTER_TOKENS: unique symbol = Symbol('pointer tokens');

/** JSON Pointers of fact paths by the names and texts of the paths, kept per engine (createEngine). */
export type PointerMemo = ValuesMemo<Readonly<Record<string, string>>>;

/** The JSON Pointers of the facts' `paths` (the `pointers` fixes read), remembered in `memo` when given. */
export function pointersOf(paths: Record<string, string>, memo?: PointerMemo): Readonly<Record<string, string>> {
  const spell = (): Readonly<Record<string, string>> => {
    const out: Record<string, string> = {};
    const split: Record<string, readonly string[]> = {};
    for (const key of Object.keys(paths)) {
      out[key] = dottedToPointer(paths[key] as string);
      split[key] = Object.freeze(pointerTokens(out[key]));
    }
    Object.defineProperty(out, POINTER_TOKENS, { value: Object.freeze(split) });
    return Object.freeze(out);
  };
  if (!memo) return spell();
  // The key is the list of names and paths (util/values-memo.ts): a text of them all, flattened and
  // hashed by a Map on every review, cost ~1 % of a passing review (bench/PROFILE.md step 31).
  const key: string[] = [];
  for (const name of Object.keys(paths)) key.push(name, paths[name] as string);
  return memo.get(key, spell);
}
