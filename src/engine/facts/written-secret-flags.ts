/**
 * A literal credential written in a container's argv items is visible in the manifest whatever
 * program reads them. When vllm-guard cannot read the argv as vLLM's (a KServe `predictor.model`
 * whose command comes from the ServingRuntime, an image ENTRYPOINT it does not know), the written
 * items are still known: KServe appends `predictor.model.args` to the runtime container's args
 * (kserve pkg/controller/v1beta1/inferenceservice/components/predictor.go, MergeRuntimeContainers),
 * and the kubelet passes every item to the process. kserve/kserve#3832: a Hugging Face token written
 * as `--api-key=…` in `predictor.model.args` was not reported. Pure; bounded by MAX_ITEMS per list.
 * @module
 */
import { CREDENTIAL_FLAGS, FLAG_ENV, isLiteralCredential } from './credential-values.js';
import type { UnknownFact } from '../types.js';
import type { EnvFact } from './env.js';
import { flagInstead, scriptWhere, type ScriptSecretEntry } from './script-secrets.js';

const MAX_ITEMS = 256;
const ARGV_FIELDS = ['command', 'args'] as const;
const DASH = 45;
const LOWER_A = 97;
const LOWER_H = 104;

/** The option an item names (`--api-key`, `--api_key`: vLLM's parser reads `_` as `-`), or null. */
function secretFlagOf(name: string): string | null {
  if (!name.startsWith('--')) return null;
  const flag = name.slice(2).replaceAll('_', '-');
  return CREDENTIAL_FLAGS.includes(flag) ? flag : null;
}

/**
 * Whether a written value is a literal credential: non-empty, no reference the kubelet or a shell
 * expands (`$(VAR)`, `$VAR`: a Secret may fill it), no placeholder a person or renderer replaces
 * (`<your-key>`, `${KEY}`, `{{ .Values.key }}`, a mask `hf_***`: credential-values.ts), no space (a script line, read elsewhere), not an
 * option (`--api-key --port 8000`: argparse refuses the flag "expected one argument", no key is passed).
 */
function literalValue(value: string): boolean {
  return value !== '' && !value.startsWith('-') && !/\s/.test(value) && isLiteralCredential(value);
}

/** One literal credential option of no-literal-secrets (policies/facts.schema.json literalSecretFlagEntries). */
export interface SecretFlagEntry {
  flag: string;
  at: string;
  env: string;
  envTaken: boolean;
  /** The option is written once: a fix replacing "its" value would otherwise be a guess. */
  once: boolean;
}

/**
 * The credential options a container's `command` and `args` items write with a literal value, one
 * entry per occurrence (`--api-key K1 … --api-key K2` are two credentials in the manifest):
 * `--api-key=VALUE` in one item, or `--api-key` followed by the item VALUE. Empty when there is none.
 */
export function writtenSecretFlags(container: Readonly<Record<string, unknown>>): { flag: string; at: string }[] {
  const out: { flag: string; at: string }[] = [];
  for (const field of ARGV_FIELDS) {
    const items: unknown = field === 'command' ? container.command : container.args;
    if (!Array.isArray(items)) continue;
    const count = Math.min(items.length, MAX_ITEMS);
    for (let i = 0; i < count; i++) {
      const item: unknown = items[i];
      // `--api-key`, `--api_key`, `--hf-token`, `--hf_token`: three character codes before any slicing
      // (this runs on every argv item of every review).
      if (typeof item !== 'string' || item.charCodeAt(0) !== DASH || item.charCodeAt(1) !== DASH) continue;
      const third = item.charCodeAt(2);
      if (third !== LOWER_A && third !== LOWER_H) continue;
      const eq = item.indexOf('=');
      const flag = secretFlagOf(eq < 0 ? item : item.slice(0, eq));
      if (flag === null) continue;
      const next: unknown = items[i + 1];
      const value = eq < 0 ? (typeof next === 'string' && i + 1 < count ? next : '') : item.slice(eq + 1);
      if (literalValue(value)) out.push({ flag, at: `${field}[${i}]` });
    }
  }
  return out;
}

/**
 * no-literal-secrets' credential-option entries: vLLM's reading of the argv (`read`: the vllm facts'
 * literalSecretFlags and their fields) when vllm-guard reads it (`argvKnown`), joined with every
 * written occurrence (writtenSecretFlags), one entry per (option, field). An option vLLM read from
 * the `sh -c` script's field (`script.field`) is the script's: it goes to `script.entries`
 * (script-secrets.ts) unless the script scan found it already, so one rule speaks for the script's
 * field. When there are written entries they are known, so the unknown that an unread argv (or an
 * unknown value of the option) put on `literalSecretFlagEntries` (facts/vllm.ts DERIVED) is removed.
 */
export function secretFlagEntries(
  argvKnown: boolean,
  read: { literalSecretFlags: readonly string[]; at: Readonly<Record<string, string>> },
  container: Readonly<Record<string, unknown>>,
  env: Record<string, EnvFact>,
  unknowns: UnknownFact[],
  script: { field: string | null; entries: ScriptSecretEntry[] },
): SecretFlagEntry[] {
  const found: { flag: string; at: string }[] = [];
  if (argvKnown && read.literalSecretFlags.length > 0) {
    for (const flag of read.literalSecretFlags) {
      const at = read.at[flag];
      if (at === undefined) continue;
      if (at !== script.field) found.push({ flag, at });
      else if (!script.entries.some((e) => e.what.startsWith(`passes --${flag} `))) script.entries.push(scriptFlagEntry(flag, at, container));
    }
  }
  const written = writtenSecretFlags(container);
  for (const w of written) if (!found.some((f) => f.flag === w.flag && f.at === w.at)) found.push(w);
  if (written.length > 0) {
    const at = unknowns.findIndex((u) => u.path === 'literalSecretFlagEntries');
    if (at >= 0) unknowns.splice(at, 1);
  }
  if (found.length === 0) return [];
  // In the manifest's order (command before args, then by index), as a reader meets them.
  if (found.length > 1) found.sort((a, b) => fieldOrder(a.at) - fieldOrder(b.at));
  return found.map(({ flag, at }) => {
    const name = FLAG_ENV[flag] as string;
    return { flag, at, env: name, envTaken: Object.hasOwn(env, name), once: !found.some((f) => f.flag === flag && f.at !== at) };
  });
}

/** A credential option vLLM read from the script (its value came through an expansion): the script rule's entry. */
function scriptFlagEntry(flag: string, at: string, container: Readonly<Record<string, unknown>>): ScriptSecretEntry {
  const script = scriptText(container, at);
  const env = FLAG_ENV[flag] as string;
  return {
    at,
    what: `passes --${flag} with a literal value`,
    where: script === null ? 'the script' : scriptWhere(script, `--${flag}`),
    env,
    instead: flagInstead(flag, env),
  };
}

/** `command[i]` → i, `args[i]` → MAX_ITEMS + i: the order of the fields in the manifest. */
function fieldOrder(at: string): number {
  const open = at.indexOf('[');
  return (at.startsWith('args') ? MAX_ITEMS : 0) + Number(at.slice(open + 1, -1));
}

/** The text of the container field `at` (`command[2]`, `args[0]`), or null. */
function scriptText(container: Readonly<Record<string, unknown>>, at: string): string | null {
  const open = at.indexOf('[');
  const list: unknown = container[at.slice(0, open)];
  const item: unknown = Array.isArray(list) ? list[Number(at.slice(open + 1, -1))] : undefined;
  return typeof item === 'string' ? item : null;
}
