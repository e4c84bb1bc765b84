/**
 * Admission of an autoscaler (HorizontalPodAutoscaler, KEDA ScaledObject) with `serve --lookups`:
 * the workload its scaleTargetRef names is taken from the lookup cache and reviewed with a related
 * set holding the incoming autoscaler (in place of any cached copy of the same name); the findings
 * the autoscaler brings about become its verdict. Without lookups, or when the target is not cached,
 * there is nothing to say and the autoscaler is allowed silently (unknown never denies). No HTTP.
 * @module
 */
import { createRelatedSet, reviewObject, verdictOf, type Engine, type Finding, type JsonObject, type Mode, type RelatedSet, type Verdict } from '../engine/api.js';
import type { WorkloadIdentity } from './messages.js';

/** Request kinds reviewed through the workload they scale. */
export const AUTOSCALER_KINDS: ReadonlySet<string> = new Set(['HorizontalPodAutoscaler', 'ScaledObject']);

/**
 * The policies whose findings an autoscaler's answer carries: the autoscaler-* ones, and the
 * related-object policies an autoscaler changes (storage-access reads its maxReplicas,
 * disruption-budget its minReplicas). Of these, only findings the incoming autoscaler brings
 * about are kept (they are absent from the review without it).
 */
export const AUTOSCALER_POLICIES: ReadonlySet<string> = new Set([
  'autoscaler-ml-signal',
  'autoscaler-bounds',
  'autoscaler-cooldown',
  'storage-access',
  'disruption-budget',
]);

/** The workload lookup of `serve --lookups`: the cached object of that kind and name, or undefined. */
export type WorkloadLookup = (namespace: string, kind: string, name: string) => unknown;

export interface AutoscalerContext {
  readonly engine: Engine;
  readonly modeCap?: Mode;
  readonly now?: Date;
  /** The related set of the request's namespace from the lookup cache (undefined: not known). */
  readonly related: RelatedSet | undefined;
  readonly workload?: WorkloadLookup;
}

export interface AutoscalerReview {
  /** The workload the autoscaler scales, as reviewed. */
  readonly target: WorkloadIdentity;
  /** Findings about the target that the autoscaler brings about, by action. */
  readonly verdict: Verdict;
}

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The kind and name an autoscaler's spec.scaleTargetRef names; a ScaledObject's kind defaults to
 * Deployment (KEDA's ScaledObject spec). Undefined when the reference is missing or malformed.
 */
export function scaleTargetOf(autoscalerKind: string, object: unknown): { kind: string; name: string } | undefined {
  const spec = isRecord(object) ? object.spec : undefined;
  const ref = isRecord(spec) ? spec.scaleTargetRef : undefined;
  if (!isRecord(ref) || typeof ref.name !== 'string' || ref.name === '') return undefined;
  const kind = typeof ref.kind === 'string' && ref.kind !== '' ? ref.kind : autoscalerKind === 'ScaledObject' ? 'Deployment' : undefined;
  return kind === undefined ? undefined : { kind, name: ref.name };
}

function nameOf(object: JsonObject): string {
  return isRecord(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : '';
}

function findingKey(finding: Finding): string {
  return `${finding.policy}\u0000${finding.action}\u0000${finding.outcome}\u0000${finding.path}\u0000${finding.message}`;
}

/**
 * Reviews the workload an autoscaler request targets. `name`/`namespace` identify the autoscaler.
 * Returns undefined when there is nothing to review: no lookups, no scaleTargetRef, a target not
 * in the cache, or a target that is not a vLLM workload. Throws only what the engine throws.
 */
export function reviewAutoscalerTarget(
  autoscaler: { kind: string; namespace: string; name: string; object: unknown },
  ctx: AutoscalerContext,
): AutoscalerReview | undefined {
  const { kind, namespace, name, object } = autoscaler;
  if (ctx.related === undefined || ctx.workload === undefined || namespace === '' || !isRecord(object)) return undefined;
  const ref = scaleTargetOf(kind, object);
  if (ref === undefined) return undefined;
  let target: unknown;
  try {
    target = ctx.workload(namespace, ref.kind, ref.name);
  } catch {
    return undefined;
  }
  if (!isRecord(target)) return undefined;

  // The cached set without any copy of this autoscaler (the baseline), and with the incoming one.
  const others: JsonObject[] = [];
  for (const [relatedKind, objects] of ctx.related.byKind) {
    for (const related of objects) if (relatedKind !== kind || nameOf(related) !== name) others.push(related);
  }
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const incoming: JsonObject = { ...object, kind, metadata: { ...metadata, name, namespace } };
  const options = { scope: ctx.related.scope, gaps: ctx.related.gaps };
  const review = (related: RelatedSet) =>
    reviewObject(ctx.engine, target, {
      detection: false,
      related,
      ...(ctx.modeCap !== undefined ? { modeCap: ctx.modeCap } : {}),
      ...(ctx.now !== undefined ? { now: ctx.now } : {}),
    });
  const withIt = review(createRelatedSet([...others, incoming], options));
  if (!withIt.vllm) return undefined;
  const before = new Set(review(createRelatedSet(others, options)).findings.filter((f) => AUTOSCALER_POLICIES.has(f.policy)).map(findingKey));
  const findings = withIt.findings.filter((f) => AUTOSCALER_POLICIES.has(f.policy) && !before.has(findingKey(f)));
  return {
    target: { kind: withIt.kind || ref.kind, namespace: withIt.namespace || namespace, name: withIt.name || ref.name },
    verdict: verdictOf({ ...withIt, findings }),
  };
}
