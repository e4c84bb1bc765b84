/**
 * JSON Pointer helpers and the write overlay a fix's operations are checked against (fix.ts): the
 * object as written plus what earlier operations of the same fix wrote, so checking a patch never
 * copies the workload object.
 */
import type { PatchOperation } from '../types.js';

/** Bounds a hostile policy's value nesting. */
const MAX_DEPTH = 32;

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
  return tokens.map((t) => `/${escapeToken(t)}`).join('');
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

function childOf(node: unknown, token: string): { found: boolean; value: unknown } {
  if (Array.isArray(node)) {
    if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= node.length) return { found: false, value: undefined };
    return { found: true, value: node[Number(token)] };
  }
  if (typeof node === 'object' && node !== null && Object.prototype.hasOwnProperty.call(node, token)) {
    return { found: true, value: (node as Record<string, unknown>)[token] };
  }
  return { found: false, value: undefined };
}

/**
 * An `add` whose parent may be missing: the operation that creates the outermost missing member
 * with the value nested inside it, or null when an existing ancestor is not a container.
 */
export function resolveAdd(document: Overlay, tokens: readonly string[], value: unknown): PatchOperation | null {
  for (let i = 1; i < tokens.length; i++) {
    if (document.at(tokens.slice(0, i)).found) continue;
    const holder = document.at(tokens.slice(0, i - 1)).value;
    if (Array.isArray(holder) || typeof holder !== 'object' || holder === null) return null;
    let nested = value;
    for (let j = tokens.length - 1; j >= i; j--) nested = tokens[j] === '-' || /^\d+$/.test(tokens[j] as string) ? [nested] : { [tokens[j] as string]: nested };
    return { op: 'add', path: pointerOf(tokens.slice(0, i)), value: nested };
  }
  const parent = document.at(tokens.slice(0, -1)).value;
  if (typeof parent !== 'object' || parent === null) return null;
  return { op: 'add', path: pointerOf(tokens), value };
}

/** Whether an operation's target exists (`-`: whether the list does). */
export function targetPresent(document: Overlay, tokens: readonly string[]): boolean {
  if (tokens[tokens.length - 1] === '-') return Array.isArray(document.at(tokens.slice(0, -1)).value);
  return document.at(tokens).found;
}

/** Equality for `test` values, bounded in depth (policy values are small; a deeper target is not equal). */
function sameValue(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_DEPTH || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1));
}

/** A small JSON value written by a policy, copied so later operations never change an emitted one. */
function copyValue(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => copyValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty only where assignment would not make an own data property; it is slow per key.
    if (k === '__proto__') Object.defineProperty(out, k, { value: copyValue(v, depth + 1), enumerable: true, writable: true, configurable: true });
    else out[k] = copyValue(v, depth + 1);
  }
  return out;
}

/**
 * The object as written plus what earlier operations of the same fix wrote (pointer → our own copy
 * of the value). Checking a patch this way costs the length of its paths: the workload object, which
 * may be megabytes with thousands of containers, is never copied.
 */
export class Overlay {
  private readonly written = new Map<string, unknown>();
  constructor(private readonly root: unknown) {}

  /** The node at tokens: from the deepest written ancestor when there is one, else from the object. */
  at(tokens: readonly string[]): { found: boolean; value: unknown; owned: boolean } {
    if (this.written.size > 0) {
      // The deepest write at or above the pointer: a fix writes a few times, so the writes are
      // scanned rather than every prefix of the pointer spelled out (that was quadratic in its depth).
      const full = pointerOf(tokens);
      let deepest: string | null = null;
      for (const key of this.written.keys()) {
        const covers = key === '' || key === full || full.startsWith(`${key}/`);
        if (covers && (deepest === null || key.length > deepest.length)) deepest = key;
      }
      if (deepest !== null) {
        let node = this.written.get(deepest);
        let depth = 0;
        for (let i = 0; i < deepest.length; i++) if (deepest.charCodeAt(i) === 47 /* / */) depth++;
        for (let i = depth; i < tokens.length; i++) {
          const child = childOf(node, tokens[i] as string);
          if (!child.found) return { found: false, value: undefined, owned: true };
          node = child.value;
        }
        return { found: true, value: node, owned: true };
      }
    }
    let node = this.root;
    for (const token of tokens) {
      const child = childOf(node, token);
      if (!child.found) return { found: false, value: undefined, owned: false };
      node = child.value;
    }
    return { found: true, value: node, owned: false };
  }

  /** Applies one RFC 6902 operation; false when it does not apply. */
  apply(op: PatchOperation): boolean {
    const tokens = pointerTokens(op.path);
    if (tokens.length === 0) return op.op === 'test' && sameValue(this.root, op.value);
    const last = tokens[tokens.length - 1] as string;
    const parent = this.at(tokens.slice(0, -1));
    if (!parent.found || typeof parent.value !== 'object' || parent.value === null) return false;
    const target = childOf(parent.value, last);
    if (op.op === 'test') return target.found && sameValue(target.value, op.value);
    if (op.op !== 'add' && !target.found) return false;
    const isArray = Array.isArray(parent.value);
    const index = !isArray ? -1 : last === '-' ? (parent.value as unknown[]).length : /^(0|[1-9]\d*)$/.test(last) ? Number(last) : -1;
    if (isArray && (index < 0 || index > (parent.value as unknown[]).length)) return false;
    if (parent.owned) {
      // Our own copy: change it in place.
      if (isArray) {
        const list = parent.value as unknown[];
        if (op.op === 'add') list.splice(index, 0, copyValue(op.value));
        else if (op.op === 'replace') list[index] = copyValue(op.value);
        else list.splice(index, 1);
      } else if (op.op === 'remove') delete (parent.value as Record<string, unknown>)[last];
      else Object.defineProperty(parent.value, last, { value: copyValue(op.value), enumerable: true, writable: true, configurable: true });
      return true;
    }
    // Under the object as written: record the write (a removal is recorded as nothing there).
    const key = pointerOf([...tokens.slice(0, -1), isArray ? String(index) : last]);
    if (op.op === 'remove') this.written.delete(key);
    else this.written.set(key, copyValue(op.value));
    return true;
  }
}
