/**
 * Env facts that depend on objects around the workload: values from ConfigMaps (envFrom,
 * configMapKeyRef), references to keys a ConfigMap or Secret of the set lacks, and the variables
 * Kubernetes injects for a Service named `vllm` (enableServiceLinks). Secret values are never read.
 */
import type { EnvLookup } from '../command/shell.js';
import type { EnvSources } from '../related/configmaps.js';
import { relatedOfKind, type RelatedSet } from '../related/related-set.js';
import { literalEnvValue, type EnvFact } from './env.js';
import type { EnvEntry, EnvProblem } from '../vllm/validate-env.js';
import { arrayAt, isObject, objectAt, stringAt } from '../util/json.js';
import type { JsonObject, Token, UnknownFact } from '../types.js';
import { ANY_NAME } from '../command/sourced-files.js';
import { addUnknown } from './vllm.js';

/** Field names of the first env entries (`env[0]` …), spelled once instead of per entry of every review. */
const ENV_AT: readonly string[] = Array.from({ length: 64 }, (_, i) => `env[${i}]`);

/**
 * The container's env as the vLLM env check reads it: each `env` entry with its value when it is
 * literal or comes from a ConfigMap of the set, then the names envFrom ConfigMaps add (Secret names
 * too, without values).
 */
export function resolvedEnvEntries(container: JsonObject, lookup: EnvLookup, sources: EnvSources): EnvEntry[] {
  // A loop rather than flatMap: no array per entry (bench/PROFILE.md step 30).
  const out: EnvEntry[] = [];
  const env = arrayAt(container, 'env');
  for (let i = 0; i < env.length; i++) {
    const entry = env[i];
    const name = stringAt(entry, 'name');
    if (!name || !isObject(entry)) continue;
    const at = i < ENV_AT.length ? (ENV_AT[i] as string) : `env[${i}]`;
    if (!objectAt(entry, 'valueFrom')) out.push({ name, value: literalEnvValue(entry.value), at });
    else {
      const token = lookup(name);
      if (token && !token.unknown) out.push({ name, value: token.text, at });
      else out.push({ name, value: null, unknown: token?.unknown ?? 'the value comes from valueFrom', at });
    }
  }
  if (sources.envFromVariables.length === 0) return out;
  const own = new Set(out.map((e) => e.name));
  for (const v of sources.envFromVariables) {
    if (own.has(v.name)) continue;
    out.push(v.value === null ? { name: v.name, value: null, unknown: `from ${v.from}, never read`, at: v.at } : { name: v.name, value: v.value, at: v.at });
  }
  return out;
}

/** Variables of vLLM and huggingface_hub that policies read from facts.env (VLLM_ALLOW_LONG_MAX_MODEL_LEN, HF_HOME, …). */
const SERVER_ENV = /^(?:VLLM_|HF_|HUGGING_FACE_)/;

/**
 * The server's start script sets what vLLM reads: `export VLLM_ALLOW_LONG_MAX_MODEL_LEN=1; exec vllm serve …`
 * gives vLLM the script's value, not the container's `env` (context-within-model denied such a script for an
 * unset variable). Each vLLM or Hugging Face name the script (or a file it sources) sets becomes unknown at
 * `env.NAME`, and a sourced file that could not be read (`scriptVars` holds ANY_NAME) makes all of `env`
 * unknown. Values are not taken over: facts.env also feeds the redactor and the literal-secret checks, which
 * must keep reading the container's own entries. Never throws; linear in the script's variables.
 */
function addScriptEnvUnknowns(unknowns: UnknownFact[], scriptVars: ReadonlyMap<string, Token> | undefined): void {
  if (!scriptVars) return;
  for (const [name, token] of scriptVars) {
    if (name === ANY_NAME) addUnknown(unknowns, 'env', `the start script may set any variable vLLM reads (${token.unknown ?? 'a file it sources is not read'})`, 'shell script');
    else if (SERVER_ENV.test(name)) addUnknown(unknowns, `env.${name}`, `the start script sets ${name}, and vLLM reads the script's value, not the container's env`, 'shell script');
  }
}

/**
 * Env facts (facts.env) with ConfigMap values filled in and envFrom names added (source configMapRef or
 * secretRef); `script.unknowns` gets the names the server's start script sets (addScriptEnvUnknowns).
 */
export function resolveEnvFacts(env: Record<string, EnvFact>, lookup: EnvLookup, sources: EnvSources, script: { unknowns: UnknownFact[]; scriptVars?: ReadonlyMap<string, Token> | undefined }): void {
  addScriptEnvUnknowns(script.unknowns, script.scriptVars);
  // Keys, not entries: no [name, fact] pair per variable on every review.
  for (const name of Object.keys(env)) {
    const fact = env[name] as EnvFact;
    if (fact.source !== 'configMapKeyRef') continue;
    const token = lookup(name);
    if (token && !token.unknown && token.from) {
      fact.value = token.text;
      fact.empty = token.text.trim() === '';
      fact.from = token.from;
    }
  }
  for (const v of sources.envFromVariables) {
    if (Object.hasOwn(env, v.name) || v.name === '__proto__') continue;
    const secret = v.value === null;
    env[v.name] = secret
      ? { source: 'secretRef', empty: false, index: -1, from: v.from }
      : { source: 'configMapRef', value: v.value ?? '', empty: (v.value ?? '').trim() === '', index: -1, from: v.from };
  }
}

/** References that stop the container, as vllm-env problems. */
export function refProblems(sources: EnvSources): EnvProblem[] {
  return sources.problems.map((p) => ({
    kind: 'missing-ref' as const,
    name: `${p.kind} ${p.name}`,
    summary: `${p.summary} and the reference is not optional`,
    fix: `add key ${p.key} to ${p.kind} ${p.name}, or mark the reference optional: true`,
    effect: 'the container never starts (CreateContainerConfigError)',
    message: `${p.summary}: the container never starts (CreateContainerConfigError)`,
    source: 'Kubernetes kubelet makeEnvironmentVariables (couldn\'t find key … in ConfigMap/Secret)',
    verified: true,
    at: p.at,
  }));
}

export interface ServiceLinkFact {
  /** `Service vllm`; `a Service named vllm` when the Services were not looked up. */
  service: string;
  /** True when a Service named vllm is in the related set; false when the Services were not looked up. */
  verified: boolean;
  /** Why it is not verified (the policy records it as an audit note, not a warning). */
  reason?: string;
  summary: string;
  fix: string;
  effect: string;
  source: string;
}

const SERVICE_LINK_SOURCE =
  'Kubernetes docs "Service: Discovering services, Environment variables" ({SVCNAME}_PORT=tcp://…); vllm-project/vllm vllm/envs.py get_vllm_port (v0.9.0–v0.20.1: ValueError "VLLM_PORT … appears to be a URI"; int(os.getenv("VLLM_PORT")) before) and docs/configuration/env_vars.md';

/**
 * The VLLM_PORT hazard of service links: with `enableServiceLinks` on (the default) Kubernetes
 * injects `VLLM_PORT=tcp://<ip>:<port>` into every pod of the namespace when a Service named `vllm`
 * exists, and vLLM reads it as its own port and raises at start. Null when the pod turns links off,
 * sets VLLM_PORT itself (env wins over injected variables), or the related set holds no such Service;
 * when the Services are not known (admission) the hazard is returned with verified false and the reason.
 */
export function readServiceLink(pod: JsonObject, lookup: EnvLookup, related: RelatedSet | null, namespace: string): ServiceLinkFact | null {
  if (pod.enableServiceLinks === false || lookup('VLLM_PORT') !== undefined) return null;
  // Placeholder values are cut at 80 characters (evaluate/render.ts): each part stays under.
  const fix = 'set enableServiceLinks: false in the pod spec';
  const effect = 'Kubernetes injects VLLM_PORT=tcp://…, and vLLM raises ValueError at start';
  const gap = related?.gaps.get('Service');
  if (related === null || gap) {
    const reason = related === null ? 'the Services of the namespace are not looked up at admission' : `the Services could not be read: ${gap ?? ''}`;
    return { service: 'a Service named vllm', verified: false, reason, summary: 'enableServiceLinks is on: a Service named vllm would set VLLM_PORT', fix, effect, source: SERVICE_LINK_SOURCE };
  }
  const service = relatedOfKind(related, 'Service', namespace).find((s) => stringAt(s.metadata, 'name') === 'vllm');
  if (!service) return null;
  return { service: 'Service vllm', verified: true, summary: `${related.scope} has a Service named vllm and enableServiceLinks is on`, fix, effect, source: SERVICE_LINK_SOURCE };
}
