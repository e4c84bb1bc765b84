/**
 * Absolute `$data` references in the generated checks (check-code.ts): the keywords whose value is
 * `{ "$data": "/a/b" }` (a policy's params, another fact), answered as ajv's code answers them.
 * @module
 */
import { ifObject, type Gen } from './check-gen.js';

/**
 * ajv's reading of an absolute `$data` pointer: each non-empty token unescaped and read in turn from
 * the document's root, stopping at the first falsy value (`root && root.a && root.a.b`); null for
 * relative pointers.
 */
function dataReference(pointer: unknown): string | null {
  if (typeof pointer !== 'string' || !/^\/(?:[^~]|~0|~1)*$/.test(pointer)) return null;
  let read = 'root';
  let out = 'root';
  for (const segment of pointer.split('/')) {
    if (segment === '') continue;
    read += `[${JSON.stringify(segment.replace(/~1/g, '/').replace(/~0/g, '~'))}]`;
    out += ` && ${read}`;
  }
  return `(${out})`;
}

/** A keyword whose value is `{ "$data": pointer }`, for the keywords ajv's answer is simple for; else null. */
export function dataKeyword(name: string, value: Record<string, unknown>, v: string, gen: Gen): string | null {
  if (Object.keys(value).length !== 1) return null;
  const reference = dataReference(value.$data);
  if (reference === null) return null;
  switch (name) {
    case 'const':
      return `dataConst(${v}, ${reference})`;
    case 'enum':
      return `dataEnum(${v}, ${reference})`;
    case 'required':
      return ifObject(v, `dataRequired(${v}, ${reference})`, gen);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `(typeof ${v} !== "number" || data${name[0]?.toUpperCase() ?? ''}${name.slice(1)}(${v}, ${reference}))`;
    default:
      return null;
  }
}
