/**
 * Pattern-valued params (`pattern: {$data: /params/NAME}` in a rule) are compiled with RE2 when an
 * engine is created, so a bad one from a policy file or a ConfigMap is refused at load with its
 * place instead of turning a denial into a pass at review time (ajv treats a pattern that throws as
 * a failed match).
 */
import { AppError, describeError } from '../../errors.js';
import { compileRe2 } from '../util/re2.js';
import type { JsonObject, Policy } from '../types.js';

const MAX_DEPTH = 64;

/** Names of params a schema uses as `$data` patterns. */
export function patternParamNames(schema: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > MAX_DEPTH || typeof schema !== 'object' || schema === null) return out;
  const record = schema as Record<string, unknown>;
  for (const key of ['pattern', 'patternProperties'] as const) {
    const value = record[key];
    if (typeof value === 'object' && value !== null && typeof (value as { $data?: unknown }).$data === 'string') {
      const pointer = (value as { $data: string }).$data;
      if (pointer.startsWith('/params/')) out.add(pointer.slice('/params/'.length).split('/')[0] as string);
    }
  }
  for (const child of Object.values(record)) patternParamNames(child, out, depth + 1);
  return out;
}

/**
 * Throws ERR_CONFIG (when the config set it) or ERR_POLICY (the policy file's default) naming the
 * param of `policy` whose value is not a string or not an RE2 pattern.
 */
export function checkPatternParams(policy: Policy, params: JsonObject, fromConfig: ReadonlySet<string>): void {
  const names = new Set<string>();
  for (const rule of policy.rules) {
    patternParamNames(rule.when?.schema, names);
    patternParamNames(rule.validate.schema, names);
  }
  for (const name of names) {
    const value = params[name];
    // The place is spelled out only for an error: finding a param's line parses the policy file
    // again, which every engine start paid for every pattern param (~20 ms for the built-ins).
    const where = (): string =>
      fromConfig.has(name) ? `config: policies.${policy.id}.params.${name}` : `${policy.file}:${policy.lineOf?.(['params', name]) ?? 1}: params.${name}`;
    const code = fromConfig.has(name) ? 'ERR_CONFIG' : 'ERR_POLICY';
    if (typeof value !== 'string') throw new AppError(code, `${where()}: a pattern must be a string`);
    try {
      compileRe2(value);
    } catch (err: unknown) {
      throw new AppError(code, `${where()}: ${JSON.stringify(value.slice(0, 80))} is not an RE2 regular expression (${describeError(err)})`, { cause: err });
    }
  }
}
