/**
 * vLLM's own commands that are not its API server, by name: the client tools (`vllm bench`, `chat`,
 * `complete`, `collect-env`) and the offline batch runner (`vllm run-batch`, `python -m
 * vllm.entrypoints.openai.run_batch`). detect.ts reads a container's argv against them.
 * @module
 */
import type { Token } from '../types.js';

/**
 * vLLM's offline batch runner: `vllm run-batch` and `python -m vllm.entrypoints.openai.run_batch`
 * (vLLM docs/cli/README.md, vllm/entrypoints/openai/run_batch.py) load the engine on the accelerators
 * and read requests from a file: an engine without an API server, judged as an engine worker.
 */
export const BATCH_MODULE = 'vllm.entrypoints.openai.run_batch';

/**
 * vLLM's own tools that start no server: `vllm <subcommand>` for `bench` (a client, or for `latency` and
 * `throughput` an offline measurement), `chat`, `complete` and `collect-env` (vLLM docs/cli/README.md; `vllm bench` falls back to the
 * CPU platform, vllm/entrypoints/cli/main.py), also as `python -m vllm.entrypoints.cli.main <subcommand>`.
 * `run-batch` is not among them: it runs the engine offline on the accelerators (BATCH_MODULE).
 */
const TOOL_SUBCOMMANDS: ReadonlySet<string> = new Set(['bench', 'chat', 'complete', 'collect-env']);
/** Whether an argv token (the one after `vllm`) names one of those tools; a placeholder never does. */
export function subcommandTool(token: Token | undefined): boolean {
  return token !== undefined && !token.unknown && TOOL_SUBCOMMANDS.has(token.text);
}
