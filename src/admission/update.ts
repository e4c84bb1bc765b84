/**
 * UPDATE that leaves every pod template alone (scaling, relabeling, annotating the
 * workload) must never be denied, so a non-compliant workload can still be scaled down
 * during an incident. This decides whether an UPDATE changed what the pods will run.
 * @module
 */
import { extractWorkload } from '../engine/api.js';
import type { JsonObject, PodTemplate } from '../engine/api.js';

/**
 * `kubectl rollout restart` only stamps this annotation on the template: the pods it
 * recreates run what already runs, so a restart during an incident must not be blocked.
 */
export const RESTART_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => isEqual(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && isEqual(left[key], right[key]));
}

function withoutRestartStamp(metadata: JsonObject): unknown {
  const annotations = metadata.annotations;
  let kept: Record<string, unknown> | undefined;
  if (typeof annotations === 'object' && annotations !== null && !Array.isArray(annotations)) {
    kept = { ...(annotations as Record<string, unknown>) };
    delete kept[RESTART_ANNOTATION];
    if (Object.keys(kept).length === 0) kept = undefined;
  }
  return { labels: metadata.labels, annotations: kept };
}

function templateKey(template: PodTemplate): unknown {
  // A Pod's own metadata is the workload's metadata, which may change freely; a
  // controller's template labels and annotations reach the pods and are compared.
  const metadata = template.path === '' ? null : withoutRestartStamp(template.metadata);
  return { path: template.path, metadata, spec: template.spec };
}

/**
 * True when `object` and `oldObject` create the same pods: same kind and equal pod
 * templates (spec, and the template's labels and annotations for controllers).
 * A missing oldObject counts as a change, so the update is reviewed in full.
 */
export function isTemplateUnchanged(object: unknown, oldObject: unknown): boolean {
  if (oldObject === undefined || oldObject === null) return false;
  const next = extractWorkload(object);
  const previous = extractWorkload(oldObject);
  if (next.kind !== previous.kind || next.templates.length !== previous.templates.length) return false;
  return next.templates.every((template, i) => {
    const old = previous.templates[i];
    return old !== undefined && isEqual(templateKey(template), templateKey(old));
  });
}

/**
 * True when an UPDATE leaves `spec` as it was (an autoscaler relabeled or annotated). A missing
 * oldObject counts as a change.
 */
export function isSpecUnchanged(object: unknown, oldObject: unknown): boolean {
  if (oldObject === undefined || oldObject === null) return false;
  const spec = (value: unknown): unknown => (typeof value === 'object' && value !== null ? (value as { spec?: unknown }).spec : undefined);
  return isEqual(spec(object), spec(oldObject));
}
