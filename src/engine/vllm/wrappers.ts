/**
 * The programs that run the command after them (`uv run`, `gosu USER`, `env A=b`), and the variables a
 * script's server command sees: the launcher search of detect.ts. Pure data and one pure function.
 * @module
 */
import type { ScriptCommand, Token } from '../types.js';

/**
 * Programs that run the command after them: the launcher is searched past them. `uvx` is `uv tool run`
 * and `pipx run` runs a package's program (docs.astral.sh/uv/guides/tools; pipx.pypa.io docs, `pipx run`).
 */
export const WRAPPERS: ReadonlySet<string> = new Set([
  'env', 'exec', 'nohup', 'time', 'setsid', 'dumb-init', 'tini', 'timeout', 'nice', 'ionice', 'stdbuf', 'numactl',
  'taskset', 'chrt', 'uv', 'uvx', 'pipx', 'conda', 'micromamba', 'mamba', 'pixi', 'poetry', 'pipenv', 'gosu', 'su-exec', 'sudo',
  'sh', 'bash', 'dash', 'ash', 'zsh',
]);

/** `NAME=value` as `env` reads an operand (POSIX env: operands with `=` before the utility are assignments). */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * `env NAME=value … vllm serve` written as argv items (no shell): the assignments before the server
 * segment, which starts at index `start` of `command`. Undefined when the command does not run `env`.
 */
function envOperands(command: readonly Token[], start: number): Map<string, Token> | undefined {
  const first = command[0];
  if (!first || first.unknown || first.text.split('/').pop() !== 'env') return undefined;
  const vars = new Map<string, Token>();
  for (let i = 1; i < start; i++) {
    const token = command[i] as Token;
    const match = token.unknown ? null : ASSIGNMENT.exec(token.text);
    if (match) vars.set(match[0].slice(0, -1), { ...token, text: token.text.slice(match[0].length) });
  }
  return vars.size > 0 ? vars : undefined;
}

/**
 * The script's variables as the server command sees them: its own prefix assignments
 * (`VLLM_API_KEY=k vllm serve …` in a script, XCU 2.9.1; `["env", "HF_HOME=/data", "vllm", …]` as
 * argv items) over the script's; `start` is where the server segment begins in `command`.
 * Undefined when there are none.
 */
export function withPrefixVars(scriptVars: ReadonlyMap<string, Token> | undefined, command: ScriptCommand, start: number): ReadonlyMap<string, Token> | undefined {
  const prefix = command.prefixVars ?? envOperands(command, start);
  if (!prefix) return scriptVars;
  const vars = new Map(scriptVars);
  for (const [name, token] of prefix) vars.set(name, token);
  return vars;
}
