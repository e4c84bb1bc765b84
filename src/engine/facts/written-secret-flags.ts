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
import { anglePlaceholderIn, rendererPlaceholderIn } from '../command/placeholders.js';
import type { UnknownFact } from '../types.js';
import { literalSecretFlagEntries, type EnvFact } from './env.js';

const MAX_ITEMS = 256;
/** The credential options of vLLM's server (vllm/entrypoints/openai/cli_args.py --api-key; vllm/engine/arg_utils.py --hf-token). */
const SECRET_FLAGS: readonly string[] = ['api-key', 'hf-token'];

/** The option an item names (`--api-key`, `--api_key`: vLLM's parser reads `_` as `-`), or null. */
function secretFlagOf(name: string): string | null {
  if (!name.startsWith('--')) return null;
  const flag = name.slice(2).replaceAll('_', '-');
  return SECRET_FLAGS.includes(flag) ? flag : null;
}

/**
 * Whether a written value is a literal credential: non-empty, no reference the kubelet or a shell
 * expands (`$(VAR)`, `$VAR`: a Secret may fill it), no placeholder a person or renderer replaces
 * (`<your-key>`, `${KEY}`, `{{ .Values.key }}`), no space (a script line, read elsewhere), not an
 * option (`--api-key --port 8000`: argparse refuses the flag "expected one argument", no key is passed).
 */
function literalValue(value: string): boolean {
  return value !== '' && !value.startsWith('-') && !value.includes('$') && !/\s/.test(value) && anglePlaceholderIn(value) === null && rendererPlaceholderIn(value) === null;
}

/**
 * The credential options a container's `command` and `args` items write with a literal value, as
 * no-literal-secrets' entries (facts/env.ts literalSecretFlagEntries): `--api-key=VALUE` in one item,
 * or `--api-key` followed by the item VALUE. Empty when there is none.
 */
export function writtenSecretFlags(container: Readonly<Record<string, unknown>>, env: Record<string, EnvFact>): ReturnType<typeof literalSecretFlagEntries> {
  const flags: string[] = [];
  const at: Record<string, string> = {};
  for (const field of ['command', 'args'] as const) {
    const items: unknown = container[field];
    if (!Array.isArray(items)) continue;
    const count = Math.min(items.length, MAX_ITEMS);
    for (let i = 0; i < count; i++) {
      const item: unknown = items[i];
      if (typeof item !== 'string') continue;
      const eq = item.indexOf('=');
      const flag = secretFlagOf(eq < 0 ? item : item.slice(0, eq));
      if (flag === null || flag in at) continue;
      const next: unknown = items[i + 1];
      const value = eq < 0 ? (typeof next === 'string' && i + 1 < count ? next : '') : item.slice(eq + 1);
      if (!literalValue(value)) continue;
      flags.push(flag);
      at[flag] = `${field}[${i}]`;
    }
  }
  return literalSecretFlagEntries(flags, at, env);
}

/**
 * no-literal-secrets' credential-option entries: from vLLM's reading of the argv (`read`: the vllm
 * facts' literalSecretFlags and their fields) when vllm-guard reads it (`argvKnown`); else the written
 * ones (writtenSecretFlags). When there are written ones, they are known, so the unknown that the
 * unread argv put on `literalSecretFlagEntries` (facts/vllm.ts DERIVED) is removed from `unknowns`.
 */
export function secretFlagEntries(
  argvKnown: boolean,
  read: { literalSecretFlags: readonly string[]; at: Readonly<Record<string, string>> },
  container: Readonly<Record<string, unknown>>,
  env: Record<string, EnvFact>,
  unknowns: UnknownFact[],
): ReturnType<typeof literalSecretFlagEntries> {
  if (argvKnown) return literalSecretFlagEntries(read.literalSecretFlags, read.at, env);
  const entries = writtenSecretFlags(container, env);
  const at = entries.length > 0 ? unknowns.findIndex((u) => u.path === 'literalSecretFlagEntries') : -1;
  if (at >= 0) unknowns.splice(at, 1);
  return entries;
}
