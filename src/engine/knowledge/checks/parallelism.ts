/**
 * Tensor/pipeline parallelism vs the model's heads and layers, as vLLM checks them:
 * ModelConfig.verify_with_parallel_config (vllm/config): attention heads % TP == 0 (ValueError);
 * QKVParallelLinear (vllm/model_executor/layers/linear.py): KV heads split with divide() when TP < KV
 * heads and replicated with divide(tp, kv) when TP ≥ KV heads, so one must divide the other
 * (AssertionError "{a} is not divisible by {b}" from vllm/distributed/utils.py ensure_divisibility).
 * Pipeline stages split the layers (vllm/distributed/utils.py get_pp_indices); more stages than layers
 * leave a stage without a layer. MLA models (DeepSeek) do not shard KV heads this way and skip that check.
 */
import { result, type CheckResult } from '../verdict.js';
import type { CheckInputs } from './inputs.js';

const HEADS_SOURCE = 'vllm/config ModelConfig.verify_with_parallel_config';
const KV_SOURCE = 'vllm/model_executor/layers/linear.py QKVParallelLinear → vllm/distributed/utils.py divide()';

/** parallelism-fits-model: heads, KV heads and layers against TP and PP, in the order vLLM checks them. */
export function checkParallelism(inp: CheckInputs): CheckResult {
  if (!inp.model.known) return result('unknown', `model could not be verified: ${inp.model.reason}`);
  const m = inp.model.model.entry;
  const name = inp.model.model.displayName;
  const tp = inp.tensorParallel;
  const pp = inp.pipelineParallel;
  const assumed = { model: m.id, attentionHeads: m.numAttentionHeads, kvHeads: m.numKeyValueHeads, layers: m.numHiddenLayers, tensorParallel: tp, pipelineParallel: pp };
  const fix = tensorFix(inp, m.numAttentionHeads, m.mla ? null : m.numKeyValueHeads);
  if (m.numAttentionHeads % tp !== 0) {
    return result('deny', `--tensor-parallel-size ${tp} does not divide ${name}'s ${m.numAttentionHeads} attention heads: vLLM exits at start`, {
      case: 'heads', remediation: `use a tensor-parallel size dividing ${m.numAttentionHeads} (${divisors(m.numAttentionHeads).join(', ')}); PP for the rest`,
      vllmError: `Total number of attention heads (${m.numAttentionHeads}) must be divisible by tensor parallel size (${tp}).`, vllmSource: HEADS_SOURCE, assumed: { ...assumed, ...fix },
    });
  }
  if (!m.mla) {
    const kv = m.numKeyValueHeads;
    const [a, b] = tp >= kv ? [tp, kv] : [kv, tp];
    if (a % b !== 0) {
      return result('deny', `--tensor-parallel-size ${tp} and ${name}'s ${kv} KV heads: vLLM ${tp >= kv ? 'replicates' : 'splits'} KV heads only when one divides the other, and fails while building the attention layers`, {
        case: 'kv-heads', remediation: `use a tensor-parallel size that divides ${kv} or is a multiple of it`, vllmError: `${a} is not divisible by ${b}`, vllmSource: KV_SOURCE, assumed: { ...assumed, dividend: a, divisor: b, ...fix },
      });
    }
  }
  if (pp > m.numHiddenLayers) {
    return result('deny', `--pipeline-parallel-size ${pp} is more than ${name}'s ${m.numHiddenLayers} layers: a pipeline stage would hold no layer`, {
      case: 'pp-layers', remediation: `use at most ${m.numHiddenLayers} pipeline stages`, vllmSource: 'vllm/distributed/utils.py get_pp_indices', assumed,
    });
  }
  return result('ok', `TP ${tp} × PP ${pp} fits ${name} (${m.numAttentionHeads} heads, ${m.numKeyValueHeads} KV heads, ${m.numHiddenLayers} layers)`, { assumed });
}

/** Whether vLLM accepts tensor-parallel size `tp` for these heads (KV heads null: MLA, not split). */
function fits(tp: number, heads: number, kvHeads: number | null): boolean {
  if (heads % tp !== 0) return false;
  if (kvHeads === null) return true;
  return tp >= kvHeads ? tp % kvHeads === 0 : kvHeads % tp === 0;
}

/**
 * The one tensor-parallel size a fix may set: the accelerators the group has divided by pipeline
 * × data parallelism (keeping GPUs and PP as written), when it is a whole number vLLM accepts for
 * these heads and differs from the current size. Otherwise (GPU count not known, no such size)
 * nothing: which of TP, PP or the GPU count to change is a person's choice.
 */
function tensorFix(inp: CheckInputs, heads: number, kvHeads: number | null): { fixTensorParallel?: number } {
  const total = inp.devicesPerPod * Math.max(1, inp.groupSize);
  const rest = inp.pipelineParallel * inp.dataParallel;
  if (total < 1 || rest < 1 || total % rest !== 0) return {};
  const tp = total / rest;
  return tp !== inp.tensorParallel && fits(tp, heads, kvHeads) ? { fixTensorParallel: tp } : {};
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= Math.min(n, 64); d += 1) if (n % d === 0) out.push(d);
  return out;
}
