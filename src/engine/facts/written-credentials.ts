/**
 * Credentials written where a manifest puts them besides a secret-named env value: a container's
 * `sh -c` script (script-secrets.ts), the user-info of a URL in an env value or an argv item, and an
 * HTTP probe's `httpHeaders`. Each becomes one no-literal-secrets entry with the container field it
 * sits in. Pure and bounded: env and argv lists up to MAX_ITEMS, a probe's headers up to MAX_HEADERS.
 * @module
 */
import { objectAt, stringAt } from '../util/json.js';
import type { UnknownFact } from '../types.js';
import { isLiteralCredential, urlPasswordIn } from './credential-values.js';
import type { EnvFact, SecretEnvNames } from './env.js';
import { scriptSecrets, type ScriptSecretEntry } from './script-secrets.js';
import { secretFlagEntries, type SecretFlagEntry } from './written-secret-flags.js';

const MAX_ITEMS = 256;
const MAX_HEADERS = 32;
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const ARGV_FIELDS = ['command', 'args'] as const;

/** A URL with a password in its user-info: the field (`env[2].value`, `args[4]`) and how a message names it. */
export interface UrlCredentialEntry {
  at: string;
  where: string;
}

/** A probe header holding a literal credential. `health`: the probe asks vLLM's /health, which needs no key. */
export interface ProbeCredentialEntry {
  at: string;
  probe: string;
  header: string;
  health: boolean;
}

/** The answer of most reviews: frozen, so no review can change what the next one gets. */
const NONE: readonly never[] = Object.freeze([]);

/** The URLs with a password in an env value (`env NAME`) or an argv item outside the script's field. */
function urlEntries(container: Readonly<Record<string, unknown>>, scriptField: string | null): readonly UrlCredentialEntry[] {
  let out: UrlCredentialEntry[] | null = null;
  const env = container.env;
  if (Array.isArray(env)) {
    for (let i = 0; i < env.length && i < MAX_ITEMS; i++) {
      const value = stringAt(env[i], 'value');
      if (value === undefined || !value.includes('://') || !urlPasswordIn(value)) continue;
      (out ??= []).push({ at: `env[${i}].value`, where: `env ${stringAt(env[i], 'name') ?? `[${i}]`}` });
    }
  }
  for (const field of ARGV_FIELDS) {
    const items = field === 'command' ? container.command : container.args;
    if (!Array.isArray(items)) continue;
    for (let i = 0; i < items.length && i < MAX_ITEMS; i++) {
      const item: unknown = items[i];
      if (typeof item !== 'string' || !item.includes('://')) continue;
      const at = `${field}[${i}]`;
      if (at !== scriptField && urlPasswordIn(item)) (out ??= []).push({ at, where: at });
    }
  }
  return out ?? NONE;
}

/**
 * Headers that carry a credential: `Authorization` and `Proxy-Authorization` (RFC 9110 §11.6.2,
 * §11.7.2: `credentials = auth-scheme [ 1*SP token68 ]`), and the API-key headers `X-API-Key` and
 * `api-key` (Azure OpenAI's). HTTP header names are case-insensitive (RFC 9110 §5.1).
 */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key']);

/** Schemes of the IANA HTTP Authentication Scheme Registry (RFC 9110 §16.4) that probes may send. */
const SCHEMES: ReadonlySet<string> = new Set(['bearer', 'basic', 'digest', 'negotiate', 'dpop']);

/** The credential of a header value: `Bearer sk-…` → `sk-…` for the authorization headers, else the value. */
function credentialOf(name: string, value: string): string {
  if (!name.endsWith('authorization')) return value;
  const text = value.trim();
  const space = text.indexOf(' ');
  if (space >= 0) return text.slice(space + 1).trim();
  // A scheme alone (`Bearer`) sends no credentials; one word that is no scheme is a bare credential.
  return SCHEMES.has(text.toLowerCase()) ? '' : text;
}

/**
 * The probe headers holding a literal credential. The kubelet sends httpHeaders as written: it
 * expands no `$(VAR)` there (core/v1 HTTPHeader has only name and value), so a key in a probe header
 * is in the manifest. vLLM's AuthenticationMiddleware checks the Bearer token on /v1 paths only
 * (vllm/entrypoints/openai/api_server.py v0.6.0–v0.20.1, server_utils.py in v0.20.1; facts/api-key.ts):
 * a probe of /health needs no key at all.
 */
function probeEntries(container: Readonly<Record<string, unknown>>): readonly ProbeCredentialEntry[] {
  let out: ProbeCredentialEntry[] | null = null;
  for (const probe of PROBES) {
    const handler = objectAt(objectAt(container, probe), 'httpGet');
    const headers = handler?.httpHeaders;
    if (!Array.isArray(headers)) continue; // most probes send no headers
    for (let i = 0; i < headers.length && i < MAX_HEADERS; i++) {
      const name = (stringAt(headers[i], 'name') ?? '').toLowerCase();
      const value = stringAt(headers[i], 'value');
      if (value === undefined || !CREDENTIAL_HEADERS.has(name) || !isLiteralCredential(credentialOf(name, value))) continue;
      const path = stringAt(handler, 'path') ?? '/';
      const health = path === '/health' || path.startsWith('/health?');
      (out ??= []).push({ at: `${probe}.httpGet.httpHeaders[${i}].value`, probe, header: stringAt(headers[i], 'name') ?? name, health });
    }
  }
  return out ?? NONE;
}

/**
 * The no-literal-secrets facts of one container besides the env literals: `literalSecretFlagEntries`
 * (written-secret-flags.ts) and `writtenCredentials` (`script`, `urls`, `probeHeaders`: the entries
 * above). `unknowns` may lose the unknown on the flag entries (secretFlagEntries). Never throws.
 */
export function writtenSecretFacts(
  argvKnown: boolean,
  read: { literalSecretFlags: readonly string[]; at: Readonly<Record<string, string>> },
  container: Readonly<Record<string, unknown>>,
  env: Record<string, EnvFact>,
  unknowns: UnknownFact[],
  secretEnv: SecretEnvNames,
): { literalSecretFlagEntries: SecretFlagEntry[]; writtenCredentials: { script: ScriptSecretEntry[]; urls: readonly UrlCredentialEntry[]; probeHeaders: readonly ProbeCredentialEntry[] } } {
  const script = scriptSecrets(container, secretEnv);
  const flags = secretFlagEntries(argvKnown, read, container, env, unknowns, script);
  return { literalSecretFlagEntries: flags, writtenCredentials: { script: script.entries, urls: urlEntries(container, script.field), probeHeaders: probeEntries(container) } };
}
