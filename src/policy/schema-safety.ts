/**
 * What a policy schema may not contain, checked before ajv compiles it: a `$ref` that could recurse
 * (a review that never ends, answered by the failure mode: fail-open allowed every Deployment),
 * `$dynamicRef`/`$recursiveRef`, a `format` ajv does not know (ajv would ignore it silently), nesting
 * deeper than any real policy. Patterns are compiled by ajv through RE2 (regexp.ts), which refuses
 * what is not RE2.
 */

/** Nesting of a rule schema; the shipped policies use fewer than 15 levels. */
export const MAX_SCHEMA_DEPTH = 48;
const LOCAL_DEF = /^#\/(?:\$defs|definitions)\/[A-Za-z0-9_-]+$/;

function containsRef(node: unknown, depth = 0): boolean {
  if (depth > MAX_SCHEMA_DEPTH || typeof node !== 'object' || node === null) return false;
  if (!Array.isArray(node) && typeof (node as Record<string, unknown>).$ref === 'string') return true;
  return Object.values(node).some((child) => containsRef(child, depth + 1));
}

/**
 * The first problem found, as a sentence, or null. `knownFormat` tells whether ajv knows a format.
 * `$ref` is allowed only to `#/$defs/NAME` whose definition holds no `$ref` itself: no chain, so
 * no cycle.
 */
export function checkSchemaSafety(schema: unknown, knownFormat: (name: string) => boolean): string | null {
  const root = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>) : {};
  const defs = { ...((root.$defs as Record<string, unknown> | undefined) ?? {}), ...((root.definitions as Record<string, unknown> | undefined) ?? {}) };
  const visit = (node: unknown, depth: number): string | null => {
    if (typeof node !== 'object' || node === null) return null;
    if (depth > MAX_SCHEMA_DEPTH) return `the schema nests deeper than ${MAX_SCHEMA_DEPTH} levels`;
    if (!Array.isArray(node)) {
      const record = node as Record<string, unknown>;
      if ('$dynamicRef' in record || '$recursiveRef' in record) return '$dynamicRef and $recursiveRef are not allowed in policy schemas (they can recurse without end)';
      if (typeof record.$ref === 'string') {
        const ref = record.$ref;
        if (!LOCAL_DEF.test(ref)) return `$ref ${JSON.stringify(ref.slice(0, 80))} is not allowed: use #/$defs/NAME`;
        const name = ref.slice(ref.lastIndexOf('/') + 1);
        if (!(name in defs)) return `$ref ${JSON.stringify(ref)} points at no definition`;
        if (containsRef(defs[name])) return `$ref ${JSON.stringify(ref)} points at a definition that holds a $ref itself (a chain that could recurse)`;
      }
      if (typeof record.format === 'string' && !knownFormat(record.format)) return `unknown format ${JSON.stringify(record.format.slice(0, 40))}`;
    }
    for (const child of Object.values(node)) {
      const problem = visit(child, depth + 1);
      if (problem) return problem;
    }
    return null;
  };
  return visit(schema, 0);
}
