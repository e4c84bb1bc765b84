/**
 * The request proxies of vLLM's disaggregated-serving examples: small HTTP servers (FastAPI + httpx,
 * uvicorn) that forward each request to a prefill and a decode vLLM server. They start no engine and use
 * no accelerator, so a vLLM image running one is a proxy pod, not a vLLM server (detect.ts). Matched by
 * the script's file name, as the examples' own pods run them (`python3 examples/disagg/toy_proxy_server.py …`).
 * Sources, each read at the commit named:
 * - vllm-project/vllm tests/v1/kv_connector/nixl_integration/toy_proxy_server.py (e009930196c9);
 *   examples/online_serving/disaggregated_serving/disagg_proxy_demo.py, moriio_toy_proxy_server.py and
 *   mooncake_connector/mooncake_connector_proxy.py (715dbadccab1, faa928062b1f, f1b4b2802cde);
 * - vllm-project/tpu-inference examples/disagg/toy_proxy_server.py (b8692ff01fa1), run on vllm/vllm-tpu by
 *   .buildkite/kubernetes/manifests/v7x/proxy1p1d.yaml at that commit;
 * - vllm-project/vllm-ascend examples/disaggregated_prefill_v1/load_balance_proxy_server_example.py and
 *   load_balance_proxy_layerwise_server_example.py (182b75ea84ff).
 * @module
 */
import { basename } from '../command/argv.js';
import type { Token } from '../types.js';
import { pythonScript } from './python-module.js';

const PROXY_SCRIPTS: ReadonlySet<string> = new Set([
  'toy_proxy_server.py',
  'moriio_toy_proxy_server.py',
  'disagg_proxy_demo.py',
  'mooncake_connector_proxy.py',
  'load_balance_proxy_server_example.py',
  'load_balance_proxy_layerwise_server_example.py',
]);

/**
 * True when the python at `cmd[python]` runs one of those proxy scripts: the first word after the
 * interpreter's options (`-u`, `-X dev`) that is not an option. False for a module (`-m`, `-c`), an
 * unknown word, or any other script.
 */
export function runsExampleProxy(cmd: readonly Token[], python: number): boolean {
  const run = pythonScript(cmd, python);
  return run !== null && PROXY_SCRIPTS.has(basename(run.script));
}
