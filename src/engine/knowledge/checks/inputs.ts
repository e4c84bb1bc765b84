/** What the model/hardware checks read: resolved model and GPU, plus the vLLM arguments that matter. */
import type { Placement } from '../gpu-catalogue.js';
import type { ModelResolution } from '../model-catalogue.js';
import type { Release } from '../release.js';

export interface CheckInputs {
  model: ModelResolution;
  gpu: Placement;
  /** vLLM release from the image tag; null when the tag floats or the image is not vLLM's. */
  release: Release | null;
  /** --dtype as written (null = absent, i.e. auto). */
  dtype: string | null;
  /** -q/--quantization as written. */
  quantization: string | null;
  kvCacheDtype: string | null;
  tensorParallel: number;
  pipelineParallel: number;
  dataParallel: number;
  expertParallel: boolean;
  /** --max-model-len: a number, text vLLM resolves at start (auto, -1), or null when absent. */
  maxModelLen: number | string | null;
  gpuMemoryUtilization: number | string | null;
  /** VLLM_ALLOW_LONG_MAX_MODEL_LEN: true/false, or null when its value cannot be known (Secret, ConfigMap). */
  allowLongMaxModelLen: boolean | null;
  /** --rope-scaling / --hf-overrides are set: the model's context is not config.json's. */
  configOverridden: boolean;
  /** Pods in the serving group (LeaderWorkerSet size), 1 otherwise. */
  groupSize: number;
  /** Accelerator devices this pod's container gets. */
  devicesPerPod: number;
  acceleratorResources: readonly string[];
  /** --distributed-executor-backend as written. */
  executorBackend: string | null;
  /** --nnodes (multi-node multiprocessing, vLLM ≥ 0.11). */
  nnodes: number | null;
  /** Parameter count the workload states (Phase-0 annotation param-count: 70B, 8030261248), for models not in the catalogue. */
  annotatedParams: number | null;
  /** Bits per weight a quantization suffix of an unknown model's id states (-AWQ, -FP8), else null. */
  idQuantizationBits: number | null;
}

export interface CheckOptions {
  /** GiB per GPU assumed for activations, CUDA graphs and non-torch memory in the marginal (warn) band. */
  overheadGiB: number;
  /** vLLM's default --gpu-memory-utilization (EngineArgs.gpu_memory_utilization). */
  defaultGpuMemoryUtilization: number;
}

/** 1.5 GiB is an assumption (not a vLLM figure): warn-band only; vLLM default utilization 0.9 (EngineArgs). */
export const DEFAULT_CHECK_OPTIONS: Readonly<CheckOptions> = Object.freeze({ overheadGiB: 1.5, defaultGpuMemoryUtilization: 0.9 });
