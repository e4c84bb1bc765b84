/** Env facts: where each variable's value comes from. Literal values stay in the facts (never logged). */
import { arrayAt, isObject, objectAt, stringAt } from '../util/json.js';
import type { JsonObject } from '../types.js';

export interface EnvFact {
  /** configMapRef and secretRef: a name an envFrom source of the related set adds (index -1). */
  source: 'literal' | 'secretKeyRef' | 'configMapKeyRef' | 'fieldRef' | 'resourceFieldRef' | 'configMapRef' | 'secretRef' | 'unknown';
  /** Literal values, and ConfigMap values read from the related set (never a Secret's). */
  value?: string;
  /** Where a value from the related set came from: `ConfigMap vllm-config key TP`. */
  from?: string;
  empty: boolean;
  /** Position in the container's env list (the last entry of a name wins, as in the kubelet). */
  index: number;
}

const VALUE_FROM = ['secretKeyRef', 'configMapKeyRef', 'fieldRef', 'resourceFieldRef'] as const;

/** The first source VALUE_FROM names that the entry's valueFrom holds, else unknown (a loop: no closure per entry). */
function valueFromSource(valueFrom: JsonObject): EnvFact['source'] {
  for (const kind of VALUE_FROM) if (isObject(valueFrom[kind])) return kind;
  return 'unknown';
}

/**
 * An `env[].value` as the container sees it: a string as written; a YAML number or boolean (`value: 80`,
 * which a renderer such as Terraform's kubernetes_manifest turns into the string "80") as its text, as
 * the env lookup reads it (command/container-env.ts); anything else ''.
 */
export function literalEnvValue(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  return typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : '';
}

/**
 * The container's `env` list by variable name: the source of each value (literal or the valueFrom kind),
 * the literal value, whether it is blank and its index; a later entry of the same name replaces an
 * earlier one, as in the kubelet. envFrom is not read here (env-resolved.ts adds it). Never throws.
 */
export function readEnv(container: JsonObject): Record<string, EnvFact> {
  const env: Record<string, EnvFact> = {};
  const entries = arrayAt(container, 'env');
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    const name = stringAt(entry, 'name');
    if (!name || !isObject(entry)) continue;
    const valueFrom = objectAt(entry, 'valueFrom');
    if (valueFrom) {
      env[name] = { source: valueFromSource(valueFrom), empty: false, index };
    } else {
      const value = literalEnvValue(entry.value);
      env[name] = { source: 'literal', value, empty: value.trim() === '', index };
    }
  }
  return env;
}

/**
 * A value that is wholly a reference, not a credential: a kubelet dependent variable `$(VAR)` (expanded
 * at container start from the container's env, which may come from a Secret; kubernetes.io/docs/tasks/
 * inject-data-application/define-interdependent-environment-variables/), or a placeholder left for a
 * renderer (`${VAR}`, `$VAR`, `{{ … }}`), or one left for a person, as guides write them (`<hf_token>`,
 * `<YOUR_HF_TOKEN>`: a credential does not start and end with angle brackets). None puts a secret in
 * the manifest.
 */
export const REFERENCE_ONLY = /^\s*(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{[^{}]*\}\}|<[^<>\s]{1,128}>)\s*$/;

function isLiteralSecret(fact: EnvFact | undefined): boolean {
  return fact?.source === 'literal' && fact.empty === false && !REFERENCE_ONLY.test(fact.value ?? '');
}

/** The configured secret env names: the list (for order) and a set (for lookups), built once per engine. */
export interface SecretEnvNames {
  readonly list: readonly string[];
  readonly set: ReadonlySet<string>;
}

/** The configured secret names set to a literal, in config order. */
export function literalSecrets(env: Record<string, EnvFact>, secretEnv: SecretEnvNames): string[] {
  const { list: names, set: secret } = secretEnv;
  // A container sets a few variables and the list is long: look through the few first, and build
  // the answer only when one of them is a literal secret (rare in the manifests that pass).
  let any = false;
  for (const name of Object.keys(env)) {
    if (secret.has(name) && isLiteralSecret(env[name])) any = true;
  }
  return any ? names.filter((n) => isLiteralSecret(env[n])) : [];
}

/** The literal secrets with their place in the env list, for one finding each (no-literal-secrets). */
export function literalSecretEntries(env: Record<string, EnvFact>, names: readonly string[]): { name: string; index: number }[] {
  return names.map((name) => ({ name, index: env[name]?.index ?? 0 }));
}
