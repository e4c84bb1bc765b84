/**
 * One reading of the numeric vLLM options for every policy: the typed facts (vllm.maxModelLen,
 * maxNumSeqs, maxNumBatchedTokens, gpuMemoryUtilization) take the values the image's release parses
 * (vllm/validate-args.ts, the option table), so max-model-len, context-within-model, model-fits-memory
 * and batching-explicit agree with vllm-args-valid on `32k`, `auto`, `-1`, `128kb`, `abc` and `0`.
 */
import type { VllmArgFacts } from '../vllm/facts-args.js';
import type { OptionTable } from '../vllm/option-table.js';

/**
 * How --max-model-len reads: absent (the model's full context), set (a positive length), auto
 * (`auto`/`-1` where the release has human_readable_int_or_auto, v0.14.0 on: vLLM fits the context to
 * the KV cache memory at start, vllm/v1/core/kv_cache_utils.py _auto_fit_max_model_len), rejected
 * (vLLM's parser refuses the text: vllm-args-valid denies it), invalid (parses but is no length: 0, or
 * -1 before v0.14.0, which ModelConfig refuses: `Field(gt=0)` in vllm/config/model.py v0.9.0–v0.13.0).
 */
export type MaxModelLenStatus = 'absent' | 'set' | 'auto' | 'rejected' | 'invalid';

/** The --max-model-len status from a parsed value (number, or the text when it did not parse). */
export function maxModelLenStatus(value: number | string | null, autoSupported: boolean): MaxModelLenStatus {
  if (value === null) return 'absent';
  if (typeof value === 'string') return value.trim().toLowerCase() === 'auto' && autoSupported ? 'auto' : 'rejected';
  if (value === -1 && autoSupported) return 'auto';
  return Number.isInteger(value) && value > 0 ? 'set' : 'invalid';
}

const TYPED: readonly [string, 'maxModelLen' | 'maxNumSeqs' | 'maxNumBatchedTokens' | 'gpuMemoryUtilization'][] = [
  ['max-model-len', 'maxModelLen'],
  ['max-num-seqs', 'maxNumSeqs'],
  ['max-num-batched-tokens', 'maxNumBatchedTokens'],
  ['gpu-memory-utilization', 'gpuMemoryUtilization'],
];

/** The refused options of arguments without problems. */
const NONE_REFUSED: ReadonlySet<string> = new Set();

interface TypedVllm {
  args: Record<string, unknown>;
  maxModelLen: number | string | null;
  maxModelLenStatus: MaxModelLenStatus;
  maxNumSeqs: number | string | null;
  maxNumBatchedTokens: number | string | null;
  gpuMemoryUtilization: number | string | null;
  chunkedPrefill: boolean | null;
  batchedTokensBelowSeqs: boolean;
  batchedTokensBelowModelLen: boolean;
}

/**
 * Replaces the typed numeric facts with the release's parse (`facts.argValues`): a value the release
 * refuses becomes its text (no numeric rule judges it; vllm-args-valid denies it), `auto`/-1 become
 * `auto` where the release has it (`table` says which). Derived comparisons are recomputed. Mutates `vllm`.
 */
export function reconcileArgValues(vllm: TypedVllm, facts: VllmArgFacts, table: OptionTable): void {
  // Most servers' arguments have no problem: no set, lists or texts made for them then.
  const refused = facts.argProblems.length === 0 ? NONE_REFUSED : new Set(facts.argProblems.filter((p) => p.kind === 'bad-type' || p.kind === 'bad-choice').map((p) => p.flag.replace(/^--?/, '').replaceAll('_', '-')));
  // `auto`/-1 mean auto-fit where the release's spec is human-int-or-auto; any release when it is unknown.
  const release = facts.version.release;
  const autoSupported = release === null || table.lookup('--max-model-len', release)?.spec.value === 'human-int-or-auto';
  for (const [flag, field] of TYPED) {
    const raw = vllm.args[flag];
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const parsed = facts.argValues[flag];
    if (refused.has(flag)) vllm[field] = String(raw);
    else if (typeof parsed === 'number') vllm[field] = parsed;
  }
  const len = vllm.maxModelLen;
  const status = maxModelLenStatus(typeof len === 'number' || typeof len === 'string' ? len : null, autoSupported && !refused.has('max-model-len'));
  vllm.maxModelLenStatus = status;
  if (status === 'auto') vllm.maxModelLen = 'auto';
  const batched = typeof vllm.maxNumBatchedTokens === 'number' ? vllm.maxNumBatchedTokens : null;
  const seqs = vllm.maxNumSeqs;
  vllm.batchedTokensBelowSeqs = batched !== null && typeof seqs === 'number' && batched < seqs;
  vllm.batchedTokensBelowModelLen =
    batched !== null && vllm.chunkedPrefill === false && status === 'set' && typeof vllm.maxModelLen === 'number' && batched < vllm.maxModelLen;
}
