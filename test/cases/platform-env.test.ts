// vllm-env on platforms whose vLLM code reads VLLM_ variables vllm/envs.py does not list (Intel Gaudi, AWS
// Neuron, Huawei Ascend), and on images whose vLLM release is unknown: such a name is "could not be
// verified" with the reason, never "vLLM ignores it". Found on manu-joy/rosa-llm-driven-deployment
// (test/fixtures/recognition/platform-env-variables.yaml). What a user of `check` sees.
import t from 'tap';
import { byName, engine, reviewAll } from './recognition-fixtures.js';
import { createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';

const envFindings = (r: WorkloadReview | undefined) => (r?.findings ?? []).filter((f) => f.policy === 'vllm-env');

t.test('VLLM_NEURON_FRAMEWORK on a Neuron server: could not be verified, naming who reads it', async (t) => {
  const r = byName(reviewAll('platform-env-variables.yaml'), 'vllm-qwen3-coder');
  t.equal(r?.vllm, true);
  const [f, ...rest] = envFindings(r);
  t.equal(rest.length, 0);
  t.equal(f?.outcome, 'unknown', 'not a warning that claims vLLM ignores it');
  t.equal(f?.path, 'spec.template.spec.containers[0].env[0]');
  t.match(f?.message, /^could not be verified \(vLLM's AWS Neuron support .* reads VLLM_ variables of its own that vllm\/envs\.py does not list\)/);
  t.match(f?.message, /VLLM_NEURON_FRAMEWORK is not one of vllm\/envs\.py's variables/);
  t.notMatch(f?.message, /vLLM ignores it/);
});

t.test('the Gaudi tuning variables VLLM_SKIP_WARMUP and VLLM_GRAPH_RESERVED_MEM: each could not be verified, at its own entry', async (t) => {
  const r = byName(reviewAll('platform-env-variables.yaml'), 'vllm-gaudi');
  const found = envFindings(r);
  t.same(found.map((f) => [f.outcome, f.path]), [
    ['unknown', 'spec.template.spec.containers[0].env[0]'],
    ['unknown', 'spec.template.spec.containers[0].env[1]'],
  ]);
  t.match(found[0]?.message, /Intel Gaudi support .* reads VLLM_ variables of its own.*VLLM_SKIP_WARMUP/);
});

const server = (image: string, resource: string, env: { name: string; value: string }[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'llm', namespace: 'ml' },
  spec: {
    selector: { matchLabels: { app: 'llm' } },
    template: {
      metadata: { labels: { app: 'llm' } },
      spec: { containers: [{ name: 'vllm', image, args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--max-model-len', '8192'], env, resources: { limits: { [resource]: 1 } } }] },
    },
  },
});
const review = (o: unknown) => reviewObject(engine, o, { related: createRelatedSet([o], { scope: 'the input set' }) });

t.test('on an NVIDIA GPU with a covered release the same name is still a warning: vLLM v0.10.1.1 does not read it', async (t) => {
  const r = review(server('vllm/vllm-openai:v0.10.1.1', 'nvidia.com/gpu', [{ name: 'VLLM_SKIP_WARMUP', value: 'true' }]));
  const [f] = envFindings(r);
  t.equal(f?.outcome, 'fail');
  t.equal(f?.action, 'warn');
  t.match(f?.message, /VLLM_SKIP_WARMUP is not read by vLLM v0\.10\.1\.1 .*vLLM ignores it/);
});

t.test('an unknown release (tag latest): a name no covered release reads could not be verified; a near miss stays a warning', async (t) => {
  const r = review(server('vllm/vllm-openai:latest', 'nvidia.com/gpu', [
    { name: 'VLLM_SKIP_WARMUP', value: 'true' },
    { name: 'VLLM_ATTENTON_BACKEND', value: 'FLASH_ATTN' },
  ]));
  const found = envFindings(r);
  t.same(found.map((f) => [f.outcome, f.path]).sort(), [
    ['fail', 'spec.template.spec.containers[0].env[1]'],
    ['unknown', 'spec.template.spec.containers[0].env[0]'],
  ]);
  t.match(found.find((f) => f.outcome === 'unknown')?.message, /^could not be verified \(a vLLM newer than v[\d.]+ may read it\)/);
  t.match(found.find((f) => f.outcome === 'fail')?.message, /did you mean VLLM_ATTENTION_BACKEND\?/);
});

t.test('a debug switch on a Gaudi server is still a warning: the platform does not change what it does', async (t) => {
  const r = review(server('opea/vllm-gaudi:1.4', 'habana.ai/gaudi', [{ name: 'VLLM_TRACE_FUNCTION', value: '1' }]));
  const [f] = envFindings(r);
  t.equal(f?.outcome, 'fail');
  t.match(f?.message, /VLLM_TRACE_FUNCTION=1 is a debug switch/);
});
