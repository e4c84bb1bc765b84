/**
 * A container's environment as its process would see it, for `$(VAR)` and `$VAR` lookups: literal
 * env entries (expanded), valueFrom and envFrom through the related ConfigMaps when known, and the
 * names LeaderWorkerSet injects. Its own file: the env lookup, built once per container and passed
 * to the argv (argv.ts), the shell expansion and the vLLM argument parser.
 * @module
 */
import { arrayAt, isObject, stringAt } from '../util/json.js';
import type { EnvLookup } from './shell.js';
import type { JsonObject, Token } from '../types.js';
import type { EnvSources } from '../related/configmaps.js';
import { expandKubeletRefs } from './kubelet-expand.js';
import { rendererPlaceholderIn } from './placeholders.js';

/** LeaderWorkerSet adds these to every pod it creates; templates do not show them. */
const INJECTED: ReadonlySet<string> = new Set(['LWS_LEADER_ADDRESS', 'LWS_GROUP_SIZE', 'LWS_WORKER_INDEX', 'LWS_NAME']);

const VALUE_SOURCES = ['secretKeyRef', 'configMapKeyRef', 'fieldRef', 'resourceFieldRef'];

function describeSource(valueFrom: JsonObject): string {
  for (const kind of VALUE_SOURCES) if (isObject(valueFrom[kind])) return kind;
  return 'valueFrom';
}

/** The envFrom of a container without one (most containers): no list made per review. */
const NO_ENV_FROM: readonly JsonObject[] = [];

/** What an envFrom list may set, for reasons: `configMapRef, secretRef`. */
function describeEnvFrom(envFrom: readonly JsonObject[]): string {
  return [...new Set(envFrom.flatMap((e) => Object.keys(e).filter((k) => k !== 'prefix')))].join(', ');
}

/**
 * The container's environment as seen by its process: literal `env[].value` entries (with `$(VAR)`
 * references to earlier entries expanded), `valueFrom` and `envFrom` resolved through `sources`
 * (related/configmaps.ts: ConfigMap values known, Secret values never) or unknown without them, and
 * LWS-injected names unknown unless `injected` gives their value (a LeaderWorkerSet's LWS_GROUP_SIZE,
 * which its controller puts ahead of the container's own env, so it wins over an entry of the same
 * name); undefined for names nothing sets.
 */
export function buildEnvLookup(container: JsonObject, sources?: EnvSources, injected?: Readonly<Record<string, string>>): EnvLookup {
  const envFromList = arrayAt(container, 'envFrom');
  const envFrom = envFromList.length === 0 ? NO_ENV_FROM : envFromList.filter(isObject);
  // Described only when there is an envFrom: most containers have none.
  const fromKinds = envFrom.length > 0 && !sources ? describeEnvFrom(envFrom) : '';
  const outside = (name: string): Token | undefined => {
    if (sources) {
      const token = sources.envFrom(name);
      if (token) return token;
    } else if (envFrom.length > 0) {
      return { text: '', unknown: `${name} may come from envFrom: ${fromKinds || 'an unknown source'}`, source: 'envFrom' };
    }
    if (INJECTED.has(name)) return { text: '', unknown: `${name} is set by LeaderWorkerSet at run time`, source: 'injected' };
    return undefined;
  };
  const values = new Map<string, Token>();
  const fixed = (name: string): Token | undefined => {
    const text = injected && Object.prototype.hasOwnProperty.call(injected, name) ? injected[name] : undefined;
    // A new token each time: callers may set its source in place.
    return text === undefined ? undefined : { text, source: 'injected' };
  };
  const lookup: EnvLookup = injected ? (name) => fixed(name) ?? values.get(name) ?? outside(name) : (name) => values.get(name) ?? outside(name);
  const entries = arrayAt(container, 'env');
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    const name = stringAt(entry, 'name');
    if (!name || !isObject(entry)) continue;
    if (isObject(entry.valueFrom)) {
      const resolved = sources?.valueFrom(name, entry.valueFrom, index);
      // An optional reference to a missing key sets nothing (the kubelet skips it; an earlier value stays).
      if (resolved === null) continue;
      if (resolved) values.set(name, resolved);
      else {
        const source = describeSource(entry.valueFrom);
        values.set(name, { text: '', unknown: `${name} comes from ${source}`, source });
      }
    } else {
      const raw = entry.value;
      const text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : '';
      // expandKubeletRefs returns a new token each time, so it can take its source in place.
      const token = expandKubeletRefs(text, lookup);
      token.source = 'literal';
      const placeholder = token.unknown ? null : rendererPlaceholderIn(token.text);
      if (placeholder) token.unknown = `${name} is ${placeholder}`;
      values.set(name, token);
    }
  }
  return lookup;
}
