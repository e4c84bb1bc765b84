/**
 * The proposed model/hardware policies on manifests built from real model ids and GPU labels: each
 * policy has a failing and a passing case, unknown models and GPUs give no finding, and the
 * 12-kubeai failure report gives a finding that names the T4 and advises --dtype half.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocuments } from '../../../src/io/yaml.js';
import { reviewObject } from '../../../src/engine/engine.js';
import { deployment, engine, factsOf, findingsOf, ISSUE_12_POLICIES, ROOT } from './helpers.js';

const T4 = { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4' };
const A100_40 = { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB' };
const H100 = { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' };

function one(object: unknown, policy: string) {
  const found = findingsOf(object, policy);
  return found.length === 1 ? { action: found[0]!.action, outcome: found[0]!.outcome, message: found[0]!.message, remediation: found[0]!.remediation } : found.length;
}

t.test('the five policies are in the bundled catalogue', async (t) => {
  for (const id of ISSUE_12_POLICIES) t.ok(engine.policies.byId.has(id), id);
  t.same(engine.warnings, []);
});

t.test('12-kubeai: bf16-era vLLM on a T4 with no --dtype names the T4 and advises --dtype half', async (t) => {
  const file = path.join(ROOT, 'test/fixtures/cases/failure-reports/12-kubeai-t4-bf16-auto.yaml');
  const object = parseDocuments(readFileSync(file, 'utf8'))[0]!.value;
  const f = one(object, 'dtype-vs-accelerator');
  t.match(f, { action: 'warn', outcome: 'fail' });
  if (typeof f === 'number') return;
  t.match(f.message, 'Tesla T4');
  t.match(f.message, 'compute capability 7.5');
  t.match(f.message, 'Bfloat16 is only supported on GPUs with compute capability of at least 8.0');
  t.match(f.remediation, '--dtype half');
  t.notMatch(f.remediation, '--dtype bfloat16');
});

t.test('dtype-vs-accelerator', async (t) => {
  const bf16 = one(deployment({ args: ['Qwen/Qwen2.5-7B', '--dtype', 'bfloat16'], nodeSelector: T4 }), 'dtype-vs-accelerator');
  t.match(bf16, { action: 'deny', message: /--dtype bfloat16 on Tesla T4 .*Your Tesla T4 GPU has compute capability 7.5/, remediation: /--dtype half/ });
  const auto = one(deployment({ args: ['meta-llama/Llama-3.1-8B-Instruct'], nodeSelector: T4, image: 'vllm/vllm-openai:v0.6.3' }), 'dtype-vs-accelerator');
  t.match(auto, { action: 'deny', message: /Llama-3.1-8B-Instruct's bfloat16 checkpoint on Tesla T4 .* vLLM 0.6.3 does not fall back/ });
  const later = one(deployment({ args: ['meta-llama/Llama-3.1-8B-Instruct'], nodeSelector: T4, image: 'vllm/vllm-openai:latest' }), 'dtype-vs-accelerator');
  t.match(later, { action: 'warn', message: /refused by vLLM releases up to 0.8.4/ });
  const gemma = one(deployment({ args: ['google/gemma-2-9b-it', '--dtype', 'bfloat16'], nodeSelector: T4 }), 'dtype-vs-accelerator');
  t.match(gemma, { action: 'deny', remediation: /--dtype float32/ }, 'Gemma 2 refuses float16: the fix is float32');
  const awqV100 = one(deployment({ args: ['Qwen/Qwen2-7B-Instruct-AWQ', '--dtype', 'half'], nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-v100' } }), 'dtype-vs-accelerator');
  t.match(awqV100, { action: 'deny', message: /Minimum capability: 75. Current capability: 70./ });
  const fp8A100 = one(deployment({ args: ['neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8'], nodeSelector: A100_40 }), 'dtype-vs-accelerator');
  t.match(fp8A100, { action: 'warn', message: /FP8 on NVIDIA A100-SXM4-40GB \(compute capability 8.0\) runs as weight-only FP8/ }, 'FP8 on Ampere runs weight-only');
  t.equal(one(deployment({ args: ['Qwen/Qwen2.5-7B', '--dtype', 'half'], nodeSelector: T4 }), 'dtype-vs-accelerator'), 0, '--dtype half on a T4 passes');
  t.equal(one(deployment({ args: ['Qwen/Qwen2.5-7B', '--dtype', 'bfloat16'], nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } }), 'dtype-vs-accelerator'), 0, 'bfloat16 on an L4 passes');
  t.equal(one(deployment({ args: ['Qwen/Qwen2.5-7B', '--dtype', 'bfloat16'] }), 'dtype-vs-accelerator'), 0, 'no GPU product in the selector: no verdict');
});

t.test('parallelism-fits-model', async (t) => {
  const heads = one(deployment({ args: ['Qwen/Qwen2.5-7B', '--tensor-parallel-size', '8'], gpus: 8, nodeSelector: H100 }), 'parallelism-fits-model');
  t.match(heads, { action: 'deny', message: 'Total number of attention heads (28) must be divisible by tensor parallel size (8).' });
  const kv = one(deployment({ args: ['Qwen/Qwen3-30B-A3B', '--tensor-parallel-size', '8'], gpus: 8 }), 'parallelism-fits-model');
  t.equal(kv, 0, 'TP 8 over 4 KV heads replicates them: allowed');
  t.equal(one(deployment({ args: ['google/gemma-2-27b-it', '--tensor-parallel-size', '32'], gpus: 32 }), 'parallelism-fits-model'), 0, '32 ranks over 16 KV heads replicate each twice');
  const kvBad = one(deployment({ args: ['meta-llama/Llama-3.2-3B-Instruct', '--tensor-parallel-size', '6'], gpus: 6 }), 'parallelism-fits-model');
  t.match(kvBad, { action: 'deny', message: /8 KV heads: .*\("8 is not divisible by 6"\)/ }, '24 heads split over 6 ranks, but 8 KV heads do not');
  const pp = one(deployment({ args: ['Qwen/Qwen3-0.6B', '--pipeline-parallel-size', '32'], gpus: 32 }), 'parallelism-fits-model');
  t.match(pp, { action: 'deny', message: /more than Qwen3-0.6B's 28 layers/ });
  t.equal(one(deployment({ args: ['meta-llama/Llama-3.1-70B-Instruct', '-tp', '8'], gpus: 8 }), 'parallelism-fits-model'), 0);
  t.equal(one(deployment({ args: ['acme/private-13b', '-tp', '3'], gpus: 3 }), 'parallelism-fits-model'), 0, 'unknown model: no verdict');
});

t.test('context-within-model', async (t) => {
  const over = one(deployment({ args: ['Qwen/Qwen3-8B', '--max-model-len', '131072'] }), 'context-within-model');
  t.match(over, { action: 'deny', message: /User-specified max_model_len \(131072\) is greater than the derived max_model_len \(max_position_embeddings=40960 or model_max_length=None in model's config.json\). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1./ });
  const allowed = one(deployment({ args: ['Qwen/Qwen3-8B', '--max-model-len', '131072'], env: [{ name: 'VLLM_ALLOW_LONG_MAX_MODEL_LEN', value: '1' }] }), 'context-within-model');
  t.match(allowed, { action: 'warn', message: /allowed by VLLM_ALLOW_LONG_MAX_MODEL_LEN/ });
  t.equal(one(deployment({ args: ['deepseek-ai/DeepSeek-V3', '--max-model-len', '163840'], gpus: 8 }), 'context-within-model'), 0, 'yarn: 4096 × 40');
  t.equal(one(deployment({ args: ['meta-llama/Llama-3.1-8B-Instruct', '--max-model-len', '131072'] }), 'context-within-model'), 0, 'llama3 rope: max_position_embeddings already scaled');
  t.equal(one(deployment({ args: ['Qwen/Qwen3-8B', '--max-model-len', '131072', '--rope-scaling', '{"rope_type":"yarn","factor":4.0,"original_max_position_embeddings":32768}'] }), 'context-within-model'), 0, '--rope-scaling changes the context: no verdict');
});

t.test('model-fits-memory', async (t) => {
  const weights = one(deployment({ args: ['meta-llama/Llama-3.1-70B-Instruct', '-tp', '2', '--max-model-len', '8192'], gpus: 2, nodeSelector: A100_40 }), 'model-fits-memory');
  t.match(weights, { action: 'deny', message: /Llama-3.1-70B-Instruct \(70.6B, bf16\) on 2 × A100-SXM4-40GB: 65.71 GiB of weights per GPU with TP 2 × PP 1, more than 40 GiB × 0.9 = 36 GiB/ });
  const L4 = { 'karpenter.k8s.aws/instance-gpu-name': 'l4' };
  const kv = one(deployment({ args: ['meta-llama/Llama-3.1-8B-Instruct'], nodeSelector: L4 }), 'model-fits-memory');
  t.match(kv, { action: 'deny', message: /To serve at least one request with the model's max seq len \(131072\), \(16 GiB KV cache is needed, which is larger than the available KV cache memory \(6.64 GiB\)/ }, 'no --max-model-len: the full 128k context');
  t.match(one(deployment({ args: ['meta-llama/Llama-3.1-8B-Instruct'], nodeSelector: L4 }), 'model-fits-memory'), { remediation: /--max-model-len to 54415 or less/ });
  t.equal(one(deployment({ args: ['Qwen/Qwen2.5-14B', '--max-model-len', '131072'], nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' } }), 'model-fits-memory'), 0, '24 GiB of KV fit next to 27.5 GiB of weights on an 80 GB A100');
  const marginal = one(deployment({ args: ['meta-llama/Llama-3.1-8B-Instruct', '--max-model-len', '48000'], nodeSelector: L4 }), 'model-fits-memory');
  t.match(marginal, { action: 'warn', message: /is marginal/ });
  t.equal(one(deployment({ args: ['meta-llama/Llama-3.1-70B-Instruct', '-tp', '4', '--max-model-len', '8192'], gpus: 4, nodeSelector: A100_40 }), 'model-fits-memory'), 0, 'TP 4 on 40 GB A100s fits');
  t.equal(one(deployment({ args: ['hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4', '-tp', '2', '--max-model-len', '8192'], gpus: 2, nodeSelector: A100_40 }), 'model-fits-memory'), 0, 'AWQ 4-bit halves the weights twice');
  t.equal(one(deployment({ args: ['meta-llama/Llama-3.1-70B-Instruct', '-tp', '2'], gpus: 2 }), 'model-fits-memory'), 0, 'no GPU product: no verdict');
  const annotated = deployment({ args: ['acme/acme-70b-chat', '-tp', '2'], gpus: 2, nodeSelector: A100_40 }) as { metadata: Record<string, unknown> };
  annotated.metadata.annotations = { 'llm-readiness/param-count': '70B' };
  t.match(one(annotated, 'model-fits-memory'), { action: 'deny', message: 'acme-70b-chat (70.0B per param-count annotation) on 2 × A100-SXM4-40GB: 65.19 GiB of weights per GPU' }, 'a model not in the catalogue, judged by its param-count annotation');
});

t.test('multinode-backend', async (t) => {
  const lws = (args: string[], resource = 'nvidia.com/gpu') => ({
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'ds', namespace: 'ml' },
    spec: {
      leaderWorkerTemplate: {
        size: 2,
        leaderTemplate: { spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', command: ['vllm', 'serve'], args, resources: { limits: { [resource]: '8' } } }] } },
        workerTemplate: { spec: { containers: [{ name: 'worker', image: 'vllm/vllm-openai:v0.10.1', command: ['ray', 'start', '--block'], resources: { limits: { [resource]: '8' } } }] } },
      },
    },
  });
  t.match(one(lws(['deepseek-ai/DeepSeek-V3', '-tp', '8', '-pp', '2'], 'habana.ai/gaudi'), 'multinode-backend'), { action: 'warn', message: /some vLLM releases pick Ray by themselves/ }, 'Gaudi without a backend: v0.6.x picked Ray there (ray_only_devices), so no denial');
  t.match(one(lws(['deepseek-ai/DeepSeek-V3', '-tp', '8', '-pp', '2', '--distributed-executor-backend', 'mp'], 'habana.ai/gaudi'), 'multinode-backend'), { action: 'deny', message: /World size \(16\) is larger than the number of available GPUs \(8\) in this node/ });
  // The tag names a CUDA release below v0.12.0: which one, and what it does without a backend.
  t.match(one(lws(['deepseek-ai/DeepSeek-V3', '-tp', '8', '-pp', '2']), 'multinode-backend'), { action: 'warn', message: /no --distributed-executor-backend is set: vLLM v0\.10\.1 switches to the Ray backend by itself when Ray is installed in the image, and otherwise exits with "World size \(16\)/ });
  t.equal(one(lws(['deepseek-ai/DeepSeek-V3', '-tp', '8', '-pp', '2', '--distributed-executor-backend', 'ray']), 'multinode-backend'), 0);
  t.equal(one(lws(['deepseek-ai/DeepSeek-V3', '-tp', '8']), 'multinode-backend'), 0, 'TP 8 fits one pod');
});

t.test('facts say which model and GPU a verdict assumed', async (t) => {
  const [facts] = factsOf(deployment({ args: ['meta-llama/Llama-3.1-70B-Instruct', '-tp', '2'], gpus: 2, nodeSelector: A100_40 }));
  t.equal((facts!.fit as { summary: string }).summary, 'Llama-3.1-70B-Instruct (70.6B, bf16) on 2 × A100-SXM4-40GB');
  const [unknown] = factsOf(deployment({ args: ['acme/private-13b'] }));
  t.match(unknown!.model, { known: false, reason: 'model acme/private-13b is not in the catalogue: add it (engine config knowledge.models)' });
  t.match(unknown!.gpu, { known: false, reason: /no nodeSelector or required node affinity names the GPU product/ });
});

t.test('no rendered message or remediation is cut short', async (t) => {
  const objects = [
    deployment({ args: ['meta-llama/Llama-3.1-70B-Instruct', '-tp', '2', '--max-model-len', '8192'], gpus: 2, nodeSelector: A100_40 }),
    deployment({ args: ['meta-llama/Llama-3.1-8B-Instruct'], nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } }),
    deployment({ args: ['meta-llama/Llama-3.1-8B-Instruct', '--max-model-len', '48000'], nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } }),
    deployment({ args: ['neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8'], nodeSelector: A100_40 }),
    deployment({ args: ['Qwen/Qwen2-7B-Instruct-AWQ'], nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-v100' } }),
    deployment({ args: ['meta-llama/Llama-3.2-3B-Instruct', '-tp', '6'], gpus: 6 }),
    deployment({ args: ['Qwen/Qwen3-0.6B', '-pp', '32'], gpus: 32 }),
    deployment({ args: ['meta-llama/Llama-3.1-8B-Instruct'], nodeSelector: T4, image: 'vllm/vllm-openai:v0.6.3' }),
    deployment({ args: ['google/gemma-2-9b-it', '--dtype', 'bfloat16', '-tp', '3'], gpus: 3, nodeSelector: T4 }),
    deployment({ args: ['Qwen/Qwen3-8B', '--max-model-len', '131072'], nodeSelector: H100 }),
    deployment({ args: ['google/gemma-2-2b-it', '--dtype', 'half'], nodeSelector: T4 }),
  ];
  for (const f of objects.flatMap((o) => findingsOf(o)).filter((f) => ISSUE_12_POLICIES.includes(f.policy))) {
    t.notMatch(`${f.message} ${f.remediation}`, '…', `${f.policy}: ${f.message}`);
    t.notMatch(`${f.message} ${f.remediation}`, 'not set', `${f.policy}: every placeholder has a value`);
  }
});

t.test('the model, gpu and fit facts validate against policies/facts.schema.json', async (t) => {
  const { Ajv } = await import('ajv');
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'policies/facts.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const objects = [
    deployment({ args: ['meta-llama/Llama-3.1-70B-Instruct', '-tp', '2'], gpus: 2, nodeSelector: A100_40 }),
    deployment({ args: ['acme/private-13b'] }),
    deployment({ args: ['Qwen/Qwen2-7B-Instruct-AWQ'], nodeSelector: T4 }, ),
  ];
  for (const facts of objects.flatMap((o) => factsOf(o))) {
    t.ok(validate(facts), JSON.stringify(validate.errors?.slice(0, 3)));
    t.ok(facts.model && facts.gpu && facts.fit, 'the three new facts are present');
  }
});

t.test('dtype-explicit suggests the dtype the GPU runs, and the review says what it assumed', async (t) => {
  const file = path.join(ROOT, 'test/fixtures/cases/failure-reports/12-kubeai-t4-bf16-auto.yaml');
  const object = parseDocuments(readFileSync(file, 'utf8'))[0]!.value;
  const explicit = findingsOf(object, 'dtype-explicit');
  t.equal(explicit.length, 1);
  t.equal(explicit[0]!.remediation, 'set --dtype explicitly, e.g. --dtype half', 'a T4: half, not bfloat16');
  const gemma = findingsOf(deployment({ args: ['google/gemma-2-9b-it'], nodeSelector: T4 }), 'dtype-explicit');
  t.match(gemma[0]?.remediation, /--dtype float32$/, 'Gemma 2 on a T4: float32');
  const l4 = findingsOf(deployment({ args: ['Qwen/Qwen3-8B'], nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } }), 'dtype-explicit');
  t.match(l4[0]?.remediation, /--dtype bfloat16$/);
  const none = findingsOf(deployment({ args: ['Qwen/Qwen3-8B'] }), 'dtype-explicit');
  t.match(none[0]?.remediation, /--dtype bfloat16 \(or half on GPUs older than Ampere\)/, 'no GPU named: the general advice');
  const review = reviewObject(engine, deployment({ args: ['meta-llama/Llama-3.1-70B-Instruct', '-tp', '2'], gpus: 2, nodeSelector: A100_40 }));
  t.same(review.assumed, ['Llama-3.1-70B-Instruct (70.6B, bf16) on 2 × A100-SXM4-40GB']);
  t.equal(reviewObject(engine, deployment({ args: ['acme/private-13b'] })).assumed, undefined, 'nothing known, nothing assumed');
});
