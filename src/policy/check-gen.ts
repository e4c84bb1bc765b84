/**
 * What the generated checks (check-code.ts) share: the generator's state, the plain-object test,
 * and the screen form's reading of the document (checkParts' `rootObject`): the facts are a plain
 * object, and their members are read once per screen part as `r_<key>`, `o_<key>` (whether it is a
 * plain object): engine/evaluate/screen.ts declares them.
 * @module
 */

/** What one generated function needs besides its expression: helper functions for array items. */
export interface Gen {
  /** Name prefix of this check's helper functions. */
  name: string;
  helpers: string[];
  /** Deepest temporary variable used (`t1`…). */
  temps: number;
  /** Set when the document is known to be a plain object (checkParts' `rootObject`): the members it reads directly. */
  reads?: Set<string>;
}

/** The test ajv's code makes before `properties` and `required`: a plain object. */
export const isObject = (v: string): string => `(${v} !== null && typeof ${v} === "object" && !Array.isArray(${v}))`;

/** A member of the document read once per screen part (checkParts' `rootObject`): a name of its own. */
const HOISTED = /^[A-Za-z_$][\w$]*$/;
/** Members that change while a screen runs (`params`: per policy) or are bound per element (`item`). */
const NOT_HOISTED: ReadonlySet<string> = new Set(['params', 'item']);

/** Whether `v` is the document itself in root mode (a plain object by contract). */
export const atRoot = (v: string, gen: Gen): boolean => gen.reads !== undefined && v === 'data';

/** `!isObject(v) || rest`, knowing that the document (root mode) and its hoisted members' tests (`o_<key>`) are answered already. */
export function ifObject(v: string, rest: string, gen: Gen): string {
  if (atRoot(v, gen)) return rest;
  if (gen.reads !== undefined && v.startsWith('r_')) return `(!o_${v.slice(2)} || ${rest})`;
  return `(!${isObject(v)} || ${rest})`;
}

/** How the document's member `key` is read in root mode: its hoisted name, when it has one. */
export function member(key: string, gen: Gen): string | null {
  if (!HOISTED.test(key) || NOT_HOISTED.has(key)) return null;
  gen.reads?.add(key);
  return `r_${key}`;
}
