/**
 * UPDATE that leaves every pod template alone (scaling, relabeling, annotating the
 * workload) must never be denied, so a non-compliant workload can still be scaled down
 * during an incident. This decides whether an UPDATE changed what the pods will run.
 * @module
 */
import { extractWorkload } from '../engine/api.js';
import type { PodTemplate } from '../engine/api.js';

/**
 * `kubectl rollout restart` only stamps this annotation on the template: the pods it
 * recreates run what already runs, so a restart during an incident must not be blocked.
 */
export const RESTART_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values (own keys, any order). Loops, not closures: it runs on every UPDATE. */
function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (arrayA) {
    const left = a as unknown[];
    const right = b as unknown[];
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i += 1) if (!isEqual(left[i], right[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(right, key) || !isEqual(left[key], right[key])) return false;
  }
  return true;
}

/** Keys of a template's annotations that count: all but the restart stamp (an array or scalar counts as none). */
function countedAnnotationKeys(annotations: unknown): string[] {
  if (!isRecord(annotations)) return [];
  const keys = Object.keys(annotations);
  const stamp = keys.indexOf(RESTART_ANNOTATION);
  if (stamp >= 0) keys.splice(stamp, 1);
  return keys;
}

/** Equal annotations once the restart stamp is left out; no annotations and only the stamp are alike. */
function annotationsEqual(a: unknown, b: unknown): boolean {
  const keys = countedAnnotationKeys(a);
  if (keys.length !== countedAnnotationKeys(b).length) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(right, key) || !isEqual(left[key], right[key])) return false;
  }
  return true;
}

/**
 * Same pods from both templates: same path and spec, and for a controller's template the same
 * labels and annotations (restart stamp aside). A Pod's own metadata is the workload's metadata,
 * which may change freely; a controller's template labels and annotations reach the pods.
 */
function sameTemplate(next: PodTemplate, previous: PodTemplate): boolean {
  if (next.path !== previous.path) return false;
  if (next.path !== '') {
    if (!isEqual(next.metadata.labels, previous.metadata.labels)) return false;
    if (!annotationsEqual(next.metadata.annotations, previous.metadata.annotations)) return false;
  }
  return isEqual(next.spec, previous.spec);
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
  for (let i = 0; i < next.templates.length; i += 1) {
    const old = previous.templates[i];
    if (old === undefined || !sameTemplate(next.templates[i] as PodTemplate, old)) return false;
  }
  return true;
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
