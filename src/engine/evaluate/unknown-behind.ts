/**
 * Which unknown fact, if any, stands behind a failing rule. A rule is "could not be verified" only
 * when its failure may come from a value nobody can read here; every other failure is a fault as
 * written, and denies or warns as its policy says (unknown never denies, and known never softens).
 *
 * The rule reads an unknown value, or a part of it: unknown. The rule reads only a whole map that
 * holds an unknown value (`env` around `env.DTYPE`, `intent` around `intent.precisionMatches`):
 * ajv's errors tell where the rule failed, and only a failure there is unknown. A member that is
 * missing is named by the error (`required` → its `missingProperty`), so a missing VLLM_API_KEY or
 * license-reviewed annotation is not blurred by a --dtype read from a ConfigMap.
 */
import type { ErrorObject } from 'ajv';
import { pathsOverlap } from './rule-reads.js';
import type { UnknownFact } from '../types.js';

/** What a failing rule read: the dotted fact paths of its `when` and of its schema (rule-reads.ts). */
export interface RuleReads {
  readonly whenReads: readonly string[];
  readonly schemaReads: readonly string[];
}

/** `/a/b~1c` → `a.b/c` (JSON Pointer, RFC 6901), the dotted form of fact paths. */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  const path = pointer.slice(1).split('/').join('.');
  return path.includes('~') ? path.replace(/~1/g, '/').replace(/~0/g, '~') : path;
}

/** The member an error is about when it names one: ajv 8's params of these keywords. */
function memberOf(error: ErrorObject): unknown {
  switch (error.keyword) {
    case 'required':
    case 'dependentRequired':
    case 'dependencies':
      return (error.params as { missingProperty?: unknown }).missingProperty;
    case 'additionalProperties':
      return (error.params as { additionalProperty?: unknown }).additionalProperty;
    case 'propertyNames':
      return (error.params as { propertyName?: unknown }).propertyName;
    default:
      return undefined;
  }
}

/** Where each error failed, as dotted fact paths; errors at the document's root name no place. */
function failurePaths(errors: readonly ErrorObject[] | null | undefined): string[] {
  const out: string[] = [];
  for (const error of errors ?? []) {
    const at = pointerToPath(error.instancePath);
    const member = memberOf(error);
    const path = typeof member === 'string' ? (at === '' ? member : `${at}.${member}`) : at;
    if (path !== '') out.push(path);
  }
  return out;
}

/** True when `read` is `unknown` or lies under it: the rule reads the unknown value itself. */
function readsInto(read: string, unknown: string): boolean {
  return read.length >= unknown.length && pathsOverlap(read, unknown);
}

/**
 * The first unknown fact behind a failing rule, undefined when the failure is known.
 * `errors` are the schema validator's errors of this failure. A `when` that held is judged as a
 * whole: if it read anything that overlaps an unknown fact, whether the rule applies is unknown.
 */
export function unknownBehind(reads: RuleReads, errors: readonly ErrorObject[] | null | undefined, unknowns: readonly UnknownFact[]): UnknownFact | undefined {
  if (unknowns.length === 0) return undefined;
  let failedAt: string[] | undefined;
  // First the unknown value the rule reads itself, or where an error points at or under it: an error
  // at an enclosing map (`anyOf` over `vllm`) overlaps every unknown below it, and the first of those
  // (a --gpu-memory-utilization from a ConfigMap) is then named for trust-remote-code's unknown model
  // kind. Which findings are unknown does not change, only which reason is named. Not when the whole
  // command line is unknown (`vllm`): that reason, named first, says the rule read vLLM's defaults.
  for (const unknown of unknowns.some((u) => u.path === 'vllm') ? [] : unknowns) {
    if (reads.schemaReads.some((r) => readsInto(r, unknown.path))) return unknown;
    failedAt ??= failurePaths(errors);
    if (failedAt.some((f) => readsInto(f, unknown.path))) return unknown;
  }
  for (const unknown of unknowns) {
    if (reads.whenReads.some((r) => pathsOverlap(r, unknown.path))) return unknown;
    if (reads.schemaReads.some((r) => readsInto(r, unknown.path))) return unknown;
    failedAt ??= failurePaths(errors);
    if (failedAt.some((f) => pathsOverlap(f, unknown.path))) return unknown;
    // No error names a place (a `not` or `oneOf` over the whole document): where the rule failed
    // is not known, so any read around the unknown value may be why.
    if (failedAt.length === 0 && reads.schemaReads.some((r) => pathsOverlap(r, unknown.path))) return unknown;
  }
  return undefined;
}

/** The first unknown fact among `paths` (a `when` that failed read it: whether the rule applies is unknown). */
export function unknownAmong(paths: readonly string[], unknowns: readonly UnknownFact[]): UnknownFact | undefined {
  for (const unknown of unknowns) if (paths.some((p) => pathsOverlap(p, unknown.path))) return unknown;
  return undefined;
}
