/**
 * What a pod spec says about the nodes it may run on: nodeSelector (AND) and required node-affinity
 * terms (OR of ANDs), bounded (64 terms × 64 expressions × 256 values), and GFD MIG product names.
 */

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

