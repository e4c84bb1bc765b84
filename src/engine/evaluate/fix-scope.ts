/**
 * What a fix's templates may read besides the facts (fix.ts): `derived` values no single fact holds,
 * and whether a fix may read `pointers` or `derived` at all, so the others are rendered on the facts
 * as they are (bench/PROFILE.md step E5).
 */
import type { Facts, RuleFix } from '../types.js';

/** Bounds a hostile policy's schema nesting. */
const MAX_DEPTH = 32;

/** startup-probe-budget's defaults (policies/startup-probe-budget.yaml params), used when a policy has no such param. */
const STARTUP_FLOOR_SECONDS = 600;
const COLD_START_FACTOR = 1.5;
const PROBE_PERIOD_SECONDS = 10;

/**
 * Values a fix may need that no single fact holds (`{{derived.…}}`): a startup probe window is
 * max(floor, coldStartFactor × the cold-start-seconds annotation), the floor being the policy's
 * `minSeconds` or `loadFloorSeconds` param; `startupFailureThreshold` covers it at a 10 s period.
 */
export function derivedValues(facts: Facts): Record<string, number> {
  const params = facts.params as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
  const floor = Math.max(num(params.minSeconds) ?? STARTUP_FLOOR_SECONDS, num(params.loadFloorSeconds) ?? STARTUP_FLOOR_SECONDS);
  const coldStart = num((facts.intent as Record<string, unknown> | undefined)?.coldStartSeconds);
  const factor = num(params.coldStartFactor) ?? COLD_START_FACTOR;
  const window = Math.max(floor, coldStart === null ? 0 : factor * coldStart);
  // Bounded: a 24 h window is already far beyond any documented cold start.
  const threshold = Math.min(Math.ceil(window / PROBE_PERIOD_SECONDS), 8640);
  return { startupWindowSeconds: threshold * PROBE_PERIOD_SECONDS, startupFailureThreshold: threshold, probePeriodSeconds: PROBE_PERIOD_SECONDS };
}

/** Keywords that, applied to the document itself, read only the members they name. */
const MEMBER_KEYWORDS: ReadonlySet<string> = new Set(['properties', 'required', 'type', 'title', 'description', '$comment']);
const ROOT_APPLICATORS = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else'];

/**
 * Whether a schema may look at every member of the document (`additionalProperties`, `minProperties`,
 * a `const` of the whole object, a `$ref`…): then `pointers` and `derived` are always set for it.
 */
function readsWholeDocument(schema: unknown, depth = 0): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  if (depth > MAX_DEPTH || Array.isArray(schema)) return true;
  for (const [key, value] of Object.entries(schema)) {
    if (MEMBER_KEYWORDS.has(key)) continue;
    if (!ROOT_APPLICATORS.includes(key)) return true;
    const list: unknown[] = Array.isArray(value) ? value : [value];
    if (list.some((item) => readsWholeDocument(item, depth + 1))) return true;
  }
  return false;
}

/**
 * Whether a fix may read the scope member `word` (`pointers`, `derived`): one of its template paths
 * (`reads`, dotted) is or lies under it, its `when`'s schema text names it, or its `when` may look
 * at every member of the document. A superset is enough: it only decides what to spell out.
 */
export function mayRead(word: string, reads: ReadonlySet<string>, when: RuleFix['when'] | undefined): boolean {
  if (when && (readsWholeDocument(when.schema) || (JSON.stringify(when.schema) ?? '').includes(word))) return true;
  for (const read of reads) if (read === word || read.startsWith(`${word}.`)) return true;
  return false;
}
