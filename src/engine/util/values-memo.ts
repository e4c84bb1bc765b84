/**
 * A bounded memo keyed on a short list of plain values (strings, numbers, booleans, null, and
 * lists of those) instead of a string: for lookups whose key would be a text of many parts, where
 * building the text, flattening it and hashing it in a Map cost as much as the answer (the hardware
 * facts, knowledge/hardware-facts-memo.ts; the argv readings, vllm/argv-memo.ts). A 32-bit hash of
 * the values picks a slot; the values stored there are compared one by one, so a hash collision is
 * only a miss. Built inside
 * createEngine, never at module level; answers must be treated as read-only.
 */
import { freezeDeep, MEMO_CAPACITY } from './memo.js';

/** A plain value of a key: a list holds plain scalars. */
export type KeyValue = string | number | boolean | null | readonly (string | number | boolean | null)[];

export interface ValuesMemo<V> {
  /**
   * The answer stored for exactly these values (same count, same order), else `compute()`, stored
   * (deep-frozen: a stored answer is shared by every later caller). `hashed` (default: all): how many
   * of the first values pick the slot; the rest are compared only (a key whose first values tell
   * keys apart, as an argv's texts do, need not hash the fields that rarely differ).
   */
  get(values: readonly KeyValue[], compute: () => V, count?: number, hashed?: number): V;
}

/**
 * A key list a caller fills again on every look-up (one per memo, in the engine object), so that no
 * list is made and grown per review: `start()`, `push(…)` the values, then hand `values` and `count`
 * to `get`. The memo copies what it stores, so the list may be refilled at once. Not reentrant: the
 * compute of a look-up must not fill the same scratch list (none of the engine's does).
 */
export interface KeyScratch {
  readonly values: KeyValue[];
  count: number;
}

/** An empty scratch key list (see KeyScratch). */
export function createKeyScratch(): KeyScratch {
  return { values: [], count: 0 };
}

/** Appends one value to a scratch key list (the list only grows; `count` says how much of it is the key). */
export function pushKey(scratch: KeyScratch, value: KeyValue): void {
  scratch.values[scratch.count++] = value;
}

/** Characters a long string's hash reads at each end: the values are compared in full anyway. */
const HASHED_END = 4;

/**
 * Mixes a string's length and characters into the hash: all of a short one, the first and last
 * HASHED_END of a longer one (hashing every character cost more than the answer it found). Strings
 * that differ only in the middle share a hash: a miss, never a wrong answer.
 */
function mixText(hash: number, text: string): number {
  let h = hash;
  const length = text.length;
  if (length <= 2 * HASHED_END) {
    for (let i = 0; i < length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < HASHED_END; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    for (let i = length - HASHED_END; i < length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return Math.imul(h ^ length, 0x01000193);
}

/** A scalar value mixed in with a tag of its type, so 1 and "1" hash apart. */
function mixScalar(hash: number, value: string | number | boolean | null): number {
  if (typeof value === 'string') return mixText(Math.imul(hash ^ 1, 0x01000193), value);
  // A number's own bits would need a typed array; its integer part is enough to spread (equal values are compared).
  if (typeof value === 'number') return Math.imul(Math.imul(hash ^ 2, 0x01000193) ^ (value | 0), 0x01000193);
  if (typeof value === 'boolean') return Math.imul(hash ^ (value ? 3 : 4), 0x01000193);
  return Math.imul(hash ^ 5, 0x01000193);
}

function mixValue(hash: number, value: KeyValue): number {
  if (!Array.isArray(value)) return mixScalar(hash, value as string | number | boolean | null);
  let h = Math.imul(hash ^ 6, 0x01000193);
  for (let i = 0; i < value.length; i++) h = mixScalar(h, value[i] as string | number | boolean | null);
  return Math.imul(h ^ value.length, 0x01000193);
}

function same(a: KeyValue, b: KeyValue): boolean {
  if (Object.is(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Whether the stored values `a` are the first `count` of `b`. */
function sameValues(a: readonly KeyValue[], b: readonly KeyValue[], count: number): boolean {
  if (a.length !== count) return false;
  for (let i = 0; i < count; i++) if (!same(a[i] as KeyValue, b[i] as KeyValue)) return false;
  return true;
}

export interface ValuesMemoOptions {
  /** Lists with more values than this (list items counted) are computed and not stored. Default 256. */
  maxValues?: number;
  /** Lists whose strings hold more characters than this in all are computed and not stored. Default 4 096. */
  maxChars?: number;
  /** Store an answer only when its values come a second time (util/memo.ts MemoOptions). */
  storeOnSecondSight?: boolean;
}

/**
 * FNV-1a style over the values, with a type tag per value (so 1 and "1" hash apart); -1 when the
 * values (list items counted) are more than `maxValues` or their strings hold more than `maxChars`
 * characters. One pass for the bounds and the hash: a second walk of the ~100 values of an argv key
 * cost about as much as the hash (bench/PROFILE.md step 36).
 */
function boundedHash(values: readonly KeyValue[], length: number, maxValues: number, maxChars: number, hashed: number): number {
  let hash = 0x811c9dc5;
  let count = length;
  let chars = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i] as KeyValue;
    if (typeof value === 'string') chars += value.length;
    else if (Array.isArray(value)) {
      count += value.length;
      for (const item of value) if (typeof item === 'string') chars += item.length;
    }
    if (i < hashed) hash = mixValue(hash, value);
  }
  return count > maxValues || chars > maxChars ? -1 : hash >>> 0;
}

/**
 * A memo holding at most `capacity` answers (default MEMO_CAPACITY); when full it is cleared before
 * the next one is stored (as util/memo.ts). The values are copied when stored: a caller may reuse its
 * list (KeyScratch). `count` (default: the list's length) says how many of the list's values are the
 * key. Lists over the bounds above are computed and not stored.
 */
export function createValuesMemo<V>(capacity = MEMO_CAPACITY, options: ValuesMemoOptions = {}): ValuesMemo<V> {
  const { maxValues = 256, maxChars = 4096 } = options;
  const slots = new Map<number, { values: readonly KeyValue[]; answer: V }>();
  const seen = options.storeOnSecondSight ? new Set<number>() : null;
  return {
    get(values, compute, count = values.length, hashed = count) {
      const hash = boundedHash(values, count, maxValues, maxChars, hashed);
      if (hash < 0) return compute();
      const slot = slots.get(hash);
      if (slot !== undefined && sameValues(slot.values, values, count)) return slot.answer;
      const answer = compute();
      if (seen && !seen.has(hash)) {
        if (seen.size >= capacity) seen.clear();
        seen.add(hash);
        return answer;
      }
      if (slots.size >= capacity) slots.clear();
      // Frozen when stored, not when computed: an answer seen once is nobody else's, and freezing
      // every first answer cost more than a miss's reading when keys never repeat.
      const stored: KeyValue[] = [];
      for (let i = 0; i < count; i++) {
        const v = values[i] as KeyValue;
        stored.push(Array.isArray(v) ? [...(v as unknown[])] as KeyValue : v);
      }
      slots.set(hash, { values: stored, answer: freezeDeep(answer) });
      return answer;
    },
  };
}
