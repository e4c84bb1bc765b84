// shm-mounted's multi-rank deny is NCCL's fault (ncclShmOpen with the runtime's 64 MiB /dev/shm). vLLM's TPU
// and Neuron platforms run collectives through XLA and the Neuron runtime with torch.distributed on gloo
// (vllm/platforms/tpu.py, neuron.py: dist_backend "gloo"), so there several ranks without /dev/shm only
// warn. The platform is the image's build, else the one accelerator vendor asked for (platform.family),
// and it stays known when the device count does not (a ServingRuntime's accelerators come from the
// InferenceService that uses it).
import t from 'tap';
import { reviewObject } from '../../src/engine/api.js';
import { engine } from './recognition-fixtures.js';

function deployment(image: string, resources: Record<string, number>, tp = '4'): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm', namespace: 'ml' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'llm' } },
      template: {
        metadata: { labels: { app: 'llm' } },
        spec: { containers: [{ name: 'vllm', image, command: ['vllm', 'serve'], args: ['Qwen/Qwen3-8B', '--tensor-parallel-size', tp], resources: { limits: resources } }] },
      },
    },
  };
}

const shm = (object: object) => reviewObject(engine, object).findings.filter((f) => f.policy === 'shm-mounted').map((f) => `${f.action}: ${f.message}`);

t.test('several ranks without /dev/shm: deny on NCCL platforms, warn on TPU and Neuron', async (t) => {
  t.match(shm(deployment('vllm/vllm-openai:v0.11.1', { 'nvidia.com/gpu': 4 })), [/^deny: container vllm runs vLLM with several ranks .*: NCCL gets the runtime's 64 MiB/], 'CUDA image on NVIDIA');
  t.match(shm(deployment('rocm/vllm:rocm6.3.1_vllm_0.8.5_20250521', { 'amd.com/gpu': 4 })), [/^deny: .*without a \/dev\/shm mount: RCCL gets the runtime's 64 MiB/], 'ROCm image on AMD: RCCL, NCCL\'s port, named as such');
  t.match(shm(deployment('registry.example.com/team/llm-server:2025-11', { 'amd.com/gpu': 4 })), [/^deny: .*: RCCL gets/], 'an image vllm-guard does not know, on AMD devices: RCCL');
  t.match(shm(deployment('vllm/vllm-openai-xpu:v0.11.1', { 'gpu.intel.com/xe': 4 })), [/^deny: .*without a \/dev\/shm mount: oneCCL gets the runtime's 64 MiB/], 'XPU image on Intel GPUs: oneCCL (torch XCCL), not NCCL');
  t.match(shm(deployment('vllm/vllm-tpu:v0.11.1', { 'google.com/tpu': 4 })), [/^warn: container vllm has no \/dev\/shm mount/], 'TPU image');
  t.match(shm(deployment('registry.example.com/team/llm-server:2025-11', { 'google.com/tpu': 4 })), [/^warn: container vllm has no \/dev\/shm mount/], 'an image vllm-guard does not know, on TPU devices');
  t.match(shm(deployment('registry.example.com/team/llm-server:2025-11', { 'nvidia.com/gpu': 4 })), [/^deny: /], 'an image vllm-guard does not know, on NVIDIA devices');
});

t.test('a ServingRuntime (its accelerators come from the InferenceService) keeps the deny of its CUDA build', async (t) => {
  const runtime = {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'vllm-runtime', namespace: 'ml' },
    spec: {
      supportedModelFormats: [{ name: 'huggingface', autoSelect: true }],
      containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.11.1', command: ['vllm', 'serve'], args: ['Qwen/Qwen3-8B', '--tensor-parallel-size', '2'] }],
    },
  };
  const found = reviewObject(engine, runtime).findings.filter((f) => f.policy === 'shm-mounted');
  t.match(found.map((f) => f.message), [/several ranks/], 'the multi-rank rule speaks');
  t.notMatch(found[0]?.message ?? '', /could not be verified \(a serving runtime gets its accelerators/, 'not made unknown by the device count');
});
