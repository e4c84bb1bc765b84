// LLMInferenceService spec.parallelism reaches vLLM through KServe's default config
// (config/llmisvcconfig/config-llm-template.yaml@v0.20.0: --tensor-parallel-size {{ .Spec.Parallelism.Tensor }}):
// modeled on kserve/kserve#4946 (tensor 2 on a one-GPU pod hangs). What a user of `check` sees.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { loadPolicies } from '../../src/policy/load.js';

const engine = createEngine({ config: loadConfig(null, { mode: 'enforce' }).engine, policies: loadPolicies(null) });
const text = readFileSync(fileURLToPath(new URL('../fixtures/recognition/llmisvc-parallelism-tp-over-gpus.yaml', import.meta.url)), 'utf8');
const objects = parseDocuments(text).map((d) => d.value);
const related = createRelatedSet(objects, { scope: 'the input set' });
const reviews: WorkloadReview[] = objects.map((o) => reviewObject(engine, o, { related }));
const gpuCount = (name: string) => reviews.find((r) => r.name === name)?.findings.filter((f) => f.policy === 'gpu-count-matches-parallelism') ?? [];

t.test('kserve/kserve#4946: tensor 2 with data 1 / dataLocal 1 is a one-pod group with one GPU: denied', async (t) => {
  const [f] = gpuCount('test-tp2');
  t.equal(f?.action, 'deny');
  t.equal(f?.outcome, 'fail');
  t.equal(f?.path, 'spec.template.containers[0].resources.limits');
  t.equal(
    f?.message,
    "spec.parallelism (tensor 2 × data 1) makes KServe's default config start vLLM with --tensor-parallel-size 2, which needs an accelerator count of 2, but LLMInferenceService test-tp2 has 1 across its 1-pod group: vLLM fails at start or waits forever for a placement group",
  );
  t.notOk(reviews.find((r) => r.name === 'test-tp2')?.findings.some((f) => f.path.startsWith('spec.worker')), 'a group of one pod has no worker pod to judge');
});

t.test('single node: tensor 2 on one GPU is denied, on two GPUs it is not', async (t) => {
  t.equal(gpuCount('single-node-tp2-one-gpu')[0]?.action, 'deny');
  t.match(gpuCount('single-node-tp2-one-gpu')[0]?.message, /needs an accelerator count of 2, but LLMInferenceService single-node-tp2-one-gpu has 1/);
  t.notOk(gpuCount('single-node-tp2-two-gpus').some((f) => f.action === 'deny'));
});

t.test('kserve/kserve#6044: tensor 2 × pipeline 2 on 4 GPUs runs vLLM on 2 of them (no pipeline flag on a single node): a warning', async (t) => {
  const [f] = gpuCount('single-node-tp2-pp2');
  t.equal(f?.action, 'warn');
  t.equal(f?.outcome, 'fail');
  t.equal(
    f?.message,
    "spec.parallelism (tensor 2 × data 1) makes KServe's default config start vLLM on 2 of the 4 accelerators of LLMInferenceService single-node-tp2-pp2: the rest sit idle (the config passes the tensor size, and across nodes the data-parallel sizes, never the pipeline size: kserve/kserve#6044)",
  );
});

t.test('a config of its own (baseRefs) or a placeholder size is never denied', async (t) => {
  for (const name of ['own-config-tp2', 'placeholder-tp']) {
    t.notOk(gpuCount(name).some((f) => f.action === 'deny'), name);
  }
});

t.test('a main container that writes its own command is judged on its argv, not on spec.parallelism', async (t) => {
  const object = {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: { name: 'own-command', namespace: 'kserve-test' },
    spec: {
      model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct', name: 'Qwen/Qwen2.5-7B-Instruct' },
      parallelism: { tensor: 2 },
      template: { containers: [{ name: 'main', image: 'vllm/vllm-openai:v0.10.1.1', command: ['vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct'], resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
    },
  };
  const review = reviewObject(engine, object, {});
  t.notOk(review.findings.some((f) => f.policy === 'gpu-count-matches-parallelism' && f.action === 'deny'));
});
