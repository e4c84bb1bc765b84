/**
 * Sizes derived from a model's config.json shape: parameter counts and KV-cache bytes per token.
 * The formulas follow the Hugging Face / vLLM module layout of each family (Llama-style decoder:
 * q/k/v/o projections, gated MLP of three matrices, RMSNorm weights; MoE experts and routers; DeepSeek MLA).
 */
import type { ModelEntry } from './types.js';

/** head_dim as vLLM's ModelConfig.get_head_size() reads it: explicit head_dim, else hidden ÷ heads. */
export function headDimOf(m: ModelEntry): number {
  return m.headDim ?? m.hiddenSize / m.numAttentionHeads;
}

function attentionParams(m: ModelEntry): number {
  const h = m.hiddenSize;
  if (m.mla) {
    const a = m.mla;
    const qHead = a.qkNopeHeadDim + a.qkRopeHeadDim;
    const q = a.qLoraRank === null ? h * m.numAttentionHeads * qHead : h * a.qLoraRank + a.qLoraRank + a.qLoraRank * m.numAttentionHeads * qHead;
    const kvA = h * (a.kvLoraRank + a.qkRopeHeadDim) + a.kvLoraRank;
    const kvB = a.kvLoraRank * m.numAttentionHeads * (a.qkNopeHeadDim + a.vHeadDim);
    const o = m.numAttentionHeads * a.vHeadDim * h;
    return q + kvA + kvB + o;
  }
  const d = headDimOf(m);
  const q = h * m.numAttentionHeads * d;
  const kv = 2 * h * m.numKeyValueHeads * d;
  const o = m.numAttentionHeads * d * h;
  const bias = m.qkvBias ? (m.numAttentionHeads + 2 * m.numKeyValueHeads) * d : 0;
  return q + kv + o + bias;
}

/** MLP parameters of one layer: all of them (total) and those one token runs through (active). */
function mlpParams(m: ModelEntry, layer: number): { total: number; active: number } {
  const h = m.hiddenSize;
  const moe = m.moe;
  if (!moe || layer < (moe.firstDenseLayers ?? 0)) {
    const dense = 3 * h * m.intermediateSize;
    return { total: dense, active: dense };
  }
  const expert = 3 * h * moe.expertIntermediateSize;
  const router = h * moe.experts;
  let shared = 0;
  if (moe.sharedExpertIntermediateSize) shared = 3 * h * moe.sharedExpertIntermediateSize + h; // + shared-expert gate
  if (moe.sharedExperts) shared = moe.sharedExperts * expert;
  return { total: moe.experts * expert + router + shared, active: moe.expertsPerToken * expert + router + shared };
}

export interface ParamCount {
  /** Every weight vLLM loads. */
  total: number;
  /** Weights one token runs through (MoE: routed experts per token); equals total for dense models. */
  active: number;
}

/** Parameter count from the architecture, embeddings and output head included. */
export function paramCount(m: ModelEntry): ParamCount {
  const h = m.hiddenSize;
  const embeddings = m.vocabSize * h * (m.tieWordEmbeddings ? 1 : 2);
  const attention = attentionParams(m);
  const norms = 2 * h;
  let total = embeddings + h;
  let active = total;
  for (let layer = 0; layer < m.numHiddenLayers; layer += 1) {
    const mlp = mlpParams(m, layer);
    total += attention + norms + mlp.total;
    active += attention + norms + mlp.active;
  }
  return { total, active };
}

/**
 * KV-cache bytes one token needs on one GPU: 2 (K and V) × layers ÷ PP × KV heads per TP rank × head_dim × bytes.
 * vLLM replicates KV heads when TP exceeds them (QKVParallelLinear: one head per rank). MLA caches
 * kv_lora_rank + qk_rope_head_dim per layer on every rank.
 */
export function kvBytesPerToken(m: ModelEntry, bytes: number, tp: number, pp: number): number {
  const layers = Math.ceil(m.numHiddenLayers / pp);
  if (m.mla) return layers * (m.mla.kvLoraRank + m.mla.qkRopeHeadDim) * bytes;
  const kvPerRank = Math.max(1, m.numKeyValueHeads / tp);
  return 2 * layers * kvPerRank * headDimOf(m) * bytes;
}
