import t from 'tap';
import { RE2JS } from 're2js';
import { compileImagePattern } from '../../../src/engine/vllm/image-pattern.js';
import { imagePlaceholder, matchVllmImage } from '../../../src/engine/knowledge/vllm-image-match.js';
import { VLLM_IMAGES } from '../../../src/engine/knowledge/vllm-images.js';

// Image references as public manifests write them (sources in the table rows).
const STRONG: [string, string, string][] = [
  ['vllm/vllm-openai:v0.10.1.1', 'vllm-openai', 'cuda'],
  ['docker.io/vllm/vllm-openai@sha256:' + 'a'.repeat(64), 'vllm-openai', 'cuda'],
  ['vllm/vllm-openai-rocm:v0.11.0', 'vllm-openai-rocm', 'rocm'],
  ['vllm/vllm-openai-cpu:v0.11.0', 'vllm-openai-cpu', 'cpu'],
  ['vllm/vllm-tpu:nightly', 'vllm-tpu', 'tpu'],
  ['public.ecr.aws/q9t5s3a7/vllm-arm64-cpu-release-repo:v0.10.2', 'vllm-cpu-release-repo', 'cpu'],
  ['quay.io/pierdipi/vllm-cpu:latest', 'pierdipi-vllm-cpu', 'cpu'],
  ['rocm/vllm:latest', 'rocm-vllm', 'rocm'],
  ['rocm/vllm-dev:main', 'rocm-vllm', 'rocm'],
  ['lmcache/vllm-openai:2025-05-17-v1', 'lmcache-vllm-openai', 'cuda'],
  ['ghcr.io/llm-d/llm-d-cuda:v0.9.0', 'llm-d-cuda', 'cuda'],
  ['ghcr.io/llm-d/llm-d-rocm:v0.8.0', 'llm-d-rocm', 'rocm'],
  ['ghcr.io/llm-d/llm-d-hpu-dev:v0.3.0', 'llm-d-hpu', 'gaudi'],
  ['kserve/huggingfaceserver:v0.20.0-gpu', 'kserve-huggingfaceserver', 'cuda'],
  ['kserve/huggingfaceserver:v0.20.0', 'kserve-huggingfaceserver', 'unknown'],
  ['public.ecr.aws/deep-learning-containers/vllm:0.11.1-gpu-py312-cu129-ubuntu22.04-ec2-v1.0', 'aws-dlc-vllm', 'cuda'],
  ['public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:0.9.1-neuronx-py310-sdk2.25.0-ubuntu22.04', 'aws-neuron-vllm', 'neuron'],
  ['us-docker.pkg.dev/vertex-ai/vertex-vision-model-garden-dockers/pytorch-vllm-serve:20250116_0916_RC00', 'gke-pytorch-vllm-serve', 'cuda'],
  ['registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.4', 'rhaiis-cuda', 'cuda'],
  ['registry.redhat.io/rhaiis/vllm-rocm-rhel9:3.2.5', 'rhaiis-rocm', 'rocm'],
  ['registry.redhat.io/rhaiis/vllm-tpu-rhel9:3.2.5', 'rhaiis-tpu', 'tpu'],
  ['nvcr.io/nvidia/vllm:25.09-py3', 'ngc-vllm', 'cuda'],
  ['quay.io/modh/vllm:rhoai-2.20-cuda', 'odh-vllm', 'cuda'],
  ['quay.io/modh/vllm:rhoai-2.20-rocm', 'odh-vllm', 'rocm'],
  ['quay.io/modh/vllm:rhoai-2.20-gaudi', 'odh-vllm', 'gaudi'],
  ['quay.io/modh/vllm@sha256:' + 'b'.repeat(64), 'odh-vllm', 'unknown'],
  ['opea/vllm:latest', 'opea-vllm', 'cpu'],
  ['opea/vllm-gaudi:1.2', 'opea-vllm-gaudi', 'gaudi'],
  ['kvcache-container-image-hb2-cn-beijing.cr.volces.com/aibrix/vllm-openai:v0.10.0-cu128', 'aibrix-vllm-openai', 'cuda'],
  ['quay.io/ascend/vllm-ascend:v0.9.1', 'vllm-ascend', 'ascend'],
  ['repo.rebellions.ai/rebellions/vllm-rbln-rhel9:3.3', 'rebellions-vllm-rbln', 'unknown'],
  ['rayproject/ray-llm:2.52.0-py311-cu128', 'ray-llm', 'cuda'],
];

t.test('every public build is recognized with its accelerator family', async (t) => {
  for (const [image, id, family] of STRONG) {
    const match = matchVllmImage(image);
    t.same([match?.strength, match?.image?.id, match?.family], ['strong', id, family], image);
  }
});

t.test('a name holding vllm is a weak signal; forks, look-alikes and tools are not strong', async (t) => {
  const weak = ['registry.example.com/team/my-vllm:1.0', 'ghcr.io/acme/vllm-openai-fork:2', 'vllm/vllm-openai-fork:1'];
  for (const image of weak) t.equal(matchVllmImage(image)?.strength, 'weak', image);
  const none = ['nginx:1.27.0', 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0', 'ghcr.io/llm-d/llm-d-inference-sim:v0.5.0', 'ghcr.io/example/vllm-guard:1.0.0', 'registry.example.com/vllmish:1'.replace('vllmish', 'server')];
  for (const image of none) t.equal(matchVllmImage(image), null, image);
  t.equal(matchVllmImage('myregistry:5000/vllm/vllm-openai:v1')?.image?.id, 'vllm-openai', 'a registry with a port');
});

t.test('ENTRYPOINTs are known only where a Dockerfile says so', async (t) => {
  t.same(matchVllmImage('vllm/vllm-openai:v0.10.1.1')?.entrypoint?.command, ['vllm', 'serve']);
  t.same(matchVllmImage('kserve/huggingfaceserver:v0.20.0-gpu')?.entrypoint?.command, ['python3', '-m', 'huggingfaceserver']);
  t.equal(matchVllmImage('rocm/vllm:latest')?.entrypoint?.takesEngineArgs, false, 'AMD images start a shell');
  const rhaiis = matchVllmImage('registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.4')?.entrypoint;
  t.same([rhaiis?.command, rhaiis?.takesEngineArgs], [null, true], 'RHAIIS takes vLLM args, its argv is not sourced');
  t.equal(matchVllmImage('public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:0.9.1')?.entrypoint, null);
  const odh = matchVllmImage('quay.io/modh/vllm:rhoai-2.20-cuda')?.entrypoint;
  t.same([odh?.command, odh?.takesEngineArgs], [null, true], 'ODH builds take vLLM args (api_server or vllm_tgis_adapter), which stage a tag is: not sourced');
  for (const row of VLLM_IMAGES) t.ok(row.sources.length > 0, `${row.id} names a source`);
});

t.test('patterns are RE2-valid and give the same answers on RE2 and V8', async (t) => {
  const images = [...STRONG.map(([image]) => image), 'nginx:1', 'a/b/vllm/vllm-openai', 'vllm/vllm-openai-rocmx:1', `${'a/'.repeat(200)}vllm`];
  for (const row of VLLM_IMAGES) {
    t.doesNotThrow(() => RE2JS.compile(row.pattern), row.id);
    t.doesNotThrow(() => compileImagePattern(row.pattern), `${row.id} passes the config loader's checks`);
    const re2 = RE2JS.compile(row.pattern);
    const v8 = new RegExp(row.pattern);
    for (const image of images) t.equal(v8.test(image), re2.matcher(image).find(), `${row.id} on ${image.slice(0, 40)}`);
  }
});

t.test('placeholders are unknown values, never a reason to skip or deny', async (t) => {
  t.match(imagePlaceholder('{{ .Values.image.repository }}:{{ .Values.image.tag }}'), /template placeholder/);
  t.match(imagePlaceholder('${VLLM_IMAGE}'), /variable placeholder/);
  t.match(imagePlaceholder('$VLLM_IMAGE'), /variable placeholder/);
  t.match(imagePlaceholder('$(IMAGE)'), /variable placeholder/);
  t.equal(imagePlaceholder('vllm/vllm-openai:v0.10.1.1'), null);
  // An image that names itself as the thing to replace (accelerated-platforms' kustomize bases).
  t.match(imagePlaceholder('replaced-by-kustomize'), /names itself as replaced later/);
  t.match(imagePlaceholder('registry.example.com/team/replace-me:1'), /names itself as replaced later/);
  t.equal(imagePlaceholder('quay.io/acme/replacement-server:1.0'), null, 'a name that only starts with the word is an image');
  t.equal(matchVllmImage('quay.io/ibm-aiu/vllm-spyre:latest.amd64')?.strength, 'strong', "IBM's vLLM Spyre build is a vLLM image");
  t.equal(matchVllmImage('${VLLM_IMAGE}'), null, 'a placeholder matches no build: the caller treats it as unknown');
});
