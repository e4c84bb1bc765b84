/**
 * NVIDIA Dynamo's vLLM worker (`python3 -m dynamo.vllm …`): a vLLM engine in Dynamo's runtime, not
 * vLLM's OpenAI HTTP server. Data with sources; detect.ts makes a container that runs it a vLLM
 * server container, args.ts reads its engine arguments, facts/vllm.ts says it serves no vLLM API.
 *
 * What the sources say (ai-dynamo/dynamo; the repository's release tags could not be listed with the
 * tools at hand, so the commits read are named):
 * - components/src/dynamo/vllm/args.py (commit 000a36a7399a): `parse_args` builds an argparse parser of
 *   Dynamo's own groups (DynamoRuntimeArgGroup, DynamoVllmArgGroup), takes them with
 *   `parse_known_args`, and hands the rest to a FlexibleArgumentParser holding only
 *   `AsyncEngineArgs.add_cli_args` (engine arguments): vLLM's OpenAI-server flags (`--host`, `--port`,
 *   `--api-key`, `--served-model-name` is an engine argument) are not there. `--engine-config-json FILE`
 *   loads engine arguments from a file as the parser's starting namespace (the command line wins).
 *   The older layout, components/backends/vllm/src/dynamo/vllm/args.py (commit 987bbcb5c83e), is the
 *   same idea: Dynamo's flags on a FlexibleArgumentParser plus `AsyncEngineArgs.add_cli_args`.
 * - The HTTP API is served by the frontend (`python3 -m dynamo.frontend`, not vLLM); a worker answers
 *   health on Dynamo's system port (`DYN_SYSTEM_PORT`), which the operator names `system`.
 * @module
 */
import type { Token } from '../types.js';
import { moduleOfCommand } from './python-module.js';

/** Python modules that run a vLLM engine as a Dynamo worker. */
export const DYNAMO_WORKER_MODULES: ReadonlySet<string> = new Set(['dynamo.vllm']);

/** Where Dynamo's flags below were read. */
export const DYNAMO_FLAGS_SOURCE =
  'ai-dynamo/dynamo components/src/dynamo/common/configuration/groups/runtime_args.py (commit c6b40e7877ac), ' +
  'components/src/dynamo/vllm/backend_args.py (commit 036f289b17f2), components/src/dynamo/vllm/args.py (commit 000a36a7399a), ' +
  'components/backends/vllm/src/dynamo/vllm/args.py (commit 987bbcb5c83e)';

/**
 * Dynamo's own flags of its vLLM worker, by name without dashes: `true` takes no value (store_true,
 * or a negatable boolean that also has `--no-x`), `false` takes one. Flags vary by Dynamo release, so
 * a flag in neither this table nor vLLM's is never a reason to deny (facts-args.ts).
 */
export const DYNAMO_FLAGS: Readonly<Record<string, boolean>> = {
  // runtime_args.py
  namespace: false, endpoint: false, 'discovery-backend': false, 'request-plane': false, 'event-plane': false,
  connector: false, 'durable-kv-events': true, 'dyn-tool-call-parser': false, 'dyn-reasoning-parser': false,
  'custom-jinja-template': false, 'endpoint-types': false, 'dump-config-to': false,
  'multimodal-embedding-cache-capacity-gb': false, 'output-modalities': false, 'media-output-fs-url': false,
  'media-output-http-url': false,
  // backend_args.py
  'is-prefill-worker': true, 'is-decode-worker': true, 'use-vllm-tokenizer': true, 'sleep-mode-level': false,
  'route-to-encoder': true, 'multimodal-encode-worker': true, 'multimodal-worker': true, 'multimodal-decode-worker': true,
  'enable-multimodal': true, 'mm-prompt-template': false, 'frontend-decoding': true, omni: true, 'stage-configs-path': false,
  'model-express-url': false,
  // args.py (both layouts)
  'engine-config-json': false, 'migration-limit': false, 'dynamo-port-min': false, 'dynamo-port-max': false,
  'disaggregation-mode': false,
};

/** The flag that names a file of engine arguments (args.py `_load_engine_config_json`). */
export const DYNAMO_ENGINE_CONFIG_FLAG = 'engine-config-json';

/** Why options absent from the command line may still be set when `--engine-config-json` is given. */
export const DYNAMO_ENGINE_CONFIG_REASON =
  "Dynamo's --engine-config-json file may set any engine argument the command line leaves out, and it cannot be read at admission";

/**
 * Whether a vLLM command (a server segment of detect.ts: it starts at the python that runs the module)
 * runs Dynamo's vLLM worker: `python3 -m dynamo.vllm …`, with interpreter options before `-m`, read
 * as detect.ts reads them (python-module.ts). Linear in the options before the module.
 */
export function runsDynamoWorker(command: readonly Token[] | null): boolean {
  const module = moduleOfCommand(command);
  return module !== null && DYNAMO_WORKER_MODULES.has(module);
}
