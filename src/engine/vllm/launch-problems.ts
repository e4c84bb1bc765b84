/**
 * Commands that can be read to the end and never start the vLLM server, for a container of a vLLM
 * image: without this they were "could not be verified (a wrapper script?)", while the pod
 * crash-loops on a fact the manifest shows. Public reports: vllm-project/vllm#4462 (the whole
 * command line as one `command` item), castai/helm-charts PR #729 (`sh -c vllm serve` with the
 * arguments after the script).
 */
import { basename, shellScriptOperands } from '../command/argv.js';
import type { EffectiveArgv, Token } from '../types.js';

/**
 * A command that never starts the server: the fact `launch` (policies/facts.schema.json). Each text
 * is short: a message shows at most 80 characters of each (evaluate/render.ts).
 */
export interface LaunchProblem {
  kind: 'one-string-command' | 'vllm-without-subcommand' | 'not-executable';
  /** The fault, naming the field: `command[0] is a whole command line in one item`. */
  summary: string;
  /** What the field holds, or the words a `sh -c` script drops; null when nothing more is worth showing. */
  detail: string | null;
  /** What happens at start. */
  says: string;
  fix: string;
  /** The container field that holds the faulty word (`command[0]`). */
  at: string;
}

/** First words of a command line written as one string: programs, never file names with spaces. */
const LAUNCHERS = /^(?:vllm|python(?:\d+(?:\.\d+)*)?|sh|bash|dash|ash|zsh|env|exec|uv|ray)$/;

/**
 * The kubelet runs `command[0]` (or the ENTRYPOINT's first word) as a program without a shell
 * (Kubernetes API reference, Container.command: "not executed within a shell"), so a whole command
 * line in one item names a program that does not exist: StartError "exec: … no such file or
 * directory". Certain only when the text's first word is a program name no path contains spaces for.
 */
function oneStringCommand(argv: EffectiveArgv): LaunchProblem | null {
  if (argv.source !== 'command') return null;
  const first = argv.tokens?.[0];
  if (!first || first.unknown || !first.at) return null;
  const words = first.text.trim().split(/\s+/);
  if (words.length < 2 || !LAUNCHERS.test(basename(words[0] as string))) return null;
  return {
    kind: 'one-string-command',
    summary: `${first.at} is a whole command line in one item`,
    detail: `"${first.text.trim()}"`,
    says: 'the kubelet runs it, without a shell, as one program name: "no such file"',
    fix: `one word per item: [${words.slice(0, 2).map((w) => JSON.stringify(w)).join(', ')}, …], or ["sh", "-c", "<line>"]`,
    at: first.at,
  };
}

/**
 * `vllm` with no subcommand, or with an option first: vLLM's CLI prints its usage (`parser.print_help()`
 * when no subcommand sets `dispatch_function`, vllm/entrypoints/cli/main.py v0.7.3–v0.20.1) or exits on
 * the argument error (the subcommand was required in vllm/scripts.py v0.6.0; an option before any
 * subcommand is unrecognized), and the container exits without serving. `--omni` (vLLM Omni's
 * entrypoint, v0.20.1) and a later `serve` are left alone.
 */
function vllmWithoutSubcommand(argv: EffectiveArgv): LaunchProblem | null {
  const commands = argv.commands;
  if (commands?.length !== 1) return null;
  const cmd = commands[0] as Token[];
  const program = cmd[0];
  if (!program || program.unknown || basename(program.text) !== 'vllm') return null;
  const rest = cmd.slice(1);
  if (rest.some((t) => t.unknown || t.text === '--omni' || t.text === 'serve')) return null;
  if (rest.length > 0 && !(rest[0] as Token).text.startsWith('-')) return null;
  // A program from the image ENTRYPOINT has no field of its own: point at the args it receives.
  const at = program.at ?? argv.args[0]?.at ?? 'args';
  // `sh -c SCRIPT NAME ARG…`: sh gives the words after the script to it as $0, $1, … (POSIX.1-2017
  // XCU sh, -c), and a script that is only `vllm` does not pass them on.
  const lost = argv.source === 'shell' ? (shellScriptOperands(argv.tokens ?? []) ?? []) : [];
  const written = cmd.map((t) => t.text).join(' ');
  return {
    kind: 'vllm-without-subcommand',
    summary: `${at} runs \`${written}\` without the serve subcommand`,
    detail: lost.length > 0 ? `the words after the sh -c script become its $0, $1, … and are lost: ${lost.map((t) => t.text).join(' ')}` : null,
    says: 'vLLM prints its usage (or an argument error) and exits: no server starts',
    fix: lost.length > 0 ? 'put the whole line in the script (sh -c "vllm serve MODEL …") or drop the shell' : 'start the server with `vllm serve MODEL …`',
    at,
  };
}

/**
 * A start script run as a program from a ConfigMap volume that the kernel cannot start
 * (command/script-files.ts). Without an execute bit, execve(2) fails with EACCES for every user,
 * root included, so the runtime reports "permission denied" (StartError), or the `sh -c` script that
 * runs it exits 126; the mode is the item's `mode`, else the volume's `defaultMode`, else 0644
 * (Kubernetes API reference, ConfigMapVolumeSource), and through `bash FILE` no execute bit is
 * needed. With one, a first line that is no shebang the kernel can run (command/script-exec.ts:
 * none, a byte order mark before it, a CRLF line end) fails as "exec format error" or "no such
 * file or directory". `servers` are the commands that start the server, when some were read: the
 * script must hold them all (NotExecutable.blocks).
 */
export function notExecutableScript(argv: EffectiveArgv, servers?: readonly (readonly Token[])[]): LaunchProblem | null {
  const script = argv.notExecutable;
  // Only a script whose failure stops the server: the one every server command is read from, or,
  // with none read, one every command of the container waits on. A shell goes on after a failed
  // helper (`/scripts/setup.sh; vllm serve m`) or to a fallback (`/scripts/start.sh || bash /scripts/start.sh`).
  const waiting = servers && servers.length > 0 ? servers : (argv.commands ?? []);
  if (!script || waiting.length === 0 || !waiting.every((c) => script.blocks.has(c))) return null;
  const at = script.at ?? argv.args[0]?.at ?? 'args';
  const { path, fault } = script;
  if (!fault) {
    const mode = `0${script.mode.toString(8).padStart(3, '0')}`;
    return {
      kind: 'not-executable',
      summary: `${at} runs ${path} without an execute bit (mode ${mode})`,
      detail: `${script.from}, volume ${script.volume}`,
      says: 'the runtime cannot execute it ("permission denied"), so vLLM never starts',
      fix: `defaultMode: 0755 on volume ${script.volume}, or run ["bash", "${path}"]`,
      at,
    };
  }
  const detail = `${script.from}, mounted at ${script.file}`;
  if (fault.cause !== 'crlf') {
    return {
      kind: 'not-executable',
      summary: fault.cause === 'bom' ? `${at} runs ${path}, which has a byte order mark before #!` : `${at} runs ${path}, whose first line is not #!`,
      detail,
      says: 'the runtime cannot execute it ("exec format error"), so vLLM never starts',
      fix: fault.cause === 'bom' ? 'save it as UTF-8 without a byte order mark' : `add "#!/bin/sh" as its first line, or run ["sh", "${path}"]`,
      at,
    };
  }
  const missing = JSON.stringify(fault.missing);
  return {
    kind: 'not-executable',
    summary: `${at} runs ${path}, whose #! line ends in CR (CRLF line ends)`,
    detail,
    says: fault.viaEnv ? `env finds no program ${missing} ("No such file or directory"): no vLLM` : `no interpreter ${missing} ("no such file or directory"), so vLLM never starts`,
    fix: `convert it to LF line ends (dos2unix ${basename(script.file)}) and recreate the ConfigMap`,
    at,
  };
}

/**
 * Why a container of a vLLM image never starts the server, when its command says so for certain;
 * null otherwise (a script or program vllm-guard cannot follow stays "could not be verified").
 */
export function findLaunchProblem(argv: EffectiveArgv): LaunchProblem | null {
  return notExecutableScript(argv) ?? oneStringCommand(argv) ?? vllmWithoutSubcommand(argv);
}
