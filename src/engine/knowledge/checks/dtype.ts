/**
 * dtype and quantization kernels vs the accelerator generation (compute capability).
 * Sources: vllm/worker/worker.py _check_if_gpu_supports_dtype (0.x; later vllm/platforms/cuda.py):
 * bfloat16 needs compute capability 8.0; vllm/config _resolve_auto_dtype (vllm-project/vllm#17265,
 * opened 2025-04-27, after 0.8.4 was out: torch-spyre/sendnn-inference#89 moved to 0.8.4 on
 * 2025-04-15) makes --dtype auto fall back to float16 instead of raising; vllm/config _FLOAT16_NOT_SUPPORTED_MODELS refuses float16 for gemma2/gemma3/glm4;
 * QuantizationConfig.get_min_capability() per method (see gpus.json `quantization`).
 */
import type { GpuCatalogue } from '../gpu-catalogue.js';
import { releaseSide } from '../release.js';
import { ccText, result, type CheckResult } from '../verdict.js';
import type { CheckInputs } from './inputs.js';

const BF16_SOURCE = 'vllm/worker/worker.py _check_if_gpu_supports_dtype (0.x releases), vllm/platforms/cuda.py later';
const FP16_BLOCKED: ReadonlySet<string> = new Set(['gemma2', 'gemma3', 'gemma3_text', 'plamo2', 'glm4']);
const FP16_SOURCE = 'vllm/config _FLOAT16_NOT_SUPPORTED_MODELS / _check_valid_dtype';
const QUANT_SOURCE = 'vllm/config quantization check: capability < quant_config.get_min_capability()';
/** First release that may carry the auto fallback; 0.8.4 and earlier certainly raise. */
const FALLBACK_FROM: readonly [number, number, number] = [0, 8, 5];

/** Model types vLLM refuses to serve in float16 (_FLOAT16_NOT_SUPPORTED_MODELS). */
export function isFloat16Blocked(modelType: string): boolean {
  return FP16_BLOCKED.has(modelType);
}

function bf16Error(gpu: string, cc: number): string {
  return `Bfloat16 is only supported on GPUs with compute capability of at least 8.0. Your ${gpu} GPU has compute capability ${ccText(cc)}. You can use float16 instead by explicitly setting the\`dtype\` flag in CLI, for example: --dtype=half.`;
}

function rank(v: CheckResult['verdict']): number {
  return { unknown: 0, ok: 1, warn: 2, deny: 3 }[v];
}

function dtypeCheck(inp: CheckInputs, cc: number, gpu: string): CheckResult {
  const dtype = (inp.dtype ?? 'auto').toLowerCase();
  const modelType = inp.model.known ? inp.model.model.entry.modelType : null;
  const fp16Blocked = modelType !== null && FP16_BLOCKED.has(modelType);
  const release = inp.release ? `vLLM ${inp.release.text}` : 'this vLLM release (the image tag does not say)';
  const assumed = { computeCapability: ccText(cc), gpu, dtype, release: inp.release?.text ?? null, modelType };
  if (cc >= 8) return result('ok', `--dtype ${dtype} runs on ${gpu} (compute capability ${ccText(cc)})`, { assumed });
  // The dtype a fix may set: half runs below 8.0 and every release's --dtype choices take it
  // (options.json); only for a catalogued model outside the float16 block-list, else it is a guess.
  const fix: Record<string, string> = modelType !== null && !fp16Blocked ? { fixDtype: 'half' } : {};
  if (dtype === 'bfloat16') {
    return result('deny', `--dtype bfloat16 on ${gpu} (compute capability ${ccText(cc)}): vLLM refuses bfloat16 below compute capability 8.0 and exits at start`, {
      case: 'bf16-explicit', remediation: fp16Blocked ? `set --dtype float32 (${modelType} refuses float16), or use a GPU of capability 8.0+` : 'set --dtype half, or schedule on a GPU of compute capability 8.0+',
      vllmError: bf16Error(gpu, cc), vllmSource: BF16_SOURCE, assumed: { ...assumed, ...fix },
    });
  }
  if ((dtype === 'half' || dtype === 'float16') && fp16Blocked) {
    return result('warn', `--dtype ${dtype} with a ${modelType} model on ${gpu}: vLLM releases with the float16 block-list refuse it`, {
      case: 'fp16-blocked', remediation: '--dtype float32 (bfloat16 needs compute capability 8.0)', vllmError: `The model type '${modelType}' does not support float16. Reason: Numerical instability. Please use bfloat16 or float32 instead.`, vllmSource: FP16_SOURCE, assumed,
    });
  }
  if (dtype !== 'auto') return result('ok', `--dtype ${dtype} runs on ${gpu}`, { assumed });
  const torchDtype = inp.model.known ? inp.model.model.entry.torchDtype : null;
  if (inp.model.known && torchDtype !== null && torchDtype !== 'bfloat16') {
    return result('ok', `--dtype auto takes the checkpoint's ${torchDtype}, which ${gpu} supports`, { assumed: { ...assumed, torchDtype } });
  }
  const which = inp.model.known && torchDtype === 'bfloat16' ? `${inp.model.model.displayName}'s checkpoint is bfloat16` : 'the checkpoint dtype is unknown (most current checkpoints are bfloat16)';
  const raises = inp.release !== null && releaseSide(inp.release, FALLBACK_FROM) === 'before';
  const certain = raises && inp.model.known && torchDtype === 'bfloat16';
  const message = raises
    ? `--dtype auto on ${gpu} (compute capability ${ccText(cc)}): ${which}, and ${release} refuses bfloat16 below compute capability 8.0 instead of falling back`
    : `--dtype auto on ${gpu} (compute capability ${ccText(cc)}): ${which}; releases before the auto fallback (vllm-project/vllm#17265) refuse it, later ones switch to float16 with a warning — ${release}`;
  return result(certain ? 'deny' : 'warn', message, {
    case: certain ? 'auto-bf16' : raises ? 'auto-raises' : 'auto-fallback',
    remediation: fp16Blocked ? `set --dtype float32 explicitly (${modelType} refuses float16)` : `set --dtype half explicitly; never bfloat16 on compute capability ${ccText(cc)}`,
    vllmError: bf16Error(gpu, cc), vllmSource: BF16_SOURCE, assumed: { ...assumed, torchDtype, ...fix },
  });
}

function quantCheck(inp: CheckInputs, gpus: GpuCatalogue, cc: number, gpu: string): CheckResult | null {
  const method = inp.quantization?.toLowerCase() ?? (inp.model.known ? inp.model.model.quantization?.method ?? null : null);
  if (!method) return null;
  const min = gpus.quantization(method === 'marlin' ? 'gptq_marlin' : method);
  if (!min) return null;
  const ccInt = Math.round(cc * 10);
  const assumed = { gpu, quantization: method, minCapability: min.minCapability, currentCapability: ccInt, computeCapability: ccText(cc), source: min.source };
  const error = `The quantization method ${method} is not supported for the current GPU. Minimum capability: ${min.minCapability}. Current capability: ${ccInt}.`;
  if (method === 'fp8') {
    // Fp8Config: 80 at the commit read; a later release lowered it, so 7.5-7.9 depends on the release.
    if (ccInt < 75) return result('deny', `FP8 quantization on ${gpu} (compute capability ${ccText(cc)}): below every vLLM release's FP8 minimum`, { case: 'quant-min', remediation: 'serve the bf16/fp16 checkpoint with --dtype half, or an AWQ/GPTQ one', vllmError: error, vllmSource: QUANT_SOURCE, assumed });
    if (ccInt < 80) return result('warn', `FP8 quantization on ${gpu} (compute capability ${ccText(cc)}): vLLM releases requiring compute capability 8.0 refuse it`, { case: 'fp8-release', remediation: 'use an AWQ/GPTQ checkpoint here, or a GPU of compute capability 8.9+', vllmError: error, vllmSource: QUANT_SOURCE, assumed });
    if (min.nativeCapability && ccInt < min.nativeCapability) return result('warn', `FP8 on ${gpu} (compute capability ${ccText(cc)}) runs as weight-only FP8 through the Marlin kernel: no FP8 compute below 8.9`, { case: 'fp8-marlin', remediation: 'schedule on compute capability 8.9+ (L4, L40S, H100) for FP8 compute', vllmSource: min.source, assumed });
    return result('ok', `FP8 runs natively on ${gpu}`, { assumed });
  }
  if (ccInt < min.minCapability) {
    return result('deny', `${method} quantization on ${gpu} (compute capability ${ccText(cc)}): vLLM needs compute capability ${min.minCapability / 10} for it and exits at start`, {
      case: 'quant-min', remediation: 'serve an unquantized checkpoint with --dtype half, or use a newer GPU', vllmError: error, vllmSource: QUANT_SOURCE, assumed,
    });
  }
  return result('ok', `${method} runs on ${gpu}`, { assumed });
}

/** dtype-vs-accelerator: the more severe of the dtype and the quantization verdicts. */
export function checkDtype(inp: CheckInputs, gpus: GpuCatalogue): CheckResult {
  const cc = inp.gpu.computeCapability;
  if (cc === null) return result('unknown', `GPU could not be verified: ${inp.gpu.reason ?? 'unknown product'}`);
  const gpu = inp.gpu.name ?? `a compute capability ${ccText(cc)} GPU`;
  const dtype = dtypeCheck(inp, cc, gpu);
  const quant = quantCheck(inp, gpus, cc, gpu);
  if (!quant) return dtype;
  // The more severe wins; when both run, say what the quantization does.
  return rank(quant.verdict) > rank(dtype.verdict) || (quant.verdict === 'ok' && dtype.verdict === 'ok') ? quant : dtype;
}
