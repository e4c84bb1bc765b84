/**
 * The objects around a workload that vLLM readiness depends on (the Service in front of it, its
 * autoscaler, its disruption budget, the ConfigMaps its env reads, …), gathered once per input set
 * (`check`: every document given; `audit`: one namespace) and shared by every review of that set.
 *
 * Why a set rather than a lookup callback: reviews stay pure and synchronous, and what was searched
 * is explicit, so a fact about a related object is "unknown" (never a deny) exactly when its kind was
 * not in the set: the webhook without lookups, an API the cluster does not serve, a forbidden list.
 */
import type { JsonObject } from '../types.js';

/** The kinds a related set holds, keyed by `kind` (their API groups differ between releases). */
export const RELATED_KINDS = [
  'Service',
  'NetworkPolicy',
  'HorizontalPodAutoscaler',
  'ScaledObject',
  'PodDisruptionBudget',
  'ServiceMonitor',
  'PodMonitor',
  // Google Cloud Managed Service for Prometheus (GKE): monitoring.googleapis.com/v1 (related/monitors.ts).
  'PodMonitoring',
  'ClusterPodMonitoring',
  'Ingress',
  'HTTPRoute',
  'InferencePool',
  'PersistentVolumeClaim',
  'ConfigMap',
  'Secret',
  // The runtime an InferenceService runs on (workload/kserve-runtime.ts).
  'ServingRuntime',
  'ClusterServingRuntime',
] as const;
export type RelatedKind = (typeof RELATED_KINDS)[number];

/** At most this many objects of one kind are kept per set; the rest make that kind unknown. */
export const MAX_RELATED_PER_KIND = 20_000;

export interface RelatedSet {
  /** What was searched, for messages: "the input set" (check) or "namespace team-a" (audit). */
  readonly scope: string;
  /**
   * Objects by kind. Secrets keep only `metadata` and the *names* of their keys (`data` values are
   * dropped when the set is built, so no later step can echo them).
   */
  readonly byKind: ReadonlyMap<RelatedKind, readonly JsonObject[]>;
  /** Kinds whose objects are not all here, with why (API not served, forbidden, too many). */
  readonly gaps: ReadonlyMap<RelatedKind, string>;
}

const KIND_SET: ReadonlySet<string> = new Set(RELATED_KINDS);

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A Secret reduced to what a review may know: its identity and which keys it has. */
function secretKeysOnly(secret: JsonObject): JsonObject {
  const keys = new Set<string>();
  for (const field of ['data', 'stringData']) {
    const data = secret[field];
    if (isRecord(data)) for (const key of Object.keys(data)) keys.add(key);
  }
  const data: JsonObject = {};
  for (const key of keys) data[key] = '';
  return { apiVersion: secret.apiVersion ?? 'v1', kind: 'Secret', metadata: secret.metadata ?? {}, data };
}

export interface RelatedSetOptions {
  /** For messages; see RelatedSet.scope. */
  scope: string;
  /** Kinds the caller could not list, with the reason (audit gaps). */
  gaps?: Iterable<[RelatedKind, string]>;
}

/** kind, namespace and name of a named object; null for one without a name (generateName). */
function identityOf(kind: string, object: JsonObject): string | null {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  if (typeof metadata.name !== 'string' || metadata.name === '') return null;
  return `${kind}\u0000${typeof metadata.namespace === 'string' ? metadata.namespace : ''}\u0000${metadata.name}`;
}

/**
 * Builds a related set from any objects (non-related kinds are ignored, so a caller can pass a whole
 * input set). An object named again (same kind, namespace and name) replaces the earlier one in its
 * place, as `kubectl apply -f` of the same files leaves one object, the last applied: the cluster
 * never holds both, and a directory of copies stays linear to review. Bounded: at most
 * MAX_RELATED_PER_KIND objects per kind; beyond that the kind becomes a gap. Never throws.
 */
export function createRelatedSet(objects: Iterable<unknown>, options: RelatedSetOptions): RelatedSet {
  const byKind = new Map<RelatedKind, JsonObject[]>();
  const gaps = new Map<RelatedKind, string>(options.gaps ?? []);
  const placeOf = new Map<string, number>();
  for (const object of objects) {
    if (!isRecord(object) || typeof object.kind !== 'string' || !KIND_SET.has(object.kind)) continue;
    // A Knative Service is a workload, not the core Service in front of one.
    if (object.kind === 'Service' && typeof object.apiVersion === 'string' && object.apiVersion.includes('/')) continue;
    const kind = object.kind as RelatedKind;
    const list = byKind.get(kind) ?? [];
    const identity = identityOf(kind, object);
    const place = identity === null ? undefined : placeOf.get(identity);
    if (place !== undefined) {
      list[place] = kind === 'Secret' ? secretKeysOnly(object) : object;
      continue;
    }
    if (list.length >= MAX_RELATED_PER_KIND) {
      gaps.set(kind, `more than ${MAX_RELATED_PER_KIND} ${kind} objects in ${options.scope}; only the first were read`);
      continue;
    }
    if (identity !== null) placeOf.set(identity, list.length);
    list.push(kind === 'Secret' ? secretKeysOnly(object) : object);
    byKind.set(kind, list);
  }
  return Object.freeze({ scope: options.scope, byKind, gaps });
}

/**
 * The objects of one kind that can relate to a workload in `namespace`. An object without a
 * namespace matches any (a manifest applied with `kubectl apply -n`), as does a workload without one.
 */
export function relatedOfKind(set: RelatedSet, kind: RelatedKind, namespace: string): JsonObject[] {
  const list = set.byKind.get(kind) ?? [];
  return list.filter((object) => {
    const ns = isRecord(object.metadata) && typeof object.metadata.namespace === 'string' ? object.metadata.namespace : '';
    return ns === '' || namespace === '' || ns === namespace;
  });
}
