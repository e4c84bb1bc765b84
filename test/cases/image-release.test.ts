// The vLLM release an image runs was read two ways. The argument checks read it from vLLM's own image
// tags, vendor tags that embed it and the sourced vendor table (vllm/image-version.ts); the model and
// hardware checks read the leading version of any tag whose repository contains "vllm". So NVIDIA's
// vllm:26.03-py3 (vLLM 0.17.1 by its release notes) was "release 26.3" to one and unknown to the other,
// Dynamo's vllm-runtime:0.8.0 (vLLM 0.12.0) was "vLLM v0.8.0", a custom myorg/vllm:0.12.0 was taken for
// vLLM 0.12.0, and a mirror of vllm/vllm-openai (Harbor's proxy cache, ECR's pull-through cache) named
// no release to the argument checks at all. Now one reading, the image's `vllmVersion` fact, serves both.
import t from 'tap';
import { createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

/** A two-pod LeaderWorkerSet: TP 8 × PP 2 on 8 GPUs a pod, started by `vllm serve` with `extra` arguments. */
function group(image: string, extra: string[] = []): Record<string, unknown> {
  const container = (name: string) => ({
    name,
    image,
    command: ['vllm', 'serve', 'meta-llama/Llama-3.1-405B-Instruct', '--tensor-parallel-size', '8', '--pipeline-parallel-size', '2', '--max-model-len', '16384', ...extra],
    ports: [{ containerPort: 8000 }],
    resources: { limits: { 'nvidia.com/gpu': 8 } },
    readinessProbe: { httpGet: { path: '/health', port: 8000 } },
  });
  const template = (name: string) => ({ spec: { containers: [container(name)], nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' } } });
  return {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'llama-405b', namespace: 'ml' },
    spec: { replicas: 1, leaderWorkerTemplate: { size: 2, leaderTemplate: template('leader'), workerTemplate: template('worker') } },
  };
}

const failing = (o: Record<string, unknown>, policy: string) =>
  reviewObject(engine, o, { related: createRelatedSet([o], { scope: 'the input set' }) }).findings.filter((f) => f.policy === policy && f.outcome === 'fail');

t.test('multinode-backend knows the release of vendor images from the vendor table', async (t) => {
  // vLLM from v0.12.0 exits without a backend when the world is larger than the node (knowledge/checks/multinode.ts).
  for (const image of ['vllm/vllm-openai:v0.12.0', 'nvcr.io/nvidia/vllm:26.03-py3', 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.8.0']) {
    const found = failing(group(image), 'multinode-backend');
    t.ok(found.length > 0 && found.every((f) => f.action === 'deny'), `${image}: denied`);
  }
  // Dynamo's 0.8.0 runtime ships vLLM 0.12.0: its tag's own version is not the vLLM release.
  t.notMatch(failing(group('nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.8.0'), 'multinode-backend').map((f) => f.message).join('\n'), /v0\.8\.0/);
});

t.test('a custom build named vllm is not taken for the vLLM release its tag looks like', async (t) => {
  const found = failing(group('registry.example.com/myorg/vllm:0.12.0'), 'multinode-backend');
  t.ok(found.length > 0, 'still reported');
  t.same(found.map((f) => f.action), found.map(() => 'warn'), 'a warning: which release it runs is not known');
  t.match(found[0]?.message, /some vLLM releases pick Ray by themselves/);
});

t.test('a mirror of vLLM\'s own image names its release to the argument checks', async (t) => {
  for (const image of ['harbor.example.com/dockerhub/vllm/vllm-openai:v0.8.0', '123456789012.dkr.ecr.us-east-1.amazonaws.com/docker-hub/vllm/vllm-openai:v0.8.0']) {
    t.match(failing(group(image, ['--async-scheduling']), 'vllm-args-valid'), [{
      action: 'deny',
      message: /^--async-scheduling arrived in vLLM v0\.10\.0, after v0\.8\.0 .*Checked against vLLM v0\.8\.0; version from tag v0\.8\.0 of /,
    }], image);
  }
  // A repository that only ends like it is not a copy of it.
  t.same(failing(group('example.com/myvllm/vllm-openai:v0.8.0', ['--async-scheduling']), 'vllm-args-valid').map((f) => f.action), []);
});

t.test('image-pinned: a vendor tag that names the vLLM release is pinned', async (t) => {
  t.same(failing(group('rocm/vllm:rocm6.3.1_instinct_vllm0.8.3_20250410'), 'image-pinned'), []);
  t.same(failing(group('rocm/vllm:rocm6.3.1_vllm_0.8.5_20250521'), 'image-pinned'), []);
  t.match(failing(group('rocm/vllm:rocm6.3.1_instinct_20250410'), 'image-pinned'), [{
    action: 'warn',
    message: /uses tag rocm6\.3\.1_instinct_20250410, which names no version/,
    remediation: /use a tag of rocm\/vllm that names the vLLM version \(as v0\.10\.1\.1 does for vllm\/vllm-openai\)/,
  }]);
});
