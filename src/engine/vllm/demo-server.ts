/**
 * vLLM's demo API server, `python -m vllm.entrypoints.api_server`: a vLLM engine behind a two-route
 * FastAPI app, not the OpenAI server. detect.ts recognizes it as a server (it serves HTTP on `--port`);
 * facts/build.ts says which of the OpenAI server's guarantees it lacks (the fact `demoServer`).
 *
 * What the source says (vllm-project/vllm vllm/entrypoints/api_server.py, commit 03f861174cf6; the file
 * is marked "used only for demonstrating usage of AsyncEngine and simple performance benchmarks. It is
 * not intended for production use"): the app has the routes `/health` and `/generate` only, so no
 * `/v1/*` and no `/metrics`; it adds no authentication middleware and reads neither `--api-key` nor
 * `VLLM_API_KEY` (its parser holds `--host`, `--port`, the `--ssl-*` flags, `--root-path`,
 * `--log-level` and `AsyncEngineArgs.add_cli_args`). KServe's 0.11 vLLM guide ran it on
 * `kserve/vllmserver` (kserve/kserve#3446).
 * @module
 */
import type { Token } from '../types.js';
import type { ArgProblem, ArgToken } from './arg-types.js';
import { normalizeKey } from './argv-tokens.js';
import type { OptionTable } from './option-table.js';
import { moduleOfCommand } from './python-module.js';

/** The module of vLLM's demo server. */
export const DEMO_SERVER_MODULE = 'vllm.entrypoints.api_server';

/**
 * Whether a vLLM command (a server segment of detect.ts: it starts at the python that runs the module)
 * runs the demo server: `python3 -m vllm.entrypoints.api_server …`, with interpreter options before
 * `-m`, read as detect.ts reads them (python-module.ts). Linear in the options before the module; false for null.
 */
export function runsDemoServer(command: readonly Token[] | null): boolean {
  return moduleOfCommand(command) === DEMO_SERVER_MODULE;
}

/**
 * The demo server's own options: its parser (api_server.py `__main__`) adds these before
 * `AsyncEngineArgs.add_cli_args`, the same list at every final tag v0.6.0–v0.20.1 but `--enable-ssl-refresh`
 * (from v0.8.0; read with git show at each tag of CentML/vllm, whose tag commits are vLLM's). `--config` is
 * FlexibleArgumentParser's own and never judged here.
 */
const DEMO_SERVER_OWN: ReadonlySet<string> = new Set(['--host', '--port', '--ssl-keyfile', '--ssl-certfile', '--ssl-ca-certs', '--enable-ssl-refresh', '--ssl-cert-reqs', '--root-path', '--log-level', '--config']);
/** Whether a flag as written (`--log_level`, `--port=9000`) is one of the demo server's own options. */
export function isDemoServerOption(flag: string): boolean {
  const eq = flag.indexOf('=');
  return DEMO_SERVER_OWN.has(normalizeKey(eq === -1 ? flag : flag.slice(0, eq)));
}

/** Where the engine's options live: the only table rows the demo server's parser holds. */
const ENGINE_ARGS_FILE = 'vllm/engine/arg_utils.py';

/**
 * Options the OpenAI server has and the demo server does not (`--api-key`, `--chat-template`,
 * `--enable-auto-tool-choice`, …): the demo server's `parser.parse_args()` exits with "unrecognized
 * arguments". Only exact long names are judged (an abbreviation may resolve differently in the demo's
 * smaller parser); a flag of the demo's own (DEMO_SERVER_OWN) never is. Settled when the release is
 * covered (the option's row at that release comes from cli_args.py or serve.py); otherwise only when
 * no covered release has it among the engine's options, and then not verified (`unverified`). At most
 * `limit` tokens are read. Never throws.
 */
export function demoServerProblems(tokens: readonly ArgToken[], table: OptionTable, release: string | null, unverified: string, limit: number): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const end = Math.min(tokens.length, limit);
  for (let i = 0; i < end; i++) {
    const token = tokens[i] as ArgToken;
    if (token.unknown || !token.text.startsWith('--') || token.text === '--') continue;
    const eq = token.text.indexOf('=');
    const flag = eq === -1 ? token.text : token.text.slice(0, eq);
    const name = normalizeKey(flag);
    if (DEMO_SERVER_OWN.has(name)) continue;
    const hit = table.lookup(name, release);
    if (!hit || (release !== null && hit.status !== 'present')) continue;
    const frontendOnly = release !== null ? hit.spec.file !== ENGINE_ARGS_FILE : hit.specs.every((spec) => spec.file !== ENGINE_ARGS_FILE);
    if (!frontendOnly) continue;
    // Short: a policy message shows about 80 characters of a summary.
    const summary = `${flag} is not an option of vLLM's demo api_server`;
    const says = `exits: "unrecognized arguments: ${flag}"`;
    problems.push({
      kind: 'unknown-flag', flag, tokenIndex: i, ...(token.at ? { at: token.at } : {}), summary, says, message: `${summary}: vLLM ${says}`,
      advice: `remove ${flag}, or run vllm serve (the OpenAI server has it)`,
      ...(release !== null ? { verified: true } : { verified: false, reason: unverified }),
    });
  }
  return problems;
}
