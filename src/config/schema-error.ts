/** Turns an ajv error into "field: what is wrong", with the path as segments for line lookup. */
import type { ErrorObject } from 'ajv';
import { didYouMean } from './did-you-mean.js';

export interface SchemaErrorText {
  path: (string | number)[];
  text: string;
}

function decodePointer(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

/**
 * One ajv error as `field what-is-wrong` (`audit.pageSize must be <= 500`, `modes is not a known field;
 * did you mean mode?`) with the field's path as segments (numbers for array indexes) for a line lookup;
 * an unknown or required field is named in the path. Never throws.
 */
export function describeSchemaError(error: ErrorObject | undefined): SchemaErrorText {
  if (!error) return { path: [], text: 'does not match the schema' };
  const path = decodePointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  let text = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperty' || error.keyword === 'additionalProperties') {
    path.push(String(params.additionalProperty));
    // parentSchema is there when ajv runs with verbose: true (the config validator does).
    const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    text = `is not a known field${didYouMean(String(params.additionalProperty), known)}`;
  } else if (error.keyword === 'required') {
    path.push(String(params.missingProperty));
    text = 'is required';
  } else if (error.keyword === 'enum') {
    text = `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
  }
  const field = formatPath(path) || '(top level)';
  return { path, text: `${field} ${text}` };
}
