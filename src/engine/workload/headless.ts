/**
 * Whether a vLLM server container runs headless (engine workers without the API server): its own
 * file because the rule reads the `vllm serve` CLI's launch forms, not the container lists that
 * select.ts walks.
 */
import { basename } from '../command/argv.js';
import { pythonModule } from '../vllm/python-module.js';
import { runsDynamoWorker } from '../vllm/dynamo.js';
import type { Token } from '../types.js';
import type { Target } from './select.js';

/**
 * `vllm serve --headless` starts no API server: it runs engine workers that join a leader's
 * group (multi-node tensor/pipeline parallel with the mp executor, or data-parallel engines)
 * (vllm/entrypoints/cli/serve.py@v0.20.1, run_headless; the flag exists from v0.9.0). Such a
 * container is a worker of a vLLM group: no probes, Service, API key or metrics port to ask of it.
 * Only the `vllm serve` CLI reads the flag: `python -m vllm.entrypoints.openai.api_server` accepts
 * it (the parser is shared) and serves the API all the same (its `__main__` calls run_server).
 * Dynamo's worker takes it for the secondary nodes of a multi-node TP engine (`python3 -m dynamo.vllm
 * … --nnodes 2 --node-rank 1 --headless`, ai-dynamo/dynamo tests/serve/launch/multi_node_tp_headless.sh).
 */
export function runsHeadless(target: Target): boolean {
  const command = target.classification.command;
  if (target.role !== 'server' || !command || !(startsVllmServeCli(command) || runsDynamoWorker(command))) return false;
  return command.some((t) => t.text === '--headless' && !t.unknown);
}

/** `vllm serve …`, or `python -m vllm.entrypoints.cli.main serve …` (what the `vllm` script runs). */
function startsVllmServeCli(command: readonly Token[]): boolean {
  const first = command[0];
  if (first === undefined || first.unknown) return false;
  if (basename(first.text) === 'vllm') return command[1]?.text === 'serve';
  const python = pythonModule(command, 0);
  return python?.module === 'vllm.entrypoints.cli.main' && command[python.next]?.text === 'serve';
}
