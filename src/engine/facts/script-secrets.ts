/**
 * Credentials written as literal text in a container's `sh -c` script: a secret-named variable set
 * to a literal (`export HF_TOKEN=hf_…`, `HUGGING_FACE_HUB_TOKEN=hf_… vllm serve …`), a credential
 * option with a literal value (`--api-key`, `--hf-token` of any command; `--token` of the Hugging
 * Face CLI, `huggingface-cli login --token …`, `hf auth login --token …`), and a URL with a password
 * in its user-info. The script is read as written (command/shell.ts with no environment): a word
 * that needs an expansion (`$HF_TOKEN`, `$(cat /secret)`, `$(VAR)` the kubelet fills) is unknown,
 * never a credential. A script is one string, so nothing here can be patched by a machine: the
 * policy gives remediation text and no fix. Bounded: the script is at most MAX_SCRIPT_LENGTH, lexed
 * only when it names a credential option, a configured secret name or a URL.
 * @module
 */
import { basename, shellScriptIndex, SHELLS } from '../command/argv.js';
import { MAX_SCRIPT_LENGTH } from '../command/kubelet-expand.js';
import { splitShellCommands } from '../command/shell.js';
import type { ScriptCommand, Token } from '../types.js';
import { FLAG_ENV, isLiteralCredential, urlPasswordIn } from './credential-values.js';
import type { SecretEnvNames } from './env.js';

/** One literal credential of a script: what the script does, the variable it belongs in, where. */
export interface ScriptSecretEntry {
  /** The script's field (`command[2]`, `args[0]`). */
  at: string;
  /** `sets HF_TOKEN to a literal value`, `passes --api-key with a literal value`, … */
  what: string;
  /** `line 3 of the script`, or `the script` when the line cannot be told. */
  where: string;
  /** The variable the credential belongs in (`HF_TOKEN`), `<VARIABLE>` for a URL's password. */
  env: string;
  /** What to change in the script once the variable comes from a Secret (at most ~70 characters: templates cut values at 80). */
  instead: string;
}

/**
 * The Hugging Face CLI's commands: every one takes `--token` (huggingface_hub src/huggingface_hub/cli/
 * _cli_utils.py TokenOpt, `hf auth login --token`; src/huggingface_hub/commands/user.py for
 * `huggingface-cli login --token` before v1.0), and reads HF_TOKEN without it.
 */
const HF_CLIS: ReadonlySet<string> = new Set(['huggingface-cli', 'hf']);
/** Entries per script: more is not a real manifest. */
const MAX_ENTRIES = 32;
const NO_ENV = (): undefined => undefined;
/** No script: frozen, so the answer shared by most reviews is never changed. */
const NO_SCRIPT: { field: null; entries: ScriptSecretEntry[] } = Object.freeze({ field: null, entries: Object.freeze([]) as unknown as ScriptSecretEntry[] });

/** The variables the script sets, each time it sets one (the lexer's map keeps only the last). */
class AssignmentLog extends Map<string, Token> {
  readonly sets: [string, Token][] = [];
  override set(name: string, value: Token): this {
    if (this.sets.length < MAX_ENTRIES) this.sets.push([name, value]);
    return super.set(name, value);
  }
}

/** `line N of the script` where `needle` first appears in it, or `the script`. One scan. */
export function scriptWhere(script: string, needle: string): string {
  const at = needle === '' ? -1 : script.indexOf(needle);
  if (at < 0) return 'the script';
  let line = 1;
  for (let i = script.indexOf('\n'); i >= 0 && i < at; i = script.indexOf('\n', i + 1)) line++;
  return `line ${line} of the script`;
}

/** Whether the script may hold a credential this file finds (a cheap test before lexing it). */
function mayHold(script: string, secretEnv: SecretEnvNames): boolean {
  if (script.includes('--api') || script.includes('--hf') || script.includes('--token') || script.includes('://')) return true;
  for (const name of secretEnv.list) if (script.includes(name)) return true;
  return false;
}

/** The credential option a word names (`--api-key`, `--api_key=…`), with the value's variable, or null. */
function optionOf(word: string, command: ScriptCommand): { flag: string; env: string } | null {
  if (!word.startsWith('--')) return null;
  const eq = word.indexOf('=');
  const flag = (eq < 0 ? word.slice(2) : word.slice(2, eq)).replaceAll('_', '-');
  const env = Object.hasOwn(FLAG_ENV, flag) ? FLAG_ENV[flag] : undefined;
  if (env !== undefined) return { flag, env };
  return flag === 'token' && HF_CLIS.has(basename(command[0]?.text ?? '')) ? { flag, env: 'HF_TOKEN' } : null;
}

/**
 * What to write for a credential option once its variable comes from a Secret: `"$VAR"`, or no option at
 * all, as vLLM reads VLLM_API_KEY and huggingface_hub reads HF_TOKEN themselves (FLAG_ENV's sources).
 */
export function flagInstead(flag: string, env: string): string {
  return `write --${flag} "$${env}" in the script, or drop the option`;
}

function flagEntries(command: ScriptCommand, script: string, at: string, out: ScriptSecretEntry[]): void {
  const hfCli = HF_CLIS.has(basename(command[0]?.text ?? ''));
  for (let i = 1; i < command.length && out.length < MAX_ENTRIES; i++) {
    const word = command[i] as Token;
    if (word.unknown) continue;
    if (urlPasswordIn(word.text)) {
      out.push({ at, what: 'writes a URL with a password in its user-info', where: scriptWhere(script, word.text), env: '<VARIABLE>', instead: 'write "$<VARIABLE>" in place of the password in the URL' });
      continue;
    }
    const option = optionOf(word.text, command);
    if (option === null) continue;
    const eq = word.text.indexOf('=');
    const next = command[i + 1];
    const value = eq >= 0 ? word.text.slice(eq + 1) : next && !next.unknown ? next.text : '';
    if (value.startsWith('-') || !isLiteralCredential(value)) continue;
    const program = option.flag === 'token' && hfCli ? ` to ${basename(command[0]?.text ?? '')}` : '';
    out.push({
      at,
      what: `passes --${option.flag}${program} with a literal value`,
      where: scriptWhere(script, value),
      env: option.env,
      instead: flagInstead(option.flag, option.env),
    });
  }
}

function assignmentEntry(name: string, value: Token, script: string, at: string, secretEnv: SecretEnvNames): ScriptSecretEntry | null {
  if (!secretEnv.set.has(name) || value.unknown || !isLiteralCredential(value.text)) return null;
  return {
    at,
    what: `sets ${name} to a literal value`,
    where: scriptWhere(script, value.text),
    env: name,
    instead: `delete the assignment: the script sees $${name} from the env`,
  };
}

/**
 * The literal credentials of the container's `sh -c` script written in its `command` or `args`
 * (the script's field; an image ENTRYPOINT's script is not in the manifest), deduplicated by what
 * and where; `script` is null when the container runs none. `secretEnv`: the configured secret names.
 */
export function scriptSecrets(container: Readonly<Record<string, unknown>>, secretEnv: SecretEnvNames): { field: string | null; entries: ScriptSecretEntry[] } {
  const raw: unknown = container.command;
  // Most containers run no shell: its name (or `env` before it) is the first item, so one look settles it.
  const first: unknown = Array.isArray(raw) ? raw[0] : undefined;
  if (typeof first !== 'string' || !(SHELLS.has(basename(first)) || basename(first) === 'env')) return NO_SCRIPT;
  const command = raw as unknown[];
  const args: unknown = container.args;
  const argv: Token[] = [];
  for (const list of [command, Array.isArray(args) ? args : []] as unknown[][]) for (const item of list) argv.push({ text: typeof item === 'string' ? item : String(item) });
  const index = shellScriptIndex(argv);
  if (index < 0 || index >= argv.length) return NO_SCRIPT;
  const field = index < command.length ? `command[${index}]` : `args[${index - command.length}]`;
  const script = (argv[index] as Token).text;
  if (script.length > MAX_SCRIPT_LENGTH || !mayHold(script, secretEnv)) return { field, entries: [] };
  const log = new AssignmentLog();
  const commands = splitShellCommands(script, NO_ENV, [], log);
  const entries: ScriptSecretEntry[] = [];
  for (const [name, value] of log.sets) {
    const entry = assignmentEntry(name, value, script, field, secretEnv);
    if (entry) entries.push(entry);
  }
  for (const cmd of commands as ScriptCommand[]) {
    for (const [name, value] of cmd.prefixVars ?? []) {
      const entry = assignmentEntry(name, value, script, field, secretEnv);
      if (entry && entries.length < MAX_ENTRIES) entries.push(entry);
    }
    flagEntries(cmd, script, field, entries);
  }
  const seen = new Set<string>();
  return { field, entries: entries.filter((e) => !seen.has(`${e.what}\0${e.where}`) && seen.add(`${e.what}\0${e.where}`)) };
}
