/**
 * The Python module (or script) a command runs with `python -m`: one reading for every question asked of it
 * (detect.ts, args-start.ts, dynamo.ts, demo-server.ts, workload/headless.ts), so recognition and
 * the facts read from it never disagree on a command such as `python3 -um dynamo.vllm`.
 *
 * CPython's command line (docs.python.org/3/using/cmdline.html): options before `-m` may be
 * grouped (`-um mod`, `-mmod`); `-c` runs a string; `-X` and `-W` take the next word when not
 * joined to it, as `--check-hash-based-pycs` does.
 * @module
 */
import { basename } from '../command/argv.js';
import type { Token } from '../types.js';

// Linear: each `\d+` run ends at a `.` or the end, so a failed match backtracks over one run only.
const PYTHON = /^python(?:\d+(?:\.\d+)*)?$/;

/** Whether a program name (no directory) is a Python interpreter: `python`, `python3`, `python3.12`. */
export function isPythonName(name: string): boolean {
  return PYTHON.test(name);
}

/**
 * The module python runs with `-m`, the python being `cmd[start]`, skipping interpreter options;
 * `next` is the index of the module's first argument. Null for scripts and `-c`. Linear in the
 * options before the module.
 */
export function pythonModule(cmd: readonly Token[], start: number): { module: string; next: number } | null {
  for (let i = start + 1; i < cmd.length; i++) {
    const text = (cmd[i] as Token).text;
    if (/^-[^-XWc]*m/.test(text)) {
      // `-mvllm…` and `-um vllm…`: the module is the rest of the option, or the next argument.
      const module = text.slice(text.indexOf('m') + 1);
      return module ? { module, next: i + 1 } : { module: cmd[i + 1]?.text ?? '', next: i + 2 };
    }
    if (text === '-X' || text === '-W' || text === '--check-hash-based-pycs') i++;
    else if (!text.startsWith('-') || text.includes('c')) return null;
  }
  return null;
}

/**
 * The script the python at `cmd[start]` runs (`python3 -u /app/proxy.py …`), skipping interpreter
 * options (`-u`, `-X dev`); `next` is the index of the script's first argument. Null for a module (`-m`),
 * `-c`, or a word whose text is unknown. Linear in the options before the script.
 */
export function pythonScript(cmd: readonly Token[], start: number): { script: string; next: number } | null {
  for (let i = start + 1; i < cmd.length; i++) {
    const token = cmd[i] as Token;
    if (token.unknown) return null;
    if (token.text === '-X' || token.text === '-W') {
      i++;
      continue;
    }
    if (!token.text.startsWith('-')) return { script: token.text, next: i + 1 };
    if (/^-[^-]*[cm]/.test(token.text)) return null;
  }
  return null;
}

/**
 * The module a command that starts at a python (`/usr/bin/python3 -u -m mod …`, a server segment
 * of detect.ts) runs; null for null, another program, a script or `-c`.
 */
export function moduleOfCommand(command: readonly Token[] | null): string | null {
  const first = command?.[0];
  if (!command || !first || !isPythonName(basename(first.text))) return null;
  return pythonModule(command, 0)?.module ?? null;
}
