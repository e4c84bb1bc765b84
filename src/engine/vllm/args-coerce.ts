/**
 * Option values from argv text as vLLM's argparse types make them: ints (with `_` separators),
 * human-readable ints (`32k`), floats and `true`/`false`. Its own file: value coercion, used by
 * the parser (args.ts) and by the abbreviation check (abbreviations.ts).
 * @module
 */
import { parseHumanInt, parsePythonInt } from '../util/quantity.js';
import type { ArgValue } from '../types.js';

/** Parsed with human_readable_int (max-model-len's `auto` stays text: see facts/arg-values.ts). */
const HUMAN_INTS: ReadonlySet<string> = new Set(['max-model-len', 'max-num-batched-tokens', 'kv-cache-memory-bytes']);
const INTS: ReadonlySet<string> = new Set([
  'max-num-seqs', 'tensor-parallel-size', 'pipeline-parallel-size', 'data-parallel-size', 'data-parallel-size-local',
  'data-parallel-rank', 'data-parallel-start-rank', 'data-parallel-rpc-port', 'decode-context-parallel-size',
  'prefill-context-parallel-size', 'port', 'max-num-partial-prefills', 'max-long-partial-prefills',
  'long-prefill-token-threshold', 'block-size', 'seed', 'max-logprobs', 'max-loras', 'max-lora-rank', 'max-cpu-loras',
  'nnodes', 'node-rank', 'master-port', 'shutdown-timeout', 'num-gpu-blocks-override', 'max-parallel-loading-workers',
  'api-server-count', 'optimization-level', 'max-cudagraph-capture-size', 'uvicorn-workers', 'max-seq-len-to-capture',
]);
const FLOATS: ReadonlySet<string> = new Set(['gpu-memory-utilization', 'swap-space', 'cpu-offload-gb', 'mm-processor-cache-gb']);

// Python's float() grammar for the texts argparse hands it (digits with `_` between them, a point, an
// exponent). The digits after the point are only reached through the `.`, so no two quantifiers can
// share a digit: linear time. (The earlier form, `\d+…\.?(?:\d+…)?`, let the integer and the fraction
// split a digit run every way: a 60 000-digit value took 16 s of CPU.)
const FLOAT = /^\s*[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?\s*$/;

/** An option's text as the typed facts read it: ints, human ints (`32k`) and floats by option name; other text stays. */
export function convertArgValue(name: string, text: string): ArgValue {
  let parsed: number | null = null;
  // `auto` stays text (facts/arg-values.ts reads it per release: auto-fit from v0.14.0, refused before).
  if (HUMAN_INTS.has(name)) parsed = parseHumanInt(text);
  else if (INTS.has(name)) parsed = parsePythonInt(text);
  else if (FLOATS.has(name) && FLOAT.test(text)) parsed = Number(text.replaceAll('_', ''));
  return parsed === null || !Number.isFinite(parsed) ? text : parsed;
}

/** A switch's explicit value: `true`/`false` in any case as booleans, other text as written. */
export function parseBoolean(text: string): ArgValue {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : text;
}
