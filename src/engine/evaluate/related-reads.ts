/**
 * Whether a policy may read the facts about related objects (`related`, and `autoscaling`, which is
 * built from `related.autoscalers`): when no policy a review runs can, the engine does not build
 * them (engine.ts, reviews without a related set). Decided once per engine from each rule's
 * definition, conservatively: a rule "may read" them when its schemas, templates, `each` or fix name
 * either word anywhere (in a message, a `$data` pointer, a property), use a reference (`$ref` may
 * point at the root), or put at the root of the facts a keyword that reaches every fact without
 * naming it (`additionalProperties`, `minProperties`, `const`, …).
 */
import type { CompiledRule, Policy } from '../types.js';

/** Words whose presence anywhere in a rule's definition means it may read the related facts. */
const NAMES = ['related', 'autoscaling', '$ref', '$dynamicRef', '$recursiveRef'];
/** Root keywords that only read the properties they name (`required` names them too). */
const NAMING_KEYWORDS: ReadonlySet<string> = new Set(['properties', 'required', 'type', 'title', 'description', '$comment']);
/** Root keywords whose subschemas apply to the root again. */
const ROOT_SUBSCHEMAS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else']);
/** Bounds a hostile schema's nesting of root combinators (the loader refuses deeper ones). */
const MAX_DEPTH = 64;

/** True when a schema applied to the facts document only reads the root properties it names. */
function namesRootProperties(schema: unknown, depth = 0): boolean {
  if (typeof schema === 'boolean') return true;
  if (depth > MAX_DEPTH || typeof schema !== 'object' || schema === null) return false;
  if (Array.isArray(schema)) return schema.every((s) => namesRootProperties(s, depth + 1));
  for (const [key, value] of Object.entries(schema)) {
    if (ROOT_SUBSCHEMAS.has(key)) {
      if (!namesRootProperties(value, depth + 1)) return false;
    } else if (!NAMING_KEYWORDS.has(key)) return false;
  }
  return true;
}

function ruleMayRead(rule: CompiledRule): boolean {
  const schemas = [rule.when?.schema, rule.validate.schema, rule.fix?.when?.schema].filter((s) => s !== undefined);
  if (!schemas.every((s) => namesRootProperties(s))) return true;
  const text = JSON.stringify([rule.each, schemas, rule.message, rule.remediation, rule.path, rule.fix ? { ...rule.fix, when: null } : null]);
  return NAMES.some((name) => text.includes(name));
}

/** True when any rule of the policy may read `related` or `autoscaling` facts (see above). */
export function mayReadRelatedFacts(policy: Policy): boolean {
  return policy.rules.some(ruleMayRead);
}
