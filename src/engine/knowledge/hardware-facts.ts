/**
 * The `model`, `gpu` and `fit` facts (policies/facts.schema.json) of one vLLM server container,
 * derived from the facts the engine already built (vllm, pod, accelerators, image, env, workload).
 * Unknown stays unknown: a model or GPU the catalogues do not know gives `known: false` with the
 * reason, and every check that needs it answers `unknown` (no finding).
 */
import { checkContext, derivedMaxModelLen } from './checks/context.js';
import { checkDtype, isFloat16Blocked } from './checks/dtype.js';
import type { CheckInputs } from './checks/inputs.js';
import { checkMemory } from './checks/memory.js';
import { checkMultinode } from './checks/multinode.js';
import { checkParallelism } from './checks/parallelism.js';
import { headDimOf } from './architecture.js';
import type { Knowledge } from './knowledge.js';
import { stripQuantization, type ModelResolution } from './model-catalogue.js';
import type { Placement } from './gpu-catalogue.js';
import { parseRelease } from './release.js';
import type { CheckResult } from './verdict.js';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

const SHORT_DTYPE: Readonly<Record<string, string>> = { bfloat16: 'bf16', float16: 'fp16', half: 'fp16', float32: 'fp32', float: 'fp32' };

/** "Llama-3.1-70B-Instruct (70.6B, bf16)". */
function modelLabel(model: ModelResolution, dtype: string | null): string | null {
  if (!model.known) return null;
  const { displayName, params, quantization, entry } = model.model;
  const precision = quantization
    ? `${quantization.method}${quantization.bits ? ` ${quantization.bits}-bit` : ''}`
    : (SHORT_DTYPE[(dtype && dtype !== 'auto' ? dtype : entry.torchDtype) ?? ''] ?? entry.torchDtype ?? 'auto');
  return `${displayName} (${(params.total / 1e9).toFixed(1)}B, ${precision})`;
}

function lastSegment(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** bfloat16 from compute capability 8.0; below it half, or float32 where vLLM refuses float16 (FP16_BLOCKED in checks/dtype.ts). */
function suggestDtype(cc: number | null, modelType: string | null): string | null {
  if (cc === null) return null;
  if (cc >= 8) return 'bfloat16';
  return modelType !== null && isFloat16Blocked(modelType) ? 'float32' : 'half';
}

/** "2 × A100-SXM4-40GB". */
function gpuLabel(gpu: Placement, count: number): string | null {
  if (!gpu.name) return null;
  const name = gpu.name.startsWith('NVIDIA ') ? gpu.name.slice(7) : gpu.name;
  return count > 1 ? `${count} × ${name}` : name;
}

/** Whether `v` is a plain object with an own member: `Object.keys(obj(v)).length > 0` without the list (or the `{}`) per review. */
function hasMembers(v: unknown): v is Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const key in v) if (Object.hasOwn(v, key)) return true;
  return false;
}

/** Whether an own option name of `args` is rope-scaling or starts with hf-overrides: a loop, not `Object.keys(args).some(…)`. */
function overridesConfig(args: Obj): boolean {
  for (const k in args) if ((k === 'rope-scaling' || k.startsWith('hf-overrides')) && Object.hasOwn(args, k)) return true;
  return false;
}

function allowLong(env: Obj): boolean | null {
  const fact = env.VLLM_ALLOW_LONG_MAX_MODEL_LEN;
  if (!hasMembers(fact)) return false;
  if (fact.source !== 'literal') return null;
  return ['1', 'true', 'True', 'TRUE'].includes(str(fact.value) ?? '');
}

/**
 * The check inputs that are plain values read off an engine facts document, before any catalogue
 * look-up: with the pod's GPU placement they decide every hardware fact (hardware-facts-memo.ts
 * keys on them, in this order).
 */
export function checkValuesOf(facts: Obj) {
  const vllm = obj(facts.vllm);
  const args = obj(vllm.args);
  const parallel = obj(vllm.parallel);
  const accelerators = obj(facts.accelerators);
  const image = obj(facts.image);
  return {
    modelId: str(vllm.model),
    /** The vLLM release the image reference names (facts/image.ts `vllmVersion`); null when it names none. */
    releaseText: str(image.vllmVersion),
    dtype: str(vllm.dtype),
    quantization: str(vllm.quantization),
    kvCacheDtype: str(vllm.kvCacheDtype),
    tensorParallel: num(parallel.tensor) ?? 1,
    pipelineParallel: num(parallel.pipeline) ?? 1,
    dataParallel: num(parallel.data) ?? 1,
    expertParallel: args['enable-expert-parallel'] === true,
    maxModelLen: (num(vllm.maxModelLen) ?? str(vllm.maxModelLen)),
    gpuMemoryUtilization: (num(vllm.gpuMemoryUtilization) ?? str(vllm.gpuMemoryUtilization)),
    allowLongMaxModelLen: allowLong(obj(facts.env)),
    configOverridden: overridesConfig(args),
    groupSize: num(obj(facts.workload).groupSize) ?? 1,
    devicesPerPod: num(accelerators.limit) ?? 0,
    acceleratorResources: Array.isArray(accelerators.resources) ? accelerators.resources.filter((r): r is string => typeof r === 'string') : [],
    executorBackend: str(args['distributed-executor-backend']),
    nnodes: num(args['nnodes']),
    annotatedParams: parseParamCount(obj(facts.intent)['param-count']),
    /** Accelerators of the whole serving group (accelerators.groupTotal), for the GPU count. */
    groupTotal: num(accelerators.groupTotal),
  };
}

/** Reads the check inputs out of an engine facts document. */
export function checkInputsOf(facts: Obj, knowledge: Knowledge): CheckInputs {
  const v = checkValuesOf(facts);
  const model = knowledge.models.resolve(v.modelId, v.quantization);
  return {
    model,
    gpu: knowledge.gpus.placement(facts.pod, v.acceleratorResources),
    release: parseRelease(v.releaseText),
    dtype: v.dtype,
    quantization: v.quantization,
    kvCacheDtype: v.kvCacheDtype,
    tensorParallel: v.tensorParallel,
    pipelineParallel: v.pipelineParallel,
    dataParallel: v.dataParallel,
    expertParallel: v.expertParallel,
    maxModelLen: v.maxModelLen,
    gpuMemoryUtilization: v.gpuMemoryUtilization,
    allowLongMaxModelLen: v.allowLongMaxModelLen,
    configOverridden: v.configOverridden,
    groupSize: v.groupSize,
    devicesPerPod: v.devicesPerPod,
    acceleratorResources: v.acceleratorResources,
    executorBackend: v.executorBackend,
    nnodes: v.nnodes,
    annotatedParams: v.annotatedParams,
    idQuantizationBits: model.known ? null : (stripQuantization(v.modelId ?? '').quantization?.bits ?? null),
  };
}

/** "70B", "1.5b", "405B", "7000M", "8030261248" → parameters; anything else → null. */
export function parseParamCount(value: unknown): number | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 24) return null;
  const text = value.trim().toUpperCase();
  const unit = text.endsWith('B') ? 1e9 : text.endsWith('M') ? 1e6 : text.endsWith('T') ? 1e12 : 1;
  const digits = unit === 1 ? text : text.slice(0, -1);
  if (digits === '') return null;
  // A loop over the code units, not `[...digits].some(…)` (an array of characters per review, step 38):
  // any unit but a digit or a dot refuses, as any character but those did.
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if ((c < 48 || c > 57) && c !== 46) return null;
  }
  const n = Number(digits) * unit;
  return Number.isFinite(n) && n >= 1e6 ? n : null;
}

export interface HardwareFacts {
  model: Obj;
  gpu: Obj;
  fit: Record<'dtype' | 'parallelism' | 'context' | 'memory' | 'multinode', CheckResult> & {
    summary: string | null;
    /** The --dtype to suggest on the weakest allowed GPU: bfloat16 (CC ≥ 8.0), half, or float32 for families vLLM refuses in float16; null when the GPU is unknown. */
    suggestedDtype: string | null;
  };
}

/** Builds the model, gpu and fit facts; pure, bounded by the catalogue sizes. */
export function buildHardwareFacts(facts: Obj, knowledge: Knowledge): HardwareFacts {
  const inp = checkInputsOf(facts, knowledge);
  const m = inp.model;
  const count = Math.max(num(obj(facts.accelerators).groupTotal) ?? 0, inp.devicesPerPod);
  const model: Obj = m.known
    ? {
        known: true,
        id: m.model.entry.id,
        name: m.model.displayName,
        label: modelLabel(m, inp.dtype),
        params: m.model.params.total,
        activeParams: m.model.params.active,
        torchDtype: m.model.entry.torchDtype,
        quantization: m.model.quantization?.method ?? null,
        layers: m.model.entry.numHiddenLayers,
        attentionHeads: m.model.entry.numAttentionHeads,
        kvHeads: m.model.entry.numKeyValueHeads,
        headDim: headDimOf(m.model.entry),
        maxPositionEmbeddings: m.model.entry.maxPositionEmbeddings,
        derivedMaxModelLen: derivedMaxModelLen(m.model.entry),
        source: `${m.model.entry.source.repo}/${m.model.entry.source.path}`,
        reason: null,
      }
    : {
        known: false,
        reason: m.reason,
        // The owner's param-count annotation still lets the weights be judged.
        ...(inp.annotatedParams !== null ? { name: lastSegment(str(obj(facts.vllm).model) ?? ''), label: `${lastSegment(str(obj(facts.vllm).model) ?? 'model')} (${(inp.annotatedParams / 1e9).toFixed(1)}B per param-count annotation)`, params: inp.annotatedParams } : {}),
      };
  const g = inp.gpu;
  const gpu: Obj = {
    known: g.known,
    name: g.name,
    label: gpuLabel(g, count),
    products: g.products.map((p) => p.id),
    computeCapability: g.computeCapability === null ? null : g.computeCapability.toFixed(1),
    memoryGiB: g.memoryGiB,
    count,
    from: g.from,
    reason: g.reason,
  };
  const modelText = typeof model.label === 'string' ? model.label : null;
  const gpuText = typeof gpu.label === 'string' ? gpu.label : null;
  return {
    model,
    gpu,
    fit: {
      dtype: checkDtype(inp, knowledge.gpus),
      parallelism: checkParallelism(inp),
      context: checkContext(inp),
      memory: checkMemory(inp, knowledge.options),
      multinode: checkMultinode(inp),
      summary: modelText && gpuText ? `${modelText} on ${gpuText}` : (modelText ?? gpuText),
      suggestedDtype: suggestDtype(g.computeCapability, m.known ? m.model.entry.modelType : null),
    },
  };
}
