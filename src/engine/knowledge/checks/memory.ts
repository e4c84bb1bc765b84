/**
 * Does the model fit the GPUs? Per GPU, with nominal memory M GiB (an upper bound: the driver
 * reports less) and u = --gpu-memory-utilization (vLLM default 0.9):
 *
 *   budget   = M × u                                   (vLLM caps its own use of each GPU at this)
 *   weights  = params × bytes/param ÷ (TP × PP)        (bytes/param from the quantization, else the dtype)
 *   kv(1 seq)= kvBytesPerToken(TP, PP) × max-model-len (2 × layers/PP × max(1, KV heads/TP) × head_dim × bytes)
 *
 * deny  when weights > budget, or weights + kv(1 seq) > budget for a model without sliding-window
 *       layers (vLLM needs room for one max-model-len sequence: check_enough_kv_cache_memory in
 *       vllm/v1/core/kv_cache_utils.py); no overhead is counted, so a deny is certain.
 * warn  when weights + overhead + kv(1 seq) > budget (overhead: activations, CUDA graphs, NCCL
 *       buffers; an assumed figure, CheckOptions.overheadGiB, since vLLM profiles the real one at start).
 */
import { kvBytesPerToken } from '../architecture.js';
import { derivedMaxModelLen } from './context.js';
import { gib, result, type CheckResult } from '../verdict.js';
import { DEFAULT_CHECK_OPTIONS, type CheckInputs, type CheckOptions } from './inputs.js';

const GiB = 1024 ** 3;
const KV_ERROR_SOURCE = 'vllm/v1/core/kv_cache_utils.py check_enough_kv_cache_memory';

function servingBytes(dtype: string | null, torchDtype: string | null): number {
  const d = (dtype ?? 'auto').toLowerCase();
  if (d === 'float32' || d === 'float') return 4;
  if (d === 'auto' && torchDtype === 'float32') return 2; // auto downcasts float32 checkpoints (_resolve_auto_dtype)
  return 2;
}

/** model-fits-memory: the formula in the file header; unknown without the model (or a param-count annotation) and the GPU memory. */
export function checkMemory(inp: CheckInputs, options: CheckOptions = DEFAULT_CHECK_OPTIONS): CheckResult {
  const memory = inp.gpu.memoryGiB;
  if (!inp.model.known && inp.annotatedParams === null) return result('unknown', `model could not be verified: ${inp.model.reason}`);
  if (memory === null) return result('unknown', `GPU memory could not be verified: ${inp.gpu.reason ?? 'unknown product'}`);
  const util = inp.gpuMemoryUtilization ?? options.defaultGpuMemoryUtilization;
  if (typeof util !== 'number' || util <= 0 || util > 1) return result('unknown', `--gpu-memory-utilization ${String(util)} is not a fraction the check can use`);
  if (!inp.model.known) return annotatedWeights(inp, memory, util, inp.annotatedParams ?? 0);
  const { entry: m, params, displayName, quantization } = inp.model.model;
  const gpu = inp.gpu.name ?? `${gib(memory)} GiB GPU`;
  const tp = inp.tensorParallel;
  const pp = inp.pipelineParallel;
  const dtypeBytes = servingBytes(inp.dtype, m.torchDtype);
  // Quantized weights: bits from the id, flag or checkpoint; unknown bits → 4 (a lower bound: deny stays certain).
  const bytesPerParam = quantization ? (quantization.bits ?? 4) / 8 : dtypeBytes;
  const shards = tp * pp * (inp.expertParallel && m.moe ? Math.max(1, inp.dataParallel) : 1);
  const budget = memory * util;
  const weights = (params.total * bytesPerParam) / shards / GiB;
  const len = typeof inp.maxModelLen === 'number' ? inp.maxModelLen : inp.maxModelLen === null ? derivedMaxModelLen(m) : null;
  const kvBytes = inp.kvCacheDtype?.toLowerCase().startsWith('fp8') ? 1 : dtypeBytes;
  const perToken = kvBytesPerToken(m, kvBytes, tp, pp);
  const kv = len === null ? null : (perToken * len) / GiB;
  const upperBound = m.attention?.hybrid === true;
  const label = `${displayName} (${(params.total / 1e9).toFixed(1)}B params × ${bytesPerParam} B)`;
  const assumed: Record<string, string | number | boolean | null> = {
    model: m.id, params: params.total, bytesPerParam, gpu, memoryGiB: memory, gpuMemoryUtilization: util, tensorParallel: tp, pipelineParallel: pp,
    budgetGiB: round(budget), weightsPerGpuGiB: round(weights), kvTokens: len, kvBytesPerToken: perToken, kvOneSequenceGiB: kv === null ? null : round(kv),
    kvIsUpperBound: upperBound, overheadGiB: options.overheadGiB,
    formula: 'weights = params × bytes ÷ (TP×PP); kv = 2 × layers/PP × max(1, kvHeads/TP) × headDim × bytes × tokens; deny if weights (+ kv) > memory × util',
  };
  const minGpus = Math.ceil((weights * tp * pp) / budget);
  if (weights > budget) {
    Object.assign(assumed, { minGpus });
    return result('deny', `${label} needs ${gib(weights)} GiB of weights per GPU with TP ${tp} × PP ${pp}, more than ${gib(memory)} GiB × ${util} = ${gib(budget)} GiB on ${gpu}: loading fails with CUDA out of memory`, {
      case: 'weights', remediation: `use at least ${minGpus} GPUs (TP × PP), a quantized checkpoint, or a larger GPU`,
      vllmError: 'torch.OutOfMemoryError: CUDA out of memory.', vllmSource: 'PyTorch allocator while vLLM loads the weights', assumed,
    });
  }
  if (kv === null || len === null) return result('ok', `${label}: ${gib(weights)} GiB of weights per GPU fit ${gib(budget)} GiB; the context is resolved at start`, { assumed });
  const left = budget - weights;
  const fitsTokens = Math.max(0, Math.floor((left * GiB) / perToken));
  Object.assign(assumed, { availableKvGiB: round(left), fitsTokens });
  if (weights + kv > budget && !upperBound) {
    return result('deny', `${label} on ${gpu}: ${gib(weights)} GiB of weights per GPU leave ${gib(left)} GiB, and one ${len}-token sequence needs ${gib(kv)} GiB of KV cache: vLLM exits at start`, {
      case: 'kv', remediation: `lower --max-model-len to ${fitsTokens} or less, or add GPUs (TP)`,
      vllmError: `To serve at least one request with the model's max seq len (${len}), (${gib(kv)} GiB KV cache is needed, which is larger than the available KV cache memory (${gib(left)} GiB).`,
      vllmSource: KV_ERROR_SOURCE, assumed,
    });
  }
  if (weights + options.overheadGiB + kv > budget) {
    return result('warn', `${label} on ${gpu} is marginal: ${gib(weights)} GiB weights + ~${options.overheadGiB} GiB overhead + ${gib(kv)} GiB KV for one ${len}-token sequence${upperBound ? ' (an upper bound: some layers use a sliding window)' : ''} against ${gib(budget)} GiB`, {
      case: 'marginal', remediation: `lower --max-model-len to about ${Math.max(0, Math.floor(((left - options.overheadGiB) * GiB) / perToken))}, or add GPUs`,
      vllmSource: KV_ERROR_SOURCE, assumed,
    });
  }
  return result('ok', `${label} fits ${gpu}: ${gib(weights)} GiB weights + ${gib(kv)} GiB KV for one ${len}-token sequence within ${gib(budget)} GiB`, { assumed });
}

/**
 * A model the catalogue does not know, with a param-count annotation: only the weights can be
 * judged (the architecture, hence the KV cache, is unknown). The annotation is the owner's figure.
 */
function annotatedWeights(inp: CheckInputs, memory: number, util: number, params: number): CheckResult {
  const tp = inp.tensorParallel;
  const pp = inp.pipelineParallel;
  const bytesPerParam = inp.quantization ? 0.5 : inp.idQuantizationBits ? inp.idQuantizationBits / 8 : servingBytes(inp.dtype, null);
  const budget = memory * util;
  const weights = (params * bytesPerParam) / (tp * pp) / GiB;
  const gpu = inp.gpu.name ?? `${gib(memory)} GiB GPU`;
  const minGpus = Math.ceil((weights * tp * pp) / budget);
  const assumed = {
    params, paramsFrom: 'annotation param-count', bytesPerParam, gpu, memoryGiB: memory, gpuMemoryUtilization: util, tensorParallel: tp, pipelineParallel: pp,
    budgetGiB: round(budget), weightsPerGpuGiB: round(weights), minGpus, kvTokens: null, kvOneSequenceGiB: null,
  };
  if (weights > budget) {
    return result('deny', `${(params / 1e9).toFixed(1)}B parameters (annotation param-count) × ${bytesPerParam} B need ${gib(weights)} GiB per GPU with TP ${tp} × PP ${pp}, more than ${gib(budget)} GiB on ${gpu}`, {
      case: 'weights', remediation: `use at least ${minGpus} GPUs (TP × PP), a quantized checkpoint, or a larger GPU`,
      vllmError: 'torch.OutOfMemoryError: CUDA out of memory.', vllmSource: 'PyTorch allocator while vLLM loads the weights', assumed,
    });
  }
  return result('unknown', `the weights (${gib(weights)} GiB per GPU from the param-count annotation) fit; the KV cache needs the model's architecture: add the model to the catalogue`, { assumed });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
