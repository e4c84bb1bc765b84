/**
 * A container's effective argv as the kubelet and the shell would see it: command + args (or the
 * image ENTRYPOINT + args), `$(VAR)` references expanded from literal env, and `sh -c` scripts
 * split into the simple commands they may run. Values that only exist at run time become unknown.
 * The kubelet's expansion (kubelet-expand.ts) and the container's environment (container-env.ts)
 * are their own files.
 */
import { resolveEntrypoint, type CompiledEntrypoint } from './entrypoints.js';
import { arrayAt, stringAt } from '../util/json.js';
import { newExpansionBudget, splitShellCommands, type EnvLookup, type ExpansionBudget } from './shell.js';
import type { EffectiveArgv, JsonObject, Token } from '../types.js';
import { markRendererPlaceholders } from './placeholders.js';
import { expandKubeletRefs, MAX_SCRIPT_LENGTH } from './kubelet-expand.js';
import { buildEnvLookup } from './container-env.js';
import { runScriptFiles, type NotExecutable, type ReadScript } from './script-files.js';
import { newSourceContext, type SourceContext } from './sourced-files.js';

export { DEFAULT_ENTRYPOINTS, compileEntrypoints, findEntrypoint, resolveEntrypoint } from './entrypoints.js';
export type { CompiledEntrypoint, EntrypointRule } from './entrypoints.js';

export const UNKNOWN_ENTRYPOINT = "the image's ENTRYPOINT is not known at admission";
/** Shells whose `-c` script the argv reading follows. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh']);

/** The string items of `container[key]` (command or args); numbers and booleans as YAML wrote them. */
function readStrings(container: JsonObject, key: string): string[] {
  const out: string[] = [];
  for (const v of arrayAt(container, key)) {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
  }
  return out;
}

/** The last segment of a slash-separated path (`/usr/bin/python3` → `python3`), the text itself without one. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Index of the script after `sh [-e] -c`, -1 when argv is no `-c` shell invocation. */
function findShellScript(argv: Token[]): { shell: number; script: number } | null {
  let shell = 0;
  if (basename(argv[0]?.text ?? '') === 'env') {
    shell = 1;
    for (let tok = argv[shell]; tok && /^-|^[A-Za-z_][A-Za-z0-9_]*=/.test(tok.text); tok = argv[shell]) shell++;
  }
  const first = argv[shell];
  if (!first || first.unknown || !SHELLS.has(basename(first.text))) return null;
  let hasC = false;
  let i = shell + 1;
  for (; i < argv.length; i++) {
    const text = (argv[i] as Token).text;
    if (text === '--' || text === '-') {
      i++;
      break;
    }
    if (!/^[-+]./.test(text)) break;
    if (text.startsWith('--')) {
      if (text === '--rcfile' || text === '--init-file') i++;
      continue;
    }
    if (text.includes('c')) hasC = true;
    // -o and bash's -O take the option name as the next argument.
    if (/[oO]/.test(text)) i++;
  }
  return hasC ? { shell, script: i } : null;
}

/**
 * The words after a `sh -c` script (`sh -c SCRIPT NAME ARG…`), which sh gives the script as `$0`,
 * `$1`, … (POSIX.1-2017 XCU sh, `-c`); null when argv is no `-c` shell invocation.
 */
export function shellScriptOperands(argv: readonly Token[]): Token[] | null {
  const found = findShellScript(argv as Token[]);
  return found ? argv.slice(found.script + 1) : null;
}

/** Index in `argv` of the script of a `sh -c` invocation (`sh [-e] -c SCRIPT …`), or -1 when argv is none. */
export function shellScriptIndex(argv: readonly Token[]): number {
  return findShellScript(argv as Token[])?.script ?? -1;
}

const SCRIPT_TOO_LONG = `the sh -c script is longer than ${MAX_SCRIPT_LENGTH / 1024} KiB, so vllm-guard does not read it`;

/** `raw` is argv before `$(VAR)` expansion, as head (command or ENTRYPOINT) and args. */
function splitArgv(
  argv: Token[],
  head: readonly string[],
  args: readonly string[],
  lookup: EnvLookup,
  budget: ExpansionBudget,
  sources: SourceContext,
): { commands: Token[][] | null; shell: boolean; unknownReason?: string; scriptVars?: Map<string, Token>; notExecutable?: NotExecutable } {
  const found = findShellScript(argv);
  if (!found) return { commands: [markRendererPlaceholders(argv)], shell: false };
  const rawScript = found.script < head.length ? head[found.script] : args[found.script - head.length];
  if (rawScript === undefined) return { commands: [], shell: true };
  if (rawScript.length > MAX_SCRIPT_LENGTH) return { commands: null, shell: true, unknownReason: SCRIPT_TOO_LONG };
  // An unknown `$(VAR)` must not hide the whole script: left as written, the lexer makes only its word unknown.
  const script = expandKubeletRefs(rawScript, lookup, true);
  const rest = argv.slice(found.script + 1);
  const positional = rest.length > 0 ? rest : [argv[found.shell] as Token];
  const assigned = new Map<string, Token>();
  const shell = argv[found.shell] as Token;
  const commands = splitShellCommands(script.text, lookup, positional, assigned, budget, { shell: basename(shell.text), context: sources });
  // Words of a `sh -c` script all sit in the script's field (command[2], args[0], …).
  const scriptAt = argv[found.script]?.at;
  if (scriptAt) for (const cmd of commands ?? []) for (const token of cmd) token.at ??= scriptAt;
  return assigned.size > 0 ? { commands, shell: true, scriptVars: assigned } : { commands, shell: true };
}

/** Splices the script files the commands run into `split` (command/script-files.ts). */
function withScriptFiles(split: ReturnType<typeof splitArgv>, lookup: EnvLookup, read: ReadScript, workingDir: string | undefined, budget: ExpansionBudget, sources: SourceContext): void {
  // Without `sh -c` the commands are the argv itself, whose first word the runtime execs.
  const files = runScriptFiles(split.commands ?? [], lookup, read, workingDir, budget, !split.shell, { sources, parentVars: split.scriptVars });
  if (files.read) {
    split.commands = files.commands;
    split.shell = true;
  }
  split.unknownReason ??= files.unknownReason;
  if (files.notExecutable) split.notExecutable = files.notExecutable;
  if (!files.vars) return;
  // The outer `sh -c` script's own assignments come first, as the argv reading kept them.
  split.scriptVars ??= new Map();
  for (const [name, token] of files.vars) if (!split.scriptVars.has(name)) split.scriptVars.set(name, token);
}

/** Field names of the first list items (`args[0]` …), spelled once instead of per token of every review. */
const FIELD_NAMES = 64;
const ARGS_AT: readonly string[] = Array.from({ length: FIELD_NAMES }, (_, i) => `args[${i}]`);
const COMMAND_AT: readonly string[] = Array.from({ length: FIELD_NAMES }, (_, i) => `command[${i}]`);

/**
 * The token of `command[i]` or `args[i]` after expansion, with the field that holds it. Without a `$`
 * the token is made in its final shape at once (`{ text, at }`, the keys in the order expansion and
 * then the field would give them): one object instead of an object and a grown property store.
 */
function locatedToken(text: string, lookup: EnvLookup, names: readonly string[], list: string, i: number): Token {
  const at = i < FIELD_NAMES ? (names[i] as string) : `${list}[${i}]`;
  if (!text.includes('$')) return { text, at };
  // expandKubeletRefs returns a fresh token: the field is set on it (no spread copy).
  const token = expandKubeletRefs(text, lookup);
  token.at = at;
  return token;
}

/**
 * The effective argv of a container. `entrypoints` maps image patterns to their ENTRYPOINT, for
 * containers without `command`. `commands` lists the candidate commands: the argv itself, or every
 * simple command of a `sh -c` script (source 'shell'). `lookup` is the container's environment,
 * when the caller already built it. `readScript`, when given, reads the script files the commands
 * run from ConfigMap volumes (command/script-files.ts): their commands replace the one running them.
 */
export function effectiveArgv(
  container: JsonObject,
  entrypoints: readonly CompiledEntrypoint[],
  lookup: EnvLookup = buildEnvLookup(container),
  readScript?: ReadScript,
): EffectiveArgv {
  const rawArgs = readStrings(container, 'args');
  const args: Token[] = [];
  for (let i = 0; i < rawArgs.length; i++) args.push(locatedToken(rawArgs[i] as string, lookup, ARGS_AT, 'args', i));
  const command = readStrings(container, 'command');
  let head: string[];
  let source: EffectiveArgv['source'];
  let entrypointCertain = false;
  if (command.length > 0) {
    head = command;
    source = 'command';
  } else {
    const found = resolveEntrypoint(stringAt(container, 'image') ?? '', entrypoints);
    if (!found) {
      return { tokens: null, args, commands: null, source: args.length > 0 ? 'args' : 'entrypoint', unknownReason: UNKNOWN_ENTRYPOINT };
    }
    // The ENTRYPOINT is not expanded by the kubelet: only command and args are.
    head = found.command.map((e) => e.replaceAll('$', '$$$$'));
    source = 'entrypoint';
    entrypointCertain = found.certain;
  }
  // Expansion is pure and tokens are never changed afterwards, so the args' tokens are reused.
  const tokens: Token[] = [];
  for (let i = 0; i < head.length; i++) tokens.push(source === 'command' ? locatedToken(head[i] as string, lookup, COMMAND_AT, 'command', i) : expandKubeletRefs(head[i] as string, lookup));
  for (const arg of args) tokens.push(arg);
  // One expansion budget for the container's script and the script files it runs (shell-fields.ts).
  const budget = newExpansionBudget();
  // The files its scripts source (`. /etc/vllm/env.sh`) are read as its script files are.
  const sources = newSourceContext(readScript);
  const split = splitArgv(tokens, head, rawArgs, lookup, budget, sources);
  if (readScript && split.commands) withScriptFiles(split, lookup, readScript, stringAt(container, 'workingDir'), budget, sources);
  const result: EffectiveArgv = { tokens, args, source: split.shell ? 'shell' : source, commands: split.commands };
  if (split.unknownReason) result.unknownReason = split.unknownReason;
  if (split.scriptVars) result.scriptVars = split.scriptVars;
  if (split.notExecutable) result.notExecutable = split.notExecutable;
  if (entrypointCertain) result.entrypointCertain = true;
  return result;
}
