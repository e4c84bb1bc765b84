/**
 * Shapes of the GPU and model catalogues (issue 12). Plain JSON data: the bundled gpus.json and
 * models.json, extended by a platform team's entries through the engine config.
 */

/** Rope scaling as vLLM reads it from config.json (`rope_scaling.type` or `.rope_type`). */
export interface RopeScaling {
  type: string;
  factor?: number;
  originalMaxPositionEmbeddings?: number;
}

export interface MoeShape {
  experts: number;
  expertsPerToken: number;
  expertIntermediateSize: number;
  /** Qwen-MoE style: one shared expert of this width. */
  sharedExpertIntermediateSize?: number;
  /** DeepSeek style: this many shared experts of expertIntermediateSize. */
  sharedExperts?: number;
  /** DeepSeek `first_k_dense_replace`: the first layers keep a dense MLP of intermediateSize. */
  firstDenseLayers?: number;
}

/** DeepSeek multi-head latent attention (MLA). */
export interface MlaShape {
  kvLoraRank: number;
  qLoraRank: number | null;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
}

export interface SourceRef {
  /** owner/name on GitHub, or `search-index` when only the search index's file id is known (indexId). */
  repo: string;
  indexId?: string;
  path: string;
  commit?: string;
  entry?: string;
  note?: string;
}

/** One model's config.json facts; numbers as config.json states them. */
export interface ModelEntry {
  /** Hugging Face id, org/name. */
  id: string;
  aliases?: string[];
  architecture: string;
  modelType: string;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  /** Explicit `head_dim`; absent means hidden_size ÷ num_attention_heads. */
  headDim?: number;
  hiddenSize: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositionEmbeddings: number;
  ropeScaling: RopeScaling | null;
  /** `torch_dtype` of the checkpoint; null when config.json has none. */
  torchDtype: string | null;
  tieWordEmbeddings: boolean;
  qkvBias?: boolean;
  moe?: MoeShape;
  mla?: MlaShape;
  /** Sliding-window attention; hybrid = only some layers slide (the KV estimate is then an upper bound). */
  attention?: { slidingWindow: number; hybrid: boolean };
  /** Quantization the checkpoint itself is stored in (config.json quantization_config.quant_method). */
  checkpointQuantization?: string;
  statedParams?: { total: number; active?: number; source: string };
  source: SourceRef;
  notes?: string;
}

export interface ModelCatalogueData {
  models: ModelEntry[];
}

export interface GpuProduct {
  id: string;
  name: string;
  /** Nominal memory (datasheet "GB"); the driver reports a little less. */
  memoryGiB: number;
  /** "major.minor". */
  computeCapability: string;
  sources: string[];
  /** Node label key → the values that name this product. */
  labels: Record<string, string[]>;
}

export interface QuantizationMinimum {
  minCapability: number;
  /** Below this the method runs, but without native kernels (FP8 → weight-only Marlin). */
  nativeCapability?: number;
  marlin?: boolean;
  source: string;
}

export interface GpuCatalogueData {
  sources?: Record<string, string>;
  products: GpuProduct[];
  /** node.kubernetes.io/instance-type → product id and GPUs per node. Keys starting with $ are comments. */
  instanceTypes?: Record<string, { product: string; gpus: number } | string>;
  /** nvidia.com/gpu.family → lowest compute capability of the family. */
  families?: Record<string, string>;
  mig?: { minComputeCapability: string; source: string };
  quantization?: Record<string, QuantizationMinimum | string>;
}
