/**
 * A bounded memo keyed on a short list of plain values (strings, numbers, booleans, null, and
 * lists of those) instead of a string: for lookups whose key would be a text of many parts, where
 * building the text, flattening it and hashing it in a Map cost as much as the answer (the hardware
 * facts, knowledge/hardware-facts-memo.ts). A 32-bit hash of the values picks a slot; the values
 * stored there are compared one by one, so a hash collision is only a miss. Built inside
 * createEngine, never at module level; answers must be treated as read-only.
 */
import { MEMO_CAPACITY } from './memo.js';

/** A plain value of a key: a list holds plain scalars. */
export type KeyValue = string | number | boolean | null | readonly (string | number | boolean | null)[];

export interface ValuesMemo<V> {
  /** The answer stored for exactly these values (same count, same order), else `compute()`, stored. */
  get(values: readonly KeyValue[], compute: () => V): V;
}

function mixText(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ text.length, 0x01000193);
}

function mixValue(hash: number, value: KeyValue): number {
  if (typeof value === 'string') return mixText(Math.imul(hash ^ 1, 0x01000193), value);
  if (typeof value === 'number') return mixText(Math.imul(hash ^ 2, 0x01000193), Object.is(value, -0) ? '-0' : String(value));
  if (typeof value === 'boolean') return Math.imul(hash ^ (value ? 3 : 4), 0x01000193);
  if (value === null) return Math.imul(hash ^ 5, 0x01000193);
  let h = Math.imul(hash ^ 6, 0x01000193);
  for (const item of value) h = mixValue(h, item);
  return Math.imul(h ^ value.length, 0x01000193);
}

/** FNV-1a style over the values, with a type tag per value (so 1 and "1" differ). */
function hashValues(values: readonly KeyValue[]): number {
  let hash = 0x811c9dc5;
  for (const value of values) hash = mixValue(hash, value);
  return hash >>> 0;
}

function same(a: KeyValue, b: KeyValue): boolean {
  if (Object.is(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function sameValues(a: readonly KeyValue[], b: readonly KeyValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i] as KeyValue, b[i] as KeyValue)) return false;
  return true;
}

/**
 * A memo holding at most `capacity` answers (default MEMO_CAPACITY); when full it is cleared before
 * the next one is stored (as util/memo.ts). The values are copied when stored: a caller may reuse its
 * list. Lists longer than `maxValues` items in all are computed and not stored.
 */
export function createValuesMemo<V>(capacity = MEMO_CAPACITY, maxValues = 256): ValuesMemo<V> {
  const slots = new Map<number, { values: readonly KeyValue[]; answer: V }>();
  return {
    get(values, compute) {
      let size = values.length;
      for (const value of values) if (Array.isArray(value)) size += value.length;
      if (size > maxValues) return compute();
      const hash = hashValues(values);
      const slot = slots.get(hash);
      if (slot !== undefined && sameValues(slot.values, values)) return slot.answer;
      const answer = compute();
      if (slots.size >= capacity) slots.clear();
      slots.set(hash, { values: values.map((v) => (Array.isArray(v) ? [...(v as unknown[])] : v)) as KeyValue[], answer });
      return answer;
    },
  };
}
