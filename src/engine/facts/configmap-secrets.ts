/**
 * Credentials a ConfigMap of the input set holds in plain text for a container: a key named in the
 * config's `secretEnv` (HF_TOKEN, VLLM_API_KEY, …) that the container reads through
 * `envFrom.configMapRef` (with its prefix) or `env[].valueFrom.configMapKeyRef`, with a non-empty value
 * that is not a `$(VAR)`/`${VAR}`/`{{ … }}` reference. A ConfigMap is no Secret: anyone who can read
 * ConfigMaps in the namespace, every GitOps copy and `kubectl describe` show it. OPEA's vLLM manifests
 * (opea-project/GenAIInfra microservices-connector/config/manifests/vllm_gaudi.yaml) keep HF_TOKEN in
 * the ConfigMap the vLLM container loads with envFrom. The key is reported whether or not a later
 * envFrom source overrides the variable: the plain-text copy is in the ConfigMap either way. Nothing
 * without a related set (admission): ConfigMaps are not looked up there.
 */
import { configMapValue, findRelated } from '../related/configmaps.js';
import type { RelatedSet } from '../related/related-set.js';
import type { JsonObject } from '../types.js';
import { arrayAt, isObject, objectAt, stringAt } from '../util/json.js';
import { REFERENCE_ONLY, type SecretEnvNames } from './env.js';

/** One credential a ConfigMap holds: the variable, where the value sits, the container field that reads it. */
export interface ConfigMapSecret {
  name: string;
  /** `ConfigMap vllm-config key HF_TOKEN`. */
  from: string;
  /** `envFrom[0]`, `env[2].valueFrom.configMapKeyRef`. */
  at: string;
}

/** Entries read per list: real containers have tens. */
const MAX_ENTRIES = 256;

function plainValue(configMap: JsonObject, key: string): boolean {
  const value = configMapValue(configMap, key);
  return value !== undefined && value.trim() !== '' && !REFERENCE_ONLY.test(value);
}

/** The credentials of `secretEnv` that ConfigMaps of `related` hold for this container, in env order. Pure. */
export function configMapSecrets(container: JsonObject, related: RelatedSet | null, namespace: string, secretEnv: SecretEnvNames): ConfigMapSecret[] {
  if (related === null) return [];
  const out: ConfigMapSecret[] = [];
  arrayAt(container, 'envFrom').slice(0, MAX_ENTRIES).forEach((entry, index) => {
    const ref = objectAt(entry, 'configMapRef');
    const name = stringAt(ref, 'name');
    if (!ref || !name) return;
    const lookup = findRelated(related, 'ConfigMap', name, namespace);
    if (!lookup.found || !isObject(lookup.found.data)) return;
    const prefix = stringAt(entry, 'prefix') ?? '';
    for (const key of Object.keys(lookup.found.data)) {
      if (secretEnv.set.has(prefix + key) && plainValue(lookup.found, key)) out.push({ name: prefix + key, from: `ConfigMap ${name} key ${key}`, at: `envFrom[${index}]` });
    }
  });
  arrayAt(container, 'env').slice(0, MAX_ENTRIES).forEach((entry, index) => {
    const variable = stringAt(entry, 'name');
    const ref = objectAt(objectAt(entry, 'valueFrom'), 'configMapKeyRef');
    const name = stringAt(ref, 'name');
    const key = stringAt(ref, 'key');
    if (!variable || !secretEnv.set.has(variable) || !name || !key) return;
    const lookup = findRelated(related, 'ConfigMap', name, namespace);
    if (lookup.found && plainValue(lookup.found, key)) out.push({ name: variable, from: `ConfigMap ${name} key ${key}`, at: `env[${index}].valueFrom.configMapKeyRef` });
  });
  return out;
}
