/**
 * How vLLM's parser takes each option's value off the command line: short aliases, switches that
 * take none, nargs="+" lists and nargs="?" optionals (vllm/engine/arg_utils.py,
 * vllm/entrypoints/openai/cli_args.py). Data for parseVllmArgs (args.ts), in its own file so the
 * parser reads as the algorithm alone.
 * @module
 */


/** Short spellings (vLLM ≥ 0.11). `-O` is special-cased: `-O3`, `-O=3` and `-O 3` set optimization-level. */
export const ALIASES: Readonly<Record<string, string>> = {
  tp: 'tensor-parallel-size',
  pp: 'pipeline-parallel-size',
  dp: 'data-parallel-size',
  dpl: 'data-parallel-size-local',
  dpn: 'data-parallel-rank',
  dpr: 'data-parallel-start-rank',
  dpa: 'data-parallel-address',
  dpp: 'data-parallel-rpc-port',
  dpb: 'data-parallel-backend',
  dph: 'data-parallel-hybrid-lb',
  dpe: 'data-parallel-external-lb',
  dcp: 'decode-context-parallel-size',
  pcp: 'prefill-context-parallel-size',
  ep: 'enable-expert-parallel',
  q: 'quantization',
  cc: 'compilation-config',
  ac: 'attention-config',
  n: 'nnodes',
  r: 'node-rank',
};

/** Options that take no value (store_true or BooleanOptionalAction); any `--no-x` sets x to false. */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'trust-remote-code', 'enforce-eager', 'enable-chunked-prefill', 'disable-log-stats', 'enable-prefix-caching',
  'enable-auto-tool-choice', 'disable-log-requests', 'enable-log-requests', 'enable-log-outputs', 'enable-lora',
  'enable-expert-parallel', 'enable-eplb', 'enable-dbo', 'enable-elastic-ep', 'enable-sleep-mode',
  'disable-custom-all-reduce', 'disable-sliding-window', 'disable-cascade-attn', 'skip-tokenizer-init',
  'enable-prompt-embeds', 'enable-prompt-tokens-details', 'enable-server-load-tracking', 'enable-force-include-usage',
  'enable-request-id-headers', 'enable-tokenizer-info-endpoint', 'disable-frontend-multiprocessing',
  'disable-fastapi-docs', 'disable-uvicorn-access-log', 'allow-credentials', 'return-tokens-as-token-ids', 'headless',
  'async-scheduling', 'calculate-kv-scales', 'fully-sharded-loras', 'ray-workers-use-nsight',
  'disable-async-output-proc', 'use-tqdm-on-load', 'kv-sharing-fast-prefill', 'enable-mm-embeds', 'mm-encoder-only',
  'interleave-mm-strings', 'skip-mm-profiling', 'disable-chunked-mm-input', 'disable-hybrid-kv-cache-manager',
  'aggregate-engine-logging', 'fail-on-environ-validation', 'data-parallel-hybrid-lb', 'data-parallel-external-lb',
  'language-model-only', 'enable-return-routed-experts', 'allow-deprecated-quantization', 'enable-ssl-refresh',
  'disable-mm-preprocessor-cache', 'enable-reasoning', 'trust-request-chat-template', 'enable-layerwise-nvtx-tracing',
  'enable-mfu-metrics', 'kv-cache-metrics', 'cudagraph-metrics', 'enable-flashinfer-autotune',
  'disable-nccl-for-dp-synchronization', 'enable-log-deltas', 'exclude-tools-when-tool-choice-none', 'log-error-stack',
]);

/** nargs="+": the values run until the next option. */
export const LIST_OPTIONS: ReadonlySet<string> = new Set([
  'served-model-name', 'lora-modules', 'allowed-origins', 'allowed-methods', 'allowed-headers', 'middleware',
  'cudagraph-capture-sizes', 'ignore-patterns', 'allowed-media-domains',
]);

/** nargs="?": `--hf-token` alone means "use the stored login", recorded as true. */
export const OPTIONAL_VALUE: ReadonlySet<string> = new Set(['hf-token']);
