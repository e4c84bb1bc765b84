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

/**
 * The script's variables as the server command sees them: its own prefix assignments
 * (`VLLM_API_KEY=k vllm serve …`, XCU 2.9.1) over the script's; undefined when there are none.
 */
export function withPrefixVars(scriptVars: ReadonlyMap<string, Token> | undefined, command: ScriptCommand): ReadonlyMap<string, Token> | undefined {
  if (!command.prefixVars) return scriptVars;
  const vars = new Map(scriptVars);
  for (const [name, token] of command.prefixVars) vars.set(name, token);
  return vars;
}
