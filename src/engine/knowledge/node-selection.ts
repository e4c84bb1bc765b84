/**
 * What a pod spec says about the nodes it may run on: nodeSelector (AND) and required node-affinity
 * terms (OR of ANDs), bounded (64 terms × 64 expressions × 256 values), and GFD MIG product names.
 */

import { pushKey, type KeyScratch } from '../util/values-memo.js';

/** One node-selector requirement as Kubernetes states it. */
export interface Requirement {
  key: string;
  operator: string;
  values: readonly string[];
}


function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Requirements of nodeSelector (AND) and of each required nodeSelectorTerm (OR of ANDs). */
export function nodeRequirements(pod: unknown): { selector: Requirement[]; terms: Requirement[][] } {
  const selector: Requirement[] = [];
  const spec = isObject(pod) ? pod : {};
  const ns = spec.nodeSelector;
  if (isObject(ns)) for (const [key, value] of Object.entries(ns)) if (typeof value === 'string') selector.push({ key, operator: 'In', values: [value] });
  const terms: Requirement[][] = [];
  const affinity = isObject(spec.affinity) && isObject(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : {};
  const required = affinity.requiredDuringSchedulingIgnoredDuringExecution;
  const list = isObject(required) && Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms : [];
  for (const term of list.slice(0, 64)) {
    const exprs = isObject(term) && Array.isArray(term.matchExpressions) ? term.matchExpressions : [];
    terms.push(
      exprs.filter(isObject).slice(0, 64).map((e) => ({
        key: typeof e.key === 'string' ? e.key : '',
        operator: typeof e.operator === 'string' ? e.operator : '',
        values: Array.isArray(e.values) ? e.values.filter((v): v is string => typeof v === 'string').slice(0, 256) : [],
      })),
    );
  }
  return { selector, terms };
}

/** `<product>-MIG-<g>g.<m>gb` (GFD MIG single strategy) → the product and the slice memory. */
export function migProduct(value: string): { product: string; memGiB: number } | null {
  const at = value.indexOf('-MIG-');
  if (at <= 0) return null;
  const profile = value.slice(at + 5).toLowerCase();
  const dot = profile.indexOf('.');
  const mem = dot > 0 && profile.endsWith('gb') ? Number(profile.slice(dot + 1, -2)) : NaN;
  return Number.isFinite(mem) && mem > 0 ? { product: value.slice(0, at), memGiB: mem } : null;
}


/** Where a count goes once its items are written: the slot is taken first, the count set after. */
function reserve(key: KeyScratch): number {
  pushKey(key, 0);
  return key.count - 1;
}

/**
 * Fills `key` with the node selection nodeRequirements reads, in its order and bounds, without
 * building the requirements: the MIG resource (or null), the selector's length and its requirements,
 * then per term its length and requirements, each requirement as key, operator, the values' count
 * and the values (counts are numbers, every other value a string or null: the list reads one way
 * only). Answers whether a requirement names one of `gpuKeys`. For the placement memo
 * (gpu-catalogue.ts): a key per review without a requirement object, a list or a slice.
 */
export function writeSelectionKey(pod: unknown, migResource: string | undefined, key: KeyScratch, gpuKeys: ReadonlySet<string>): boolean {
  key.count = 0;
  let named = false;
  pushKey(key, migResource ?? null);
  const spec = isObject(pod) ? pod : {};
  const ns = spec.nodeSelector;
  const selectorAt = reserve(key);
  let selector = 0;
  if (isObject(ns)) {
    for (const name of Object.keys(ns)) {
      const value = ns[name];
      if (typeof value !== 'string') continue;
      selector++;
      named ||= gpuKeys.has(name);
      pushKey(key, name);
      pushKey(key, 'In');
      pushKey(key, 1);
      pushKey(key, value);
    }
  }
  key.values[selectorAt] = selector;
  const affinity = isObject(spec.affinity) && isObject(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : {};
  const required = affinity.requiredDuringSchedulingIgnoredDuringExecution;
  const list = isObject(required) && Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms : [];
  const terms = Math.min(list.length, 64);
  for (let t = 0; t < terms; t++) {
    const term: unknown = list[t];
    const exprs = isObject(term) && Array.isArray(term.matchExpressions) ? term.matchExpressions : [];
    const termAt = reserve(key);
    let count = 0;
    for (let i = 0; i < exprs.length && count < 64; i++) {
      const e: unknown = exprs[i];
      if (!isObject(e)) continue;
      count++;
      const name = typeof e.key === 'string' ? e.key : '';
      named ||= gpuKeys.has(name);
      pushKey(key, name);
      pushKey(key, typeof e.operator === 'string' ? e.operator : '');
      const valuesAt = reserve(key);
      let values = 0;
      if (Array.isArray(e.values)) {
        for (let v = 0; v < e.values.length && values < 256; v++) {
          const value: unknown = e.values[v];
          if (typeof value !== 'string') continue;
          values++;
          pushKey(key, value);
        }
      }
      key.values[valuesAt] = values;
    }
    key.values[termAt] = count;
  }
  return named;
}
