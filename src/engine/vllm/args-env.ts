/**
 * Env vars vLLM (or KServe's server) reads in place of an absent flag: VLLM_API_KEY, HF_TOKEN and
 * KServe's parallel sizes. Its own file: what parseVllmArgs (args.ts) adds after the command line,
 * and the list argv-memo.ts keys its memo on.
 * @module
 */
import type { EnvLookup } from '../command/shell.js';
import type { ArgValue, Token, VllmArgs } from '../types.js';
import type { ParserMode } from './args-start.js';

/** What applyEnv writes to: the parser's result and its setter (values coerced, unknowns recorded). */
export interface ArgSink {
  readonly out: VllmArgs;
  set(name: string, value: ArgValue | Token): void;
}

/** Env vars vLLM (or KServe's server) reads in place of a flag; secrets are recorded as set (true), never copied. */
const ENV_EQUIVALENTS: { option: string; names: string[]; secret: boolean; modes?: ParserMode[] }[] = [
  { option: 'api-key', names: ['VLLM_API_KEY'], secret: true },
  { option: 'hf-token', names: ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'], secret: true },
  { option: 'tensor-parallel-size', names: ['TENSOR_PARALLEL_SIZE'], secret: false, modes: ['huggingfaceserver'] },
  { option: 'pipeline-parallel-size', names: ['PIPELINE_PARALLEL_SIZE'], secret: false, modes: ['huggingfaceserver'] },
];

/** Every env var parseVllmArgs reads: its answer depends on the command, these and the config file alone (argv-memo.ts). */
export const ENV_READ_BY_ARGS: readonly string[] = ENV_EQUIVALENTS.flatMap((e) => e.names);

/**
 * Sets each option the command left absent from the first env var that gives it (`fromEnv` records
 * which); a secret's value is recorded as `true`, never copied; a name that may come from envFrom
 * makes the option unknown. `mode` null: no parser ran, only the mode-free equivalents apply.
 */
export function applyEnv(parser: ArgSink, env: EnvLookup, mode: ParserMode | null): void {
  const { values, unknown, fromEnv } = parser.out;
  for (const { option, names, secret, modes } of ENV_EQUIVALENTS) {
    if (option in values || option in unknown || (modes && (mode === null || !modes.includes(mode)))) continue;
    for (const name of names) {
      const token = env(name);
      if (!token) continue;
      if (token.source === 'envFrom') {
        unknown[option] = token.unknown ?? `${name} may come from envFrom`;
        break;
      }
      // vLLM ignores an empty VLLM_API_KEY or HF_TOKEN.
      if (!token.unknown && token.text === '') continue;
      fromEnv[option] = name;
      if (secret) values[option] = true;
      else parser.set(option, token.unknown ? { text: '', unknown: token.unknown } : { text: token.text });
      break;
    }
  }
}
