/** Env facts: where each variable's value comes from. Literal values stay in the facts (never logged). */
import { arrayAt, isObject, objectAt, stringAt } from './json.js';
import type { JsonObject } from './types.js';

export interface EnvFact {
  source: 'literal' | 'secretKeyRef' | 'configMapKeyRef' | 'fieldRef' | 'resourceFieldRef' | 'unknown';
  value?: string;
  empty: boolean;
}

const VALUE_FROM = ['secretKeyRef', 'configMapKeyRef', 'fieldRef', 'resourceFieldRef'] as const;

export function readEnv(container: JsonObject): Record<string, EnvFact> {
  const env: Record<string, EnvFact> = {};
  for (const entry of arrayAt(container, 'env')) {
    const name = stringAt(entry, 'name');
    if (!name || !isObject(entry)) continue;
    const valueFrom = objectAt(entry, 'valueFrom');
    if (valueFrom) {
      env[name] = { source: VALUE_FROM.find((k) => isObject(valueFrom[k])) ?? 'unknown', empty: false };
    } else {
      const value = typeof entry.value === 'string' ? entry.value : '';
      env[name] = { source: 'literal', value, empty: value.trim() === '' };
    }
  }
  return env;
}

export function literalSecrets(env: Record<string, EnvFact>, names: readonly string[]): string[] {
  return names.filter((n) => env[n]?.source === 'literal' && env[n]?.empty === false);
}
