/**
 * A container's environment sources resolved against the related set, as the kubelet resolves them
 * (kubelet makeEnvironmentVariables): `envFrom` ConfigMaps and Secrets (with `prefix`; a later source
 * overrides an earlier one, `env` overrides all), and `env[].valueFrom.configMapKeyRef` /
 * `secretKeyRef` (a missing key of a source that is not `optional` stops the container with
 * CreateContainerConfigError; an optional one leaves the variable unset).
 *
 * ConfigMap values become known, each saying where it came from (`ConfigMap vllm-config key TP`).
 * Secret values are never read (the related set keeps only key names): a Secret only tells whether
 * a key exists. Without a related set (admission) every source stays unknown and says so.
 */
import type { JsonObject, Token } from '../types.js';
import { arrayAt, isObject, stringAt } from '../util/json.js';
import { relatedOfKind, type RelatedSet } from './related-set.js';

/** A reference the kubelet cannot resolve: the container never starts. */
export interface RefProblem {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key: string;
  /** The container field (`env[2]`). */
  at: string;
  /** For messages: `Secret hf-token has no key token`. */
  summary: string;
}

/** A variable an `envFrom` ConfigMap sets, for the env facts and the vLLM env check. */
export interface EnvFromVariable {
  name: string;
  /** The value (ConfigMap), or null for a Secret (never read). */
  value: string | null;
  /** `ConfigMap vllm-config key TP`. */
  from: string;
  /** `envFrom[0]`. */
  at: string;
}

/** What buildEnvLookup asks: the sources outside `env[].value`. */
export interface EnvSources {
  /** The token `envFrom` gives a name (unknown when a source cannot be read), or undefined when none sets it. */
  envFrom(name: string): Token | undefined;
  /** The token of `env[index].valueFrom`; null when an optional reference leaves the variable unset; undefined when not a ConfigMap or Secret reference. */
  valueFrom(name: string, valueFrom: JsonObject, index: number): Token | null | undefined;
  /** References that stop the container (a missing key of a ConfigMap or Secret in the set). */
  readonly problems: RefProblem[];
  /** Names the readable envFrom sources set, last source winning, in first-seen order. */
  readonly envFromVariables: EnvFromVariable[];
}

type Lookup = { found: JsonObject } | { found: null; reason: string };

/** A ConfigMap or Secret by name in the workload's namespace, or why it is not known. */
export function findRelated(related: RelatedSet | null, kind: 'ConfigMap' | 'Secret', name: string, namespace: string): Lookup {
  if (related === null) return { found: null, reason: `the ${kind} ${name} is not looked up at admission` };
  const gap = related.gaps.get(kind);
  if (gap) return { found: null, reason: `the ${kind} ${name} could not be read: ${gap}` };
  const object = relatedOfKind(related, kind, namespace).find((o) => stringAt(o.metadata, 'name') === name);
  return object ? { found: object } : { found: null, reason: `the ${kind} ${name} is not in ${related.scope}` };
}

/** The string value of a ConfigMap key (YAML may have written a number), or undefined. */
export function configMapValue(configMap: JsonObject, key: string): string | undefined {
  const data = configMap.data;
  if (!isObject(data) || !Object.hasOwn(data, key)) return undefined;
  const value = data[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function dataKeys(object: JsonObject): string[] {
  return isObject(object.data) ? Object.keys(object.data) : [];
}

interface FromSource {
  /** Known variables of this source, by prefixed name; null when the source cannot be read. */
  vars: Map<string, Token> | null;
  reason: string;
}

/** The sources of a container without envFrom. */
const NO_SOURCES: readonly FromSource[] = [];

// Bounds the names read per envFrom source; real ConfigMaps hold tens.
const MAX_KEYS = 4096;

function readEnvFrom(entry: JsonObject, index: number, related: RelatedSet | null, namespace: string): FromSource {
  const prefix = stringAt(entry, 'prefix') ?? '';
  const kind = isObject(entry.configMapRef) ? 'ConfigMap' : isObject(entry.secretRef) ? 'Secret' : null;
  if (kind === null) return { vars: null, reason: 'an envFrom source vllm-guard does not read' };
  const ref = (kind === 'ConfigMap' ? entry.configMapRef : entry.secretRef) as JsonObject;
  const name = stringAt(ref, 'name') ?? '';
  const lookup = findRelated(related, kind, name, namespace);
  if (!lookup.found) return { vars: null, reason: lookup.reason };
  const vars = new Map<string, Token>();
  for (const key of dataKeys(lookup.found).slice(0, MAX_KEYS)) {
    const from = `${kind} ${name} key ${key}`;
    if (kind === 'ConfigMap') {
      vars.set(prefix + key, { text: configMapValue(lookup.found, key) ?? '', source: 'configMapRef', from, at: `envFrom[${index}]` });
    } else {
      vars.set(prefix + key, { text: '', unknown: `${prefix + key} comes from ${from}, whose value is never read`, source: 'secretRef', from, at: `envFrom[${index}]` });
    }
  }
  return { vars, reason: '' };
}

/** Names the readable envFrom sources set, last source winning (as `envFrom` answers), in first-seen order. */
function listEnvFromVariables(sources: readonly FromSource[], envFrom: (name: string) => Token | undefined): EnvFromVariable[] {
  const out: EnvFromVariable[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    for (const name of source.vars?.keys() ?? []) {
      if (seen.has(name)) continue;
      seen.add(name);
      const token = envFrom(name);
      if (!token || token.source === 'envFrom') continue;
      out.push({ name, value: token.unknown ? null : token.text, from: token.from ?? '', at: token.at ?? 'envFrom' });
    }
  }
  return out;
}

/**
 * The env sources of one container. `namespace` is the workload's; `related` null means nothing
 * was looked up (admission). Work is linear in the envFrom keys (each source capped at 4096 keys).
 */
export function createEnvSources(container: JsonObject, related: RelatedSet | null, namespace: string): EnvSources {
  const list = arrayAt(container, 'envFrom');
  // Most containers have no envFrom: no lists are made for them.
  const sources = list.length === 0 ? NO_SOURCES : list.filter(isObject).map((entry, i) => readEnvFrom(entry, i, related, namespace));
  const problems: RefProblem[] = [];
  const envFrom = (name: string): Token | undefined => {
    for (let i = sources.length - 1; i >= 0; i--) {
      const source = sources[i] as FromSource;
      if (source.vars === null) return { text: '', unknown: `${name} may come from envFrom: ${source.reason}`, source: 'envFrom' };
      const token = source.vars.get(name);
      if (token) return token;
    }
    return undefined;
  };
  const envFromVariables = sources.length === 0 ? [] : listEnvFromVariables(sources, envFrom);
  const valueFrom = (name: string, spec: JsonObject, index: number): Token | null | undefined => {
    const kind = isObject(spec.configMapKeyRef) ? 'ConfigMap' : isObject(spec.secretKeyRef) ? 'Secret' : null;
    if (kind === null) return undefined;
    const ref = (kind === 'ConfigMap' ? spec.configMapKeyRef : spec.secretKeyRef) as JsonObject;
    const refName = stringAt(ref, 'name') ?? '';
    const key = stringAt(ref, 'key') ?? '';
    const source = kind === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef';
    const lookup = findRelated(related, kind, refName, namespace);
    if (!lookup.found) return { text: '', unknown: `${name} comes from ${source}: ${lookup.reason}`, source };
    const from = `${kind} ${refName} key ${key}`;
    if (!dataKeys(lookup.found).includes(key)) {
      if (ref.optional === true) return null;
      const summary = `${kind} ${refName} has no key ${key}`;
      problems.push({ kind, name: refName, key, at: `env[${index}]`, summary });
      return { text: '', unknown: `${name} comes from ${from}, but ${summary}`, source };
    }
    if (kind === 'Secret') return { text: '', unknown: `${name} comes from ${from}, whose value is never read`, source, from };
    return { text: configMapValue(lookup.found, key) ?? '', source, from };
  };
  return { envFrom, valueFrom, problems, envFromVariables };
}
