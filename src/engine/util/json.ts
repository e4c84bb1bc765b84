/** Defensive readers for JSON that came from a user: nothing is trusted to have the right type. */
import type { JsonObject } from '../types.js';

/** A plain JSON object: not null, not an array. Never throws. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value[key]` when `value` and that child are both plain objects, else undefined. Never throws. */
export function objectAt(value: unknown, key: string): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return isObject(child) ? child : undefined;
}

/** `value[key]` when `value` is an object and that child an array, else `[]`; items unchecked. Never throws. */
export function arrayAt(value: unknown, key: string): unknown[] {
  if (!isObject(value)) return [];
  const child = value[key];
  return Array.isArray(child) ? child : [];
}

/** `value[key]` when `value` is an object and that child a string, else undefined. Never throws. */
export function stringAt(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return typeof child === 'string' ? child : undefined;
}

/**
 * `value[key]` when `value` is an object and that child a finite number (NaN, ±Infinity drop out),
 * else undefined; the unit is whatever the field's own. Never throws.
 */
export function numberAt(value: unknown, key: string): number | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return typeof child === 'number' && Number.isFinite(child) ? child : undefined;
}

/** `value[key]` when `value` is an object and that child a boolean, else undefined. Never throws. */
export function booleanAt(value: unknown, key: string): boolean | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return typeof child === 'boolean' ? child : undefined;
}

/** A label or annotation map, keeping only string values. */
export function stringMapAt(value: unknown, key: string): Record<string, string> {
  return mergeStringMapAt({}, value, key);
}

/**
 * stringMapAt's answer without the copy when the map at `value[key]` already is one: every member a
 * string and none named `__proto__` (which the copy drops). The map itself is then the answer, so a
 * caller must not change it (the engine never writes to a label or annotation map it read). The
 * workload's labels and annotations are read this way on every review (bench/PROFILE.md S5).
 */
export function stringMapView(value: unknown, key: string): Record<string, string> {
  const map = objectAt(value, key);
  if (!map) return {};
  for (const k in map) {
    if (typeof map[k] !== 'string' || k === '__proto__' || !Object.hasOwn(map, k)) return mergeStringMapAt({}, value, key);
  }
  return map as Record<string, string>;
}

/**
 * Copies `base` and lays the string values of the map at `value[key]` over it, as
 * `{ ...base, ...stringMapAt(value, key) }` does, without the intermediate map.
 */
export function mergeStringMapAt(base: Readonly<Record<string, string>>, value: unknown, key: string): Record<string, string> {
  // Object.assign rather than a spread: V8 copies these label maps (keys like app.kubernetes.io/name)
  // about ten times faster that way, and base never holds an own __proto__ key (stringMapAt drops it).
  const out: Record<string, string> = Object.assign({}, base);
  const map = objectAt(value, key);
  if (!map) return out;
  // Object.keys rather than Object.entries: no [key, value] pair per entry on every admission request.
  for (const k of Object.keys(map)) {
    const v = map[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Follows a dotted path (`a.b.c`) through objects; arrays accept numeric segments. */
export function valueAtPath(root: unknown, path: string): unknown {
  return valueAtSegments(root, path.split('.'));
}

/** valueAtPath with the path already split, for paths read again and again (message templates). */
export function valueAtSegments(root: unknown, segments: readonly string[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    // One lookup instead of an own-property test and a lookup (both megamorphic: a denied review
    // renders ~50 texts). What only an inherited member answers is a function (JSON holds none) or
    // `__proto__`'s object, which still takes the own-property test.
    const next = (current as Record<string, unknown>)[segment];
    if (next === undefined || typeof next === 'function') return undefined;
    if (segment === '__proto__' && !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = next;
  }
  return current;
}

/** A map entry by a key from user input: own properties only, so `constructor` is not Object. */
export function ownEntry<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}
