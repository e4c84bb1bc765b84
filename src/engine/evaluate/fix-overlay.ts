/**
 * The write overlay a fix's operations are checked against (fix.ts): the object as written plus
 * what earlier operations of the same fix wrote, so checking a patch never copies the workload
 * object. JSON Pointer spelling is its own file (json-pointer.ts).
 */
import type { PatchOperation } from '../types.js';
import { pointerOf, pointerTokens } from './json-pointer.js';

/** Bounds a hostile policy's value nesting. */
const MAX_DEPTH = 32;

/** What childOf answers when there is no such member (no object allocated per step of a walk). */
const ABSENT: unique symbol = Symbol('absent');

/** An array index token as RFC 6901 spells one: `0` or digits without a leading zero. */
function indexOf(token: string): number {
  const length = token.length;
  if (length === 0 || (length > 1 && token.charCodeAt(0) === 48)) return -1;
  for (let i = 0; i < length; i++) {
    const code = token.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
  }
  return Number(token);
}

function childOf(node: unknown, token: string): unknown {
  if (Array.isArray(node)) {
    const index = indexOf(token);
    return index < 0 || index >= node.length ? ABSENT : (node[index] as unknown);
  }
  if (typeof node !== 'object' || node === null) return ABSENT;
  // One lookup, as valueAtSegments (util/json.ts): what only an inherited member answers is a function or `__proto__`'s object.
  const child = (node as Record<string, unknown>)[token];
  if (child === undefined || typeof child === 'function') return Object.prototype.hasOwnProperty.call(node, token) ? child : ABSENT;
  if (token === '__proto__' && !Object.prototype.hasOwnProperty.call(node, token)) return ABSENT;
  return child;
}

/**
 * An `add` whose parent may be missing: the operation that creates the outermost missing member
 * with the value nested inside it, with the tokens of its path, or null when an existing ancestor is
 * not a container.
 */
export function resolveAdd(document: Overlay, tokens: readonly string[], value: unknown, path?: string): { operation: PatchOperation; tokens: readonly string[] } | null {
  const { length: i, holder } = document.firstMissing(tokens, tokens.length - 1);
  // A path that escapes nothing is what pointerOf spells from its tokens (its tokens hold no `/`,
  // and no `~` to escape): its prefixes are then its own, with no token escaped again.
  const plain = path !== undefined && !path.includes('~');
  if (i > 0) {
    if (Array.isArray(holder) || typeof holder !== 'object' || holder === null) return null;
    let nested = value;
    for (let j = tokens.length - 1; j >= i; j--) nested = tokens[j] === '-' || /^\d+$/.test(tokens[j] as string) ? [nested] : { [tokens[j] as string]: nested };
    const at = tokens.slice(0, i);
    return { operation: { op: 'add', path: plain ? prefixOf(path, i) : pointerOf(at), value: nested }, tokens: at };
  }
  if (typeof holder !== 'object' || holder === null) return null;
  return { operation: { op: 'add', path: plain ? path : pointerOf(tokens), value }, tokens };
}

/** The first `count` tokens of a pointer, as written. */
function prefixOf(pointer: string, count: number): string {
  let at = 0;
  for (let n = 0; n <= count && at !== -1; n++) at = pointer.indexOf('/', at + (n === 0 ? 0 : 1));
  return at === -1 ? pointer : pointer.slice(0, at);
}

/** Whether an operation's target exists (`-`: whether the list does). */
export function targetPresent(document: Overlay, tokens: readonly string[]): boolean {
  if (tokens[tokens.length - 1] === '-') return Array.isArray(document.at(tokens, tokens.length - 1).value);
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
  const source = value as Record<string, unknown>;
  // Object.keys, not Object.entries: the same keys in the same order without a [key, value] pair per
  // member (a third of the bytes a denied review's fixes allocated in the overlay, bench/PROFILE.md E7).
  for (const k of Object.keys(source)) {
    // defineProperty only where assignment would not make an own data property; it is slow per key.
    if (k === '__proto__') Object.defineProperty(out, k, { value: copyValue(source[k], depth + 1), enumerable: true, writable: true, configurable: true });
    else out[k] = copyValue(source[k], depth + 1);
  }
  return out;
}

/**
 * The object as written plus what earlier operations of the same fix wrote (pointer → our own copy
 * of the value). Checking a patch this way costs the length of its paths: the workload object, which
 * may be megabytes with thousands of containers, is never copied.
 */
export class Overlay {
  /** Pointer → the tokens it spells and our copy of the value written there. */
  private readonly written = new Map<string, { tokens: readonly string[]; value: unknown }>();
  constructor(private readonly root: unknown) {}

  /**
   * The node at the first `end` tokens (all by default): from the deepest written ancestor when there
   * is one, else from the object. The writes (a fix makes a few) are compared token by token with the
   * pointer: nothing is spelled out or sliced per call.
   */
  at(tokens: readonly string[], end = tokens.length): { found: boolean; value: unknown; owned: boolean } {
    let deepest: { tokens: readonly string[]; value: unknown } | undefined;
    // Most checks happen before any write: no iterator then.
    if (this.written.size > 0) for (const entry of this.written.values()) {
      const length = entry.tokens.length;
      if (length > end || (deepest !== undefined && length <= deepest.tokens.length)) continue;
      let i = 0;
      while (i < length && entry.tokens[i] === tokens[i]) i++;
      if (i === length) deepest = entry;
    }
    let node = deepest === undefined ? this.root : deepest.value;
    for (let i = deepest === undefined ? 0 : deepest.tokens.length; i < end; i++) {
      node = childOf(node, tokens[i] as string);
      if (node === ABSENT) return { found: false, value: undefined, owned: deepest !== undefined };
    }
    return { found: true, value: node, owned: deepest !== undefined };
  }

  /**
   * The shortest missing prefix of the first `end` tokens, in one walk: its length and the node that
   * would hold it (the value at the prefix one shorter); length -1 and the node at `end` when all are
   * there. The same answers as asking `at` for each prefix in turn: a write at a prefix takes the
   * place of what the object has there.
   */
  firstMissing(tokens: readonly string[], end: number): { length: number; holder: unknown } {
    let node: unknown = (this.written.size > 0 ? this.writtenAt(tokens, 0) : undefined) ?? this.root;
    for (let i = 1; i <= end; i++) {
      const parent = node;
      node = childOf(parent, tokens[i - 1] as string);
      if (this.written.size > 0) {
        const write = this.writtenAt(tokens, i);
        if (write !== undefined) node = write.value;
      }
      if (node === ABSENT) return { length: i, holder: parent };
    }
    return { length: -1, holder: node };
  }

  /** The write at exactly the first `length` tokens, if any. */
  private writtenAt(tokens: readonly string[], length: number): { value: unknown } | undefined {
    for (const entry of this.written.values()) {
      if (entry.tokens.length !== length) continue;
      let i = 0;
      while (i < length && entry.tokens[i] === tokens[i]) i++;
      if (i === length) return entry;
    }
    return undefined;
  }

  /** Applies one RFC 6902 operation (`tokens`: its path's, when the caller has them); false when it does not apply. */
  apply(op: PatchOperation, tokens: readonly string[] = pointerTokens(op.path)): boolean {
    if (tokens.length === 0) return op.op === 'test' && sameValue(this.root, op.value);
    const last = tokens[tokens.length - 1] as string;
    const parent = this.at(tokens, tokens.length - 1);
    if (!parent.found || typeof parent.value !== 'object' || parent.value === null) return false;
    const target = childOf(parent.value, last);
    if (op.op === 'test') return target !== ABSENT && sameValue(target, op.value);
    if (op.op !== 'add' && target === ABSENT) return false;
    const isArray = Array.isArray(parent.value);
    const index = !isArray ? -1 : last === '-' ? (parent.value as unknown[]).length : indexOf(last);
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
    const at = isArray ? [...tokens.slice(0, -1), String(index)] : tokens;
    // Spelled from op.path when it escapes nothing (then it is what pointerOf would spell): a list's
    // last token (`-` or an index) becomes the index written.
    const plain = !op.path.includes('~');
    const key = !plain ? pointerOf(at) : isArray ? `${op.path.slice(0, op.path.lastIndexOf('/'))}/${index}` : op.path;
    if (op.op === 'remove') this.written.delete(key);
    else this.written.set(key, { tokens: at, value: copyValue(op.value) });
    return true;
  }
}
