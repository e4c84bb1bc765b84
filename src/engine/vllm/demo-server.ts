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
