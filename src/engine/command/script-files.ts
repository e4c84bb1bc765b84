/**
 * Start scripts a container runs from a file (`bash /scripts/start.sh`, `/scripts/start.sh`, or the
 * same inside a `sh -c` script), read when a volume mounts the file from a ConfigMap the caller can
 * look up. Without this, a server started from a ConfigMap script was never read: a generic image
 * (`python:3.11`, a vendor base) running `vllm serve` from such a script was not recognized at all,
 * and a vLLM image got "a wrapper script?". The file's simple commands take the place of the command
 * that runs it, each word saying where it came from (`ConfigMap vllm-start key start.sh`) and sitting
 * in the field that names the file (`command[1]`).
 *
 * The file is not a container field, so the kubelet does not expand `$(VAR)` in it: only the shell
 * does. A script file gets the words after its path as `$1`, `$2`, … and its path as `$0`
 * (POSIX.1-2017 XCU sh, operands). Work is bounded: MAX_SCRIPT_LENGTH per file, MAX_FILES per
 * container, MAX_DEPTH levels of one script running another.
 * @module
 */
import { MAX_SCRIPT_LENGTH } from './kubelet-expand.js';
import { splitShellCommands, type EnvLookup, type ExpansionBudget } from './shell.js';
import type { Token } from '../types.js';
import { execFault, type ExecFault } from './script-exec.js';
import { normalizeAbsolutePath, trimTrailingSlashes } from '../util/paths.js';
import { inheritedLookup, newSourceContext, type SourceContext } from './sourced-files.js';

/**
 * Reads the file at an absolute path of the container: its text and origin; `unknown` with a clause
 * saying why after the file's name (`comes from ConfigMap x key y, and …`) when a volume holds it but
 * its content cannot be read here; null when it is the image's own file.
 */
export type ReadScript = (path: string) => ScriptFile | (Partial<Omit<ScriptFile, 'text'>> & { unknown: string }) | null;

/** A script file read from a volume: its text, origin, volume and permission bits. */
export interface ScriptFile {
  text: string;
  from: string;
  volume?: string;
  mode?: number;
}

/**
 * A script run as a program (not through a shell) that the kernel cannot start: its file has no
 * execute bit, or (`fault`, command/script-exec.ts) its first line is no shebang the kernel can run.
 */
export interface NotExecutable {
  /** The path as the command writes it. */
  path: string;
  /** The absolute path the kernel opens (`workingDir` joined to a relative one, `..` resolved). */
  file: string;
  /** Absent when the mode is the fault. */
  fault?: ExecFault;
  /** The field that names it (`command[0]`); absent when an image ENTRYPOINT does. */
  at?: string;
  /** `ConfigMap vllm-start key start.sh`. */
  from: string;
  volume: string;
  /** The file's permission bits (0644 when the volume sets none). */
  mode: number;
  /**
   * The commands that run only if the file runs: the command that runs it (when its content is not
   * read) or the file's own commands and those of the files it runs. A command outside them (`sh -c
   * "/scripts/setup.sh; vllm serve m"`) still runs, since a shell goes on after a command fails.
   */
  blocks: ReadonlySet<readonly Token[]>;
}

/** Files read per container: a start script may call a helper or two, not dozens. */
export const MAX_FILES = 8;
/**
 * Paths looked up per container, read or not: each lookup walks the container's volumeMounts, so
 * without it a 60 KiB `sh -c` script of `/a;/a;…` against thousands of mounts took minutes.
 */
const MAX_LOOKUPS = 32;
/** A script running a script running a script: deeper runs are left as written. */
const MAX_DEPTH = 3;
const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh']);
/** Programs that run the command after them in the same process tree, as a start line writes them. */
const PREFIXES: ReadonlySet<string> = new Set(['exec', 'nohup', 'setsid', 'tini', 'dumb-init', 'env']);

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The index of the command word of `cmd`, after `exec`, `env A=b`, `tini --` and the like; -1 when a word before it is unknown. */
function commandWord(cmd: readonly Token[]): number {
  let i = 0;
  while (i < cmd.length - 1) {
    const text = (cmd[i] as Token).text;
    if ((cmd[i] as Token).unknown) return -1;
    // `env A=b`, `tini --`, `dumb-init --`: the prefix's own words.
    if (PREFIXES.has(basename(text)) || text === '--' || (i > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(text))) i++;
    else break;
  }
  return i;
}

/** The index of the script path in `cmd` (after a shell and its options, or a path run directly), or -1. */
function scriptIndex(cmd: readonly Token[]): number {
  const i = commandWord(cmd);
  const first = i === -1 ? undefined : cmd[i];
  if (!first || first.unknown) return -1;
  if (!SHELLS.has(basename(first.text))) return first.text.includes('/') ? i : -1;
  for (let k = i + 1; k < cmd.length; k++) {
    const text = (cmd[k] as Token).text;
    if ((cmd[k] as Token).unknown) return -1;
    // `sh - FILE`: a lone `-` ends the options, as `--` does (POSIX.1-2017 XCU sh, OPERANDS).
    if (text === '--' || text === '-') return k + 1 < cmd.length ? k + 1 : -1;
    if (!/^[-+]./.test(text)) return k;
    // `-c` runs a string, not a file; `-s` reads standard input.
    if (!text.startsWith('--') && /[cs]/.test(text)) return -1;
    // `-o pipefail`, bash's `-O extglob`, `--rcfile FILE` take the next word.
    if (/^[-+][A-Za-z]*[oO]$/.test(text) || text === '--rcfile' || text === '--init-file') k++;
  }
  return -1;
}

/** The program a `#!` line names (`#!/usr/bin/env python3`: python3), or null without one. */
function shebangName(text: string): string | null {
  if (!text.startsWith('#!')) return null;
  const line = text.slice(2, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n')).trim();
  const words = line.split(/\s+/);
  const program = basename(words[0] ?? '') === 'env' ? (words.find((w, k) => k > 0 && !w.startsWith('-')) ?? '') : (words[0] ?? '');
  return basename(program);
}

/** What running script files added to a container's commands. */
export interface ScriptFilesResult {
  /** The commands with each read script's commands in place of the command that runs it. */
  commands: Token[][];
  /** Why a script the container runs could not be read (the first such), when one could not. */
  unknownReason?: string;
  /** Variables the scripts set (`export HF_HOME=/data`). */
  vars?: Map<string, Token>;
  /** True when at least one file was read. */
  read: boolean;
  /** The first script run as a program whose file has no execute bit. */
  notExecutable?: NotExecutable;
}

interface Walk {
  read: ReadScript;
  /** The commands are the container's own argv, which the runtime execs without a shell. */
  byRuntime: boolean;
  lookup: EnvLookup;
  workingDir: string | undefined;
  budget: ExpansionBudget;
  files: number;
  lookups: number;
  unknownReason?: string;
  vars?: Map<string, Token>;
  anyRead: boolean;
  notExecutable?: NotExecutable;
  sources: SourceContext;
}

/** `parentVars`: what the script running these commands assigned, which the files they run may inherit. */
function expand(commands: Token[][], walk: Walk, depth: number, parentVars: ReadonlyMap<string, Token> | undefined): Token[][] {
  const out: Token[][] = [];
  for (const cmd of commands) {
    const at = scriptIndex(cmd);
    const pathToken = at === -1 ? undefined : cmd[at];
    const raw = pathToken?.text ?? '';
    const path = raw.startsWith('/') ? raw : walk.workingDir ? `${trimTrailingSlashes(walk.workingDir)}/${raw.startsWith('./') ? raw.slice(2) : raw}` : null;
    const file = !pathToken || depth >= MAX_DEPTH || walk.files >= MAX_FILES || walk.lookups++ >= MAX_LOOKUPS || path === null ? null : walk.read(path);
    if (!pathToken || file === null) {
      out.push(cmd);
      continue;
    }
    walk.files++;
    // Run by a shell (`bash -e FILE`, `sh -- FILE`), the file is read, not executed.
    const direct = !SHELLS.has(basename(cmd[commandWord(cmd)]?.text ?? ''));
    // Run as a program, the file needs an execute bit (execve(2) EACCES, for root too): the
    // runtime's exec or the shell fails with "permission denied". Through `bash FILE` it does not.
    // The mode is the pod's, so this holds even when the ConfigMap's content is not known.
    let blocks: Set<readonly Token[]> | null = null;
    const noBit = file.mode !== undefined && (file.mode & 0o111) === 0;
    // With the bit, the first line decides (script-exec.ts); the runtime runs only the container's argv[0].
    const fault = noBit || !direct || !('text' in file) ? null : execFault(file.text, walk.byRuntime && depth === 0 && at === 0);
    if (!walk.notExecutable && direct && (noBit || fault) && file.mode !== undefined && file.volume !== undefined && file.from !== undefined) {
      blocks = new Set();
      const found: NotExecutable = { path: raw, file: normalizeAbsolutePath(path as string), from: file.from, volume: file.volume, mode: file.mode, blocks };
      if (pathToken.at !== undefined) found.at = pathToken.at;
      if (fault) found.fault = fault;
      walk.notExecutable = found;
    }
    for (const words of runFile(cmd, at, pathToken, file, direct, walk, depth, parentVars)) {
      blocks?.add(words);
      out.push(words);
    }
  }
  return out;
}

/** The commands that take the place of `cmd`, which runs `file` (named by `pathToken`, word `at`): the file's own, or `cmd` when it is not read. */
function runFile(cmd: Token[], at: number, pathToken: Token, file: NonNullable<ReturnType<ReadScript>>, direct: boolean, walk: Walk, depth: number, parentVars: ReadonlyMap<string, Token> | undefined): Token[][] {
  const raw = pathToken.text;
  if ('unknown' in file) {
    walk.unknownReason ??= `the container starts from the script ${raw}, which ${file.unknown}`;
    return [cmd];
  }
  const named = shebangName(file.text);
  // Run directly, a file whose `#!` names another program (`python3`) is not shell.
  const other = direct && named !== null && !SHELLS.has(named) ? named : null;
  if (other !== null || file.text.length > MAX_SCRIPT_LENGTH) {
    walk.unknownReason ??= other !== null
      ? `the container starts from ${raw} (${file.from}), a ${other} script vllm-guard does not read`
      : `the container starts from the script ${raw} (${file.from}), longer than ${MAX_SCRIPT_LENGTH / 1024} KiB, so vllm-guard does not read it`;
    return [cmd];
  }
  walk.anyRead = true;
  const vars = new Map<string, Token>();
  // The shell that reads the file decides whether `source` exists in it (sourced-files.ts).
  const shell = direct ? named : basename(cmd[commandWord(cmd)]?.text ?? '');
  const lookup = parentVars ? inheritedLookup(parentVars, walk.lookup, raw) : walk.lookup;
  const inner = splitShellCommands(file.text, lookup, cmd.slice(at), vars, walk.budget, { shell, context: walk.sources });
  // The words sit in the field that names the file and came from the ConfigMap; a word that is a
  // whole argument after the path (`"$1"`, `"$@"`) is that argument, in its own field (shell-commands.ts),
  // and one that is an env value says so already.
  for (const words of inner) {
    for (const word of words) {
      if (word.at !== undefined) continue;
      if (pathToken.at !== undefined) word.at = pathToken.at;
      word.from ??= file.from;
    }
  }
  if (vars.size > 0) {
    walk.vars ??= new Map();
    for (const [name, token] of vars) if (!walk.vars.has(name)) walk.vars.set(name, token);
  }
  return expand(inner, walk, depth + 1, vars);
}

/**
 * `commands` (a container's simple commands, command/argv.ts) with every command that runs a
 * script file replaced by the file's own simple commands, when `read` can read it. `lookup` is the
 * container's environment; `workingDir` resolves a relative script path (without it, a relative
 * path is the image's working directory's and is left as written). `budget` bounds what the
 * scripts' expansions add, shared with the container's own `sh -c` script (shell-fields.ts). `byRuntime`:
 * `commands` is the container's own argv (no `sh -c`), whose first word the runtime execs. `outer`:
 * the container's context for sourced files (sourced-files.ts) and what its `sh -c` script assigned,
 * which a file it runs may inherit (unknown there). Never throws.
 */
export function runScriptFiles(commands: Token[][], lookup: EnvLookup, read: ReadScript, workingDir: string | undefined, budget: ExpansionBudget, byRuntime = false, outer: { sources?: SourceContext; parentVars?: ReadonlyMap<string, Token> | undefined } = {}): ScriptFilesResult {
  const sources = outer.sources ?? newSourceContext(read);
  const walk: Walk = { read, byRuntime, lookup, workingDir, budget, files: 0, lookups: 0, anyRead: false, sources };
  const out = expand(commands, walk, 0, outer.parentVars);
  const result: ScriptFilesResult = { commands: walk.anyRead ? out : commands, read: walk.anyRead };
  if (walk.unknownReason !== undefined) result.unknownReason = walk.unknownReason;
  if (walk.vars) result.vars = walk.vars;
  if (walk.notExecutable) result.notExecutable = walk.notExecutable;
  return result;
}
