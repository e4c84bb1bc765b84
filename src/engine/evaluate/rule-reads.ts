/**
 * Which facts a rule reads, worked out once from its JSON Schema: the property paths it descends
 * into and the `$data` pointers it compares with. A failing rule is "could not be verified" only
 * when one of these overlaps an unknown fact, so an unknown ENTRYPOINT does not blur a literal
 * HF_TOKEN or a missing /dev/shm (facts that never depend on the command line).
 */

const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;
const SUBSCHEMAS = ['not', 'if', 'then', 'else', 'items', 'contains', 'additionalProperties', 'propertyNames'] as const;
/** Schemas of policy rules are small; this bounds a hostile one (the policy loader refuses deeper ones). */
const MAX_DEPTH = 64;

function pointerToPath(pointer: string): string | null {
  if (!pointer.startsWith('/')) return null;
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

function walk(schema: unknown, prefix: string, out: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH || typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema)) {
    for (const item of schema) walk(item, prefix, out, depth + 1);
    return;
  }
  const node = schema as Record<string, unknown>;
  if (typeof node.$data === 'string') {
    const path = pointerToPath(node.$data);
    if (path && !path.startsWith('params')) out.add(path);
  }
  const properties = node.properties;
  if (typeof properties === 'object' && properties !== null) {
    for (const [key, child] of Object.entries(properties)) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.add(path);
      walk(child, path, out, depth + 1);
    }
  }
  if (Array.isArray(node.required)) {
    for (const key of node.required) if (typeof key === 'string') out.add(prefix ? `${prefix}.${key}` : key);
  }
  for (const key of COMBINATORS) walk(node[key], prefix, out, depth + 1);
  for (const key of SUBSCHEMAS) walk(node[key], prefix, out, depth + 1);
  // Keywords holding constants (const, enum, default, examples) are data, not reads; $data inside
  // them was handled above.
  for (const key of ['const', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'pattern', 'minItems', 'maxItems', 'minLength', 'maxLength']) {
    walk(node[key], prefix, out, depth + 1);
  }
}

/** The dotted fact paths a schema reads (e.g. `vllm.parallel.total`, `shm.mounted`); params excluded. */
export function factPathsOf(...schemas: unknown[]): readonly string[] {
  const out = new Set<string>();
  for (const schema of schemas) walk(schema, '', out, 0);
  // Keep only the deepest paths: `vllm` is implied by `vllm.port`.
  const all = [...out];
  return all.filter((p) => !all.some((q) => q !== p && q.startsWith(`${p}.`)));
}

/** Two dotted paths overlap when one is the other or lies under it. */
export function pathsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  // No string built per call: this runs for every failing rule against every unknown fact.
  if (a.length > b.length) return a.charCodeAt(b.length) === 46 /* . */ && a.startsWith(b);
  return b.length > a.length && b.charCodeAt(a.length) === 46 && b.startsWith(a);
}
