/**
 * vLLM's `--config file.yaml` read the way FlexibleArgumentParser reads it, when the file is mounted
 * from a ConfigMap the related set holds. vllm-project/vllm vllm/utils/argparse_utils.py at v0.20.1
 * (vllm/utils.py v0.6.0–v0.9.1, vllm/utils/__init__.py v0.9.2–v0.11.0), `_pull_args_from_config` and
 * `load_config_file`:
 * - only the exact token `--config` followed by a path loads a file (`'--config' in args`);
 * - the path must end in `.yaml` or `.yml`, else ValueError "Config file must be of a yaml/yml type";
 * - `yaml.safe_load` (YAML 1.1) of a mapping; each key becomes `'--' + key` (keys are bare long option
 *   names: `tensor-parallel-size: 4`; a key written with dashes becomes `----key`, which argparse
 *   refuses), `true` the bare flag, `false` nothing, a list the flag and each item, a mapping the flag
 *   and its JSON, anything else the flag and `str(value)`;
 * - the file's arguments go right after the subcommand (and the positional model, when the command
 *   line gives one), before the rest of the command line: command line over config file over defaults.
 */
import { createRequire } from 'node:module';
import type { Node } from 'yaml';
import { findRelated } from '../related/configmaps.js';
import { configMapFile } from '../related/configmap-files.js';
import { mountedConfigMapKey, relatedHasKey } from '../related/mounted-files.js';
import type { RelatedSet } from '../related/related-set.js';
import { isObject, stringAt } from '../util/json.js';
import type { JsonObject, Token } from '../types.js';
import { basename } from '../command/argv.js';
import { trimTrailingSlashes } from '../util/paths.js';

/**
 * The `yaml` package, loaded on the first `--config` file read: most processes never read one, and
 * loading it took 35–55 ms of `vllm-guard check`'s start. Node's module cache keeps the one copy.
 */
const yamlLib = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

/** Config files longer than this are not read (vLLM's own examples are a few hundred bytes). */
export const MAX_CONFIG_FILE_BYTES = 64 * 1024;
const MAX_KEYS = 512;

export interface ConfigFileFact {
  /** The path after `--config`. */
  path: string;
  /** read: the file's options are in the command; unknown: not readable here; error: vLLM exits on it. */
  status: 'read' | 'unknown' | 'error';
  /** `ConfigMap vllm-config key config.yaml`, when the file comes from one. */
  from: string | null;
  /** Why the file is unknown or what vLLM does with it. */
  reason: string | null;
  /** Option names the file sets (without dashes), in file order. */
  keys: string[];
  /** The `--config` token's container field (`args[3]`). */
  at: string | null;
}

export interface ConfigFileResult {
  /** The command with the file's options spliced in and `--config <path>` removed (the input when not read). */
  command: Token[];
  file: ConfigFileFact;
}

const SOURCE = 'vllm-project/vllm vllm/utils/argparse_utils.py load_config_file (v0.20.1)';

/** Python's `str()` of a YAML scalar: `True`, `None`, `2.0` for a float written `2.0`. */
function pythonStr(node: Node | null | undefined, value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    const src = yamlLib().isScalar(node) && typeof node.source === 'string' ? node.source : '';
    return Number.isInteger(value) && /[.]/.test(src) ? `${value}.0` : String(value);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The arguments `load_config_file` makes of a YAML text, or the error vLLM would raise. */
export function configFileArguments(text: string): { args: { key: string; values: string[] }[] } | { error: string } {
  if (text.length > MAX_CONFIG_FILE_BYTES) return { error: `longer than ${MAX_CONFIG_FILE_BYTES / 1024} KiB, so vllm-guard does not read it` };
  const { parseDocument, isMap } = yamlLib();
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, merge: true, prettyErrors: false });
  if (doc.errors.length > 0) return { error: `yaml.safe_load fails: ${(doc.errors[0] as Error).message.split('\n')[0] ?? ''}` };
  const root = doc.contents;
  if (!isMap(root)) return { error: 'the file is not a YAML mapping of option names to values, and vLLM fails reading it' };
  let js: unknown;
  try {
    // Aliases are expanded with a cap, so a "billion laughs" file costs no more than a plain one.
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (err: unknown) {
    return { error: `not read: ${err instanceof Error ? err.message : String(err)}` };
  }
  const args: { key: string; values: string[] }[] = [];
  const entries = isObject(js) ? Object.entries(js) : [];
  for (const [key, value] of entries.slice(0, MAX_KEYS)) {
    const node = root.get(key, true) as Node | undefined;
    if (typeof value === 'boolean') {
      if (value) args.push({ key, values: [] });
    } else if (Array.isArray(value)) {
      if (value.length > 0) args.push({ key, values: value.map((item: unknown) => pythonStr(null, item)) });
    } else if (isObject(value)) args.push({ key, values: [JSON.stringify(value)] });
    else args.push({ key, values: [pythonStr(node, value)] });
  }
  return { args };
}

/** Index after `vllm serve`, `-m vllm.entrypoints.openai.api_server` or `-m vllm.entrypoints.cli.main serve`. */
function argumentsStart(command: readonly Token[]): number {
  for (let i = 0; i < command.length; i++) {
    const text = command[i]?.text ?? '';
    if (basename(text) === 'vllm' && command[i + 1]?.text === 'serve') return i + 2;
    if (text !== '-m') continue;
    if (command[i + 1]?.text === 'vllm.entrypoints.cli.main' && command[i + 2]?.text === 'serve') return i + 3;
    if (command[i + 1]?.text?.startsWith('vllm.entrypoints.')) return i + 2;
  }
  return -1;
}

export interface ConfigFileInput {
  /** The vLLM server's command (classification.command). */
  command: Token[];
  container: JsonObject;
  pod: JsonObject;
  related: RelatedSet | null;
  namespace: string;
}

/**
 * Reads the `--config` file of a vLLM command, or null when the command has none. Work is bounded
 * by MAX_CONFIG_FILE_BYTES and MAX_KEYS.
 */
export function resolveConfigFile(input: ConfigFileInput): ConfigFileResult | null {
  const { command } = input;
  const index = command.findIndex((t) => t.text === '--config' && !t.unknown);
  const start = argumentsStart(command);
  if (index === -1 || start === -1 || index < start) return null;
  const flag = command[index] as Token;
  const pathToken = command[index + 1];
  const at = flag.at ?? null;
  const fact = (status: ConfigFileFact['status'], reason: string | null, from: string | null = null): ConfigFileFact =>
    ({ path: pathToken?.text ?? '', status, from, reason, keys: [], at });
  if (!pathToken || pathToken.unknown) return { command, file: fact('unknown', pathToken?.unknown ?? 'no path follows --config') };
  const path = pathToken.text;
  const extension = path.split('.').pop() ?? '';
  if (extension !== 'yaml' && extension !== 'yml') {
    return { command, file: fact('error', `vLLM exits: "Config file must be of a yaml/yml type. ${extension} supplied" (${SOURCE})`) };
  }
  const workingDir = stringAt(input.container, 'workingDir');
  const absolute = path.startsWith('/') ? path : workingDir ? `${trimTrailingSlashes(workingDir)}/${path}` : null;
  if (absolute === null) return { command, file: fact('unknown', `${path} is relative to the image's working directory`) };
  const mounted = mountedConfigMapKey(absolute, input.container, input.pod, relatedHasKey(input.related, input.namespace));
  if ('reason' in mounted) return { command, file: fact('unknown', `the --config file ${mounted.reason}`) };
  const from = `ConfigMap ${mounted.name} key ${mounted.key}`;
  const lookup = findRelated(input.related, 'ConfigMap', mounted.name, input.namespace);
  if (!lookup.found) return { command, file: fact('unknown', `the --config file ${path} comes from ${from}, and ${lookup.reason}`, from) };
  // `data` or `binaryData` (decoded from base64 within the bound: related/configmap-files.ts).
  const content = configMapFile(lookup.found, mounted.key, MAX_CONFIG_FILE_BYTES);
  if (content === undefined) {
    const why = mounted.optional ? `${path} does not exist` : 'the kubelet cannot mount the volume';
    return { command, file: fact('error', `ConfigMap ${mounted.name} has no key ${mounted.key}: ${why}, and vLLM cannot start`, from) };
  }
  if ('unreadable' in content) return { command, file: fact('unknown', `the --config file ${path} comes from ${from}, and ${content.unreadable}`, from) };
  const text = content.text;
  const parsed = configFileArguments(text);
  if ('error' in parsed) return { command, file: fact('error', `the --config file ${path} (${from}): ${parsed.error}`, from) };
  const origin = `config file ${path}`;
  const cli = command.slice(start);
  const modelInCli = cli[0] !== undefined && !cli[0].text.startsWith('-') && cli[0] !== flag;
  const tokens: Token[] = [];
  for (const { key, values } of parsed.args) {
    // The command line's positional model wins over the file's (argparse_utils.py keeps the CLI one).
    if (key === 'model' && modelInCli) continue;
    const base: Token = { text: `--${key}`, from: origin };
    if (at) base.at = at;
    if (key === 'model' && values.length === 1) {
      tokens.push({ ...base, text: `--model=${values[0] as string}` });
      continue;
    }
    tokens.push(base);
    for (const value of values) tokens.push(at ? { text: value, from: origin, at } : { text: value, from: origin });
  }
  const insert = modelInCli ? start + 1 : start;
  const rest = command.filter((_, i) => i !== index && i !== index + 1);
  const spliced = [...rest.slice(0, insert), ...tokens, ...rest.slice(insert)];
  const file: ConfigFileFact = { ...fact('read', null, from), keys: parsed.args.map((a) => a.key) };
  return { command: spliced, file };
}
