/** The model/hardware checks on their own: every verdict and the inputs that make a check unknown. */
import t from 'tap';
import { checkContext } from '../../../src/engine/knowledge/checks/context.js';
import { checkDtype } from '../../../src/engine/knowledge/checks/dtype.js';
import type { CheckInputs } from '../../../src/engine/knowledge/checks/inputs.js';
import { checkMemory } from '../../../src/engine/knowledge/checks/memory.js';
import { checkMultinode } from '../../../src/engine/knowledge/checks/multinode.js';
import { checkParallelism } from '../../../src/engine/knowledge/checks/parallelism.js';
import { buildHardwareFacts, parseParamCount } from '../../../src/engine/knowledge/hardware-facts.js';
import { createKnowledge } from '../../../src/engine/knowledge/knowledge.js';
import { parseRelease, releaseSide } from '../../../src/engine/knowledge/release.js';

const k = createKnowledge();

type Overrides = Partial<Omit<CheckInputs, 'gpu' | 'model' | 'release'>> & { id?: string | null; gpu?: Record<string, string>; image?: string | null };

function inputs(over: Overrides): CheckInputs {
  const { id = 'meta-llama/Llama-3.1-8B-Instruct', gpu = { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' }, image = '0.10.1', ...rest } = over;
  return {
    model: k.models.resolve(id, rest.quantization ?? null),
    gpu: k.gpus.placement({ nodeSelector: gpu }),
    release: parseRelease(image),
    dtype: null, quantization: null, kvCacheDtype: null,
    tensorParallel: 1, pipelineParallel: 1, dataParallel: 1, expertParallel: false,
    maxModelLen: 8192, gpuMemoryUtilization: null, allowLongMaxModelLen: false, configOverridden: false,
    groupSize: 1, devicesPerPod: 1, acceleratorResources: ['nvidia.com/gpu'], executorBackend: null, nnodes: null, annotatedParams: null, idQuantizationBits: null,
    ...rest,
  };
}

const T4 = { 'nvidia.com/gpu.product': 'Tesla-T4' };
const V100 = { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-v100' };

t.test('releases from image tags', async (t) => {
  t.match(parseRelease('v0.9.0.post1'), { major: 0, minor: 9, patch: 0, text: '0.9.0' });
  t.match(parseRelease('0.10.1.1'), { text: '0.10.1' });
  for (const tag of [null, '', 'latest', 'v0.9', 'nightly-2025', '0.x.1', '1234567.0.0']) t.equal(parseRelease(tag), null, String(tag));
  t.equal(releaseSide(parseRelease('0.8.4')!, [0, 8, 5]), 'before');
  t.equal(releaseSide(parseRelease('0.8.5')!, [0, 8, 5]), 'after');
  t.equal(releaseSide(parseRelease('0.7.9')!, [0, 8, 0]), 'before');
  t.equal(releaseSide(parseRelease('1.0.0')!, [0, 9, 0]), 'after');
  // PEP 440: a pre-release of the boundary's own release is on neither side for sure.
  t.equal(releaseSide(parseRelease('0.12.0rc1')!, [0, 12, 0]), 'unsure');
  t.equal(releaseSide(parseRelease('0.12.0rc1')!, [0, 12, 1]), 'before');
  t.equal(parseRelease('v0.12.0-rc.1')?.text, '0.12.0rc1');
});

t.test('dtype: every case', async (t) => {
  t.match(checkDtype(inputs({ dtype: 'bfloat16' }), k.gpus), { verdict: 'ok' }, 'H100 runs bfloat16');
  t.match(checkDtype(inputs({ gpu: {} }), k.gpus), { verdict: 'unknown', message: /GPU could not be verified/ });
  t.match(checkDtype(inputs({ gpu: T4, dtype: 'float16' }), k.gpus), { verdict: 'ok' });
  t.match(checkDtype(inputs({ gpu: T4, id: 'meta-llama/Llama-3.1-8B-Instruct', image: '0.8.4' }), k.gpus), { verdict: 'deny', case: 'auto-bf16' });
  t.match(checkDtype(inputs({ gpu: T4, image: '0.9.2' }), k.gpus), { verdict: 'warn', case: 'auto-fallback' });
  t.match(checkDtype(inputs({ gpu: T4, image: null }), k.gpus), { verdict: 'warn', case: 'auto-fallback', message: /image tag does not say/ });
  t.match(checkDtype(inputs({ gpu: T4, id: 'openai/gpt-oss-20b', image: '0.7.1' }), k.gpus), { case: 'auto-raises' }, 'no torch_dtype in config.json: unknown checkpoint dtype');
  t.match(checkDtype(inputs({ gpu: T4, id: 'google/gemma-2-9b-it', image: '0.7.1' }), k.gpus), { remediation: /--dtype float32 explicitly/ });
  t.match(checkDtype(inputs({ gpu: V100, quantization: 'fp8', dtype: 'half' }), k.gpus), { verdict: 'deny', case: 'quant-min' }, 'V100 is below every FP8 minimum');
  t.match(checkDtype(inputs({ gpu: T4, quantization: 'fp8', dtype: 'half' }), k.gpus), { verdict: 'warn', case: 'fp8-release' });
  t.match(checkDtype(inputs({ quantization: 'fp8' }), k.gpus), { verdict: 'ok', message: /natively/ });
  t.match(checkDtype(inputs({ gpu: T4, quantization: 'gptq_marlin', dtype: 'half' }), k.gpus), { verdict: 'ok' });
  t.match(checkDtype(inputs({ gpu: V100, quantization: 'marlin', dtype: 'half' }), k.gpus), { verdict: 'deny', vllmError: /Minimum capability: 75. Current capability: 70./ });
  t.match(checkDtype(inputs({ gpu: T4, quantization: 'bitsandbytes', dtype: 'half' }), k.gpus), { verdict: 'ok' }, 'a method without a sourced minimum gives no quantization verdict');
});

t.test('parallelism and context: unknown inputs', async (t) => {
  t.match(checkParallelism(inputs({ id: null })), { verdict: 'unknown', message: /no model id/ });
  t.match(checkParallelism(inputs({ id: 'deepseek-ai/DeepSeek-V3', tensorParallel: 16 })), { verdict: 'ok' }, 'MLA: KV heads are not split');
  t.match(checkContext(inputs({ id: 'acme/x' })), { verdict: 'unknown' });
  t.match(checkContext(inputs({ maxModelLen: null })), { verdict: 'ok', message: /131072 tokens/ });
  t.match(checkContext(inputs({ maxModelLen: 'auto' })), { verdict: 'unknown' });
  t.match(checkContext(inputs({ maxModelLen: 262144, allowLongMaxModelLen: null })), { verdict: 'unknown', message: /cannot be known/ });
  t.match(checkContext(inputs({ maxModelLen: 262144, configOverridden: true })), { verdict: 'unknown' });
  t.match(checkContext(inputs({ id: 'microsoft/Phi-3.5-mini-instruct', maxModelLen: 131072 })), { verdict: 'ok' }, 'longrope is not multiplied');
});

t.test('memory: formula terms and unknowns', async (t) => {
  t.match(checkMemory(inputs({ id: 'acme/x' })), { verdict: 'unknown' });
  t.match(checkMemory(inputs({ gpu: {} })), { verdict: 'unknown', message: /GPU memory could not be verified/ });
  t.match(checkMemory(inputs({ gpuMemoryUtilization: '${UTIL}' })), { verdict: 'unknown' });
  t.match(checkMemory(inputs({ gpuMemoryUtilization: 1.5 })), { verdict: 'unknown' });
  t.match(checkMemory(inputs({ maxModelLen: 'auto' })), { verdict: 'ok', message: /resolved at start/ });
  const f32 = checkMemory(inputs({ dtype: 'float32', gpu: T4, maxModelLen: 2048 }));
  t.match(f32, { verdict: 'deny', case: 'weights', assumed: { bytesPerParam: 4 } }, '8B in float32 on a T4');
  const fp8kv = checkMemory(inputs({ kvCacheDtype: 'fp8_e4m3', maxModelLen: 8192 }));
  t.equal(fp8kv.assumed.kvBytesPerToken, 65536, '--kv-cache-dtype fp8 halves the KV bytes');
  const mla = checkMemory(inputs({ id: 'deepseek-ai/DeepSeek-V2-Lite-Chat', maxModelLen: 1000 }));
  t.equal(mla.assumed.kvBytesPerToken, 27 * (512 + 64) * 2, 'MLA caches kv_lora_rank + rope dim per layer');
  const ep = checkMemory(inputs({ id: 'Qwen/Qwen3-30B-A3B', expertParallel: true, dataParallel: 4, gpu: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } }));
  const noEp = checkMemory(inputs({ id: 'Qwen/Qwen3-30B-A3B', gpu: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } }));
  t.match(noEp, { verdict: 'deny', case: 'weights' });
  t.not(ep.case, 'weights', 'expert parallelism over DP 4 spreads the experts');
  const gemma = checkMemory(inputs({ id: 'google/gemma-2-27b-it', gpu: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' }, maxModelLen: 8192 * 40, configOverridden: false }));
  t.equal(gemma.assumed.kvIsUpperBound, true);
  t.not(gemma.case, 'kv', 'sliding-window layers: the KV estimate is an upper bound, never a deny');
  const awq = checkMemory(inputs({ id: 'Qwen/Qwen2-7B-Instruct-GPTQ', gpu: T4 }));
  t.equal(awq.assumed.bytesPerParam, 0.5, 'unknown GPTQ bits: 4 bits, a lower bound');
});

t.test('multinode: every case', async (t) => {
  t.match(checkMultinode(inputs({ groupSize: 2, devicesPerPod: 0 })), { verdict: 'unknown' });
  t.match(checkMultinode(inputs({ groupSize: 2, devicesPerPod: 8, tensorParallel: 8, pipelineParallel: 2, nnodes: 2 })), { verdict: 'ok', message: /--nnodes 2/ });
  t.match(checkMultinode(inputs({ groupSize: 2, devicesPerPod: 8, tensorParallel: 16, executorBackend: 'mp' })), { verdict: 'deny', message: /\(--distributed-executor-backend mp\)/ });
  t.match(checkMultinode(inputs({ groupSize: 2, devicesPerPod: 8, tensorParallel: 16, acceleratorResources: ['amd.com/gpu'] })), { verdict: 'warn' });
  t.match(checkMultinode(inputs({ tensorParallel: 16 })), { verdict: 'ok', message: /one pod/ });
});

t.test('hardware facts from an engine facts document', async (t) => {
  const facts = {
    vllm: { model: 'Qwen/Qwen3-8B', args: { 'hf-overrides.rope_scaling.factor': 4, 'enable-expert-parallel': true }, parallel: { tensor: 1, pipeline: 1, data: 1 }, dtype: 'bfloat16', maxModelLen: 131072 },
    pod: { nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } },
    accelerators: { limit: 1, groupTotal: 1, resources: ['nvidia.com/gpu'] },
    image: { repository: 'acme/server', version: '0.7.1' },
    env: { VLLM_ALLOW_LONG_MAX_MODEL_LEN: { source: 'secretKeyRef', empty: false } },
    workload: { groupSize: 1 },
  };
  const h = buildHardwareFacts(facts, k);
  t.match(h.fit.context, { verdict: 'unknown' }, '--hf-overrides changes the context');
  t.match(h.fit.dtype.assumed, { release: null }, 'an image that is not vLLM says nothing about the release');
  t.equal(h.fit.summary, 'Qwen3-8B (8.2B, bf16) on L4');
  const bare = buildHardwareFacts({}, k);
  t.match(bare, { model: { known: false }, gpu: { known: false, label: null }, fit: { summary: null } });
  const quantized = buildHardwareFacts({ vllm: { model: 'Qwen/Qwen2-7B-Instruct-AWQ' } }, k);
  t.equal(quantized.model.label, 'Qwen2-7B-Instruct-AWQ (7.6B, awq 4-bit)');
  t.equal(quantized.fit.summary, 'Qwen2-7B-Instruct-AWQ (7.6B, awq 4-bit)', 'no GPU: the model alone');
  t.equal(createKnowledge({ overheadGiB: 4 }).options.overheadGiB, 4, 'the config sets the assumed overhead');
});

t.test('a model the catalogue does not know, with a param-count annotation: the weights alone', async (t) => {
  t.equal(parseParamCount('70B'), 70e9);
  t.equal(parseParamCount('1.5b'), 1.5e9);
  t.equal(parseParamCount('8030261248'), 8030261248);
  for (const bad of ['', 'seventy', '70 B', '1e9', '12', null, 7e9, '7-0B', '70\u00b2B', '\u{1F600}B']) t.equal(parseParamCount(bad), null, String(bad));
  const a100 = { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB' };
  t.match(checkMemory(inputs({ id: 'acme/acme-70b', gpu: a100, tensorParallel: 1, annotatedParams: 70e9 })), { verdict: 'deny', case: 'weights', assumed: { paramsFrom: 'annotation param-count', minGpus: 4 } });
  t.match(checkMemory(inputs({ id: 'acme/acme-70b-AWQ', gpu: a100, annotatedParams: 70e9, idQuantizationBits: 4 })), { verdict: 'unknown', message: /add the model to the catalogue/ }, 'AWQ 4-bit: 32.6 GiB fits 36 GiB');
  t.match(checkMemory(inputs({ id: 'acme/acme-70b', gpu: a100, annotatedParams: 70e9, quantization: 'gptq' })), { verdict: 'unknown' });
  t.match(checkMemory(inputs({ id: 'acme/acme-70b' })), { verdict: 'unknown', message: /model could not be verified/ });
  const h = buildHardwareFacts({ vllm: { model: 'acme/acme-13b' }, intent: { 'param-count': '13B' }, pod: { nodeSelector: { 'nvidia.com/gpu.product': 'Tesla-T4' } } }, k);
  t.match(h.fit.memory, { verdict: 'deny', assumed: { params: 13e9 } }, '13B in 16-bit on a 16 GB T4');
});
