// A container runtime's device variable was read for NVIDIA only: `HABANA_VISIBLE_DEVICES=all` (the Habana
// container runtime's value for every card of the node) on a Gaudi pod with no `habana.ai/gaudi` limit was
// denied as "vLLM finds no GPU", and beside `habana.ai/gaudi: 1` the limit was taken for the devices vLLM
// sees although the runtime may expose all of them (the kubelet appends the container's env after the
// device plugin's). Now NVIDIA_VISIBLE_DEVICES (NVIDIA Container Toolkit docs, "Environment variables
// (OCI spec)"), HABANA_VISIBLE_DEVICES (HabanaAI/habana-container-runtime) and AMD_VISIBLE_DEVICES (AMD
// Container Toolkit) are read alike: devices the review cannot count are "could not be verified".
import t from 'tap';
import { createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

function deployment(image: string, env: Record<string, string>, limits: Record<string, number> | null, tp = 1): Record<string, unknown> {
  const container = {
    name: 'vllm',
    image,
    command: ['python3', '-m', 'vllm.entrypoints.openai.api_server', '--model', 'Qwen/Qwen2.5-7B-Instruct', '--tensor-parallel-size', String(tp)],
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
    ...(limits ? { resources: { limits } } : {}),
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'g', namespace: 'ml' },
    spec: { selector: { matchLabels: { app: 'g' } }, template: { metadata: { labels: { app: 'g' } }, spec: { containers: [container] } } },
  };
}

const failing = (o: Record<string, unknown>, policy: string) =>
  reviewObject(engine, o, { related: createRelatedSet([o], { scope: 'the input set' }) }).findings.filter((f) => f.policy === policy);

t.test('a runtime device variable without a limit: whether vLLM finds a device is not known', async (t) => {
  for (const [image, name] of [['opea/vllm-gaudi:1.4', 'HABANA_VISIBLE_DEVICES'], ['vllm/vllm-openai:v0.11.0', 'NVIDIA_VISIBLE_DEVICES'], ['rocm/vllm:rocm6.3.1_vllm_0.8.5_20250521', 'AMD_VISIBLE_DEVICES']] as const) {
    const found = failing(deployment(image, { [name]: 'all' }, null), 'gpu-resource-present');
    t.same(found.map((f) => [f.action, f.outcome]), [['warn', 'unknown']], `${name}=all: could not be verified, not a deny`);
    t.match(found[0]?.message, new RegExp(`^could not be verified \\(the container sets ${name}=all, which .* honours outside resources\\.limits`), name);
  }
  // NVIDIA documents `none` and `void` as exposing no GPU: still "no GPU".
  t.match(failing(deployment('vllm/vllm-openai:v0.11.0', { NVIDIA_VISIBLE_DEVICES: 'none' }, null), 'gpu-resource-present'), [{ action: 'deny' }]);
  // CUDA_VISIBLE_DEVICES only narrows what the process sees: it exposes no device.
  t.match(failing(deployment('vllm/vllm-openai:v0.11.0', { CUDA_VISIBLE_DEVICES: '0,1' }, null), 'gpu-resource-present'), [{ action: 'deny' }]);
});

t.test('HABANA_VISIBLE_DEVICES=all beside a limit: the count vLLM sees is the node\'s, not the limit', async (t) => {
  const found = failing(deployment('opea/vllm-gaudi:1.4', { HABANA_VISIBLE_DEVICES: 'all' }, { 'habana.ai/gaudi': 1 }, 4), 'gpu-count-matches-parallelism');
  t.same(found.map((f) => [f.action, f.outcome]), [['warn', 'unknown']], 'could not be verified, not a deny');
  t.match(found[0]?.message, /^could not be verified \(the container sets HABANA_VISIBLE_DEVICES=all beside the devices in resources\.limits/);
  // Without the variable the limit is what vLLM sees: TP 4 on one card is denied.
  t.match(failing(deployment('opea/vllm-gaudi:1.4', {}, { 'habana.ai/gaudi': 1 }, 4), 'gpu-count-matches-parallelism'), [{ action: 'deny' }]);
  // The variable of another vendor says nothing of these devices.
  t.match(failing(deployment('opea/vllm-gaudi:1.4', { NVIDIA_VISIBLE_DEVICES: 'all' }, { 'habana.ai/gaudi': 1 }, 4), 'gpu-count-matches-parallelism'), [{ action: 'deny' }]);
  // Ranks that fit the limit fit whatever else is exposed.
  t.same(failing(deployment('opea/vllm-gaudi:1.4', { HABANA_VISIBLE_DEVICES: 'all' }, { 'habana.ai/gaudi': 4 }, 4), 'gpu-count-matches-parallelism'), []);
});

t.test('an explicit device list no longer than the limit: the limit\'s count stands', async (t) => {
  // NVIDIA_VISIBLE_DEVICES=0 beside nvidia.com/gpu: 1: whichever value the runtime reads, vLLM sees one GPU,
  // so tensor parallel 2 fails at start as it would without the variable.
  for (const value of ['0', 'GPU-6e5f0d3c-aaaa-bbbb-cccc-0123456789ab']) {
    const found = failing(deployment('vllm/vllm-openai:v0.11.0', { NVIDIA_VISIBLE_DEVICES: value }, { 'nvidia.com/gpu': 1 }, 2), 'gpu-count-matches-parallelism');
    t.same(found.map((f) => [f.action, f.outcome]), [['deny', 'fail']], `NVIDIA_VISIBLE_DEVICES=${value.slice(0, 8)}…: denied`);
  }
  // A list longer than the limit, or all, may expose more devices than the limit: not known.
  for (const value of ['0,1', 'all', '$(GPUS)']) {
    const found = failing(deployment('vllm/vllm-openai:v0.11.0', { NVIDIA_VISIBLE_DEVICES: value }, { 'nvidia.com/gpu': 1 }, 2), 'gpu-count-matches-parallelism');
    t.same(found.map((f) => [f.action, f.outcome]), [['warn', 'unknown']], `NVIDIA_VISIBLE_DEVICES=${value}: could not be verified`);
  }
});
