import t from 'tap';
import { DEFAULT_ENTRYPOINTS } from '../../src/engine/command/argv.js';
import { classifyContainer, inspectCommand } from '../../src/engine/vllm/detect.js';
import { pythonModule } from '../../src/engine/vllm/python-module.js';
import { compileDetection, DEFAULT_VLLM_IMAGES, isCpuImage } from '../../src/engine/vllm/detection-config.js';
import type { DetectionConfig, JsonObject } from '../../src/engine/types.js';
import { HANG_CEILING_MS } from '../hang-ceiling.js';

const detectionConfig: DetectionConfig = { images: DEFAULT_VLLM_IMAGES, labels: {}, allPods: false, entrypoints: DEFAULT_ENTRYPOINTS };
const detection = compileDetection(detectionConfig);
const words = (s: string) => s.split(' ').map((text) => ({ text }));

interface Case {
  name: string;
  input: JsonObject;
  want: { role: string | null; detectedBy: string | null; command: string | null; argvKnown: boolean; cpu?: boolean; argvSource?: string };
}

const LWS_LEADER =
  'bash /vllm-workspace/examples/online_serving/multi-node-serving.sh leader --ray_cluster_size=$(LWS_GROUP_SIZE); python3 -m vllm.entrypoints.openai.api_server --port 8080 --model meta-llama/Meta-Llama-3.1-405B-Instruct --tensor-parallel-size 8 --pipeline_parallel_size 2';

const cases: Case[] = [
  {
    name: 'VK8S sh -c vllm serve',
    input: { image: 'vllm/vllm-openai:latest', command: ['sh', '-c', 'vllm serve mistralai/Mistral-7B-Instruct-v0.3 --trust-remote-code --max_num_batched_tokens 1024'] },
    want: { role: 'server', detectedBy: 'argv', command: 'vllm serve mistralai/Mistral-7B-Instruct-v0.3 --trust-remote-code --max_num_batched_tokens 1024', argvKnown: true, argvSource: 'shell' },
  },
  {
    name: 'production-stack vllm serve with --port, any path to vllm',
    input: { image: 'lmcache/vllm-openai:latest', command: ['/opt/venv/bin/vllm', 'serve', 'facebook/opt-125m', '--port', '8000'] },
    want: { role: 'server', detectedBy: 'argv', command: '/opt/venv/bin/vllm serve facebook/opt-125m --port 8000', argvKnown: true, argvSource: 'command' },
  },
  {
    name: 'llm-d ENTRYPOINT-less image with command',
    input: { image: 'ghcr.io/llm-d/llm-d-cuda:v0.3.0', command: ['vllm', 'serve'], args: ['Qwen/Qwen3-0.6B', '--port', '8200'] },
    want: { role: 'server', detectedBy: 'argv', command: 'vllm serve Qwen/Qwen3-0.6B --port 8200', argvKnown: true },
  },
  {
    name: 'args under the vllm-openai ENTRYPOINT',
    input: { image: 'docker.io/vllm/vllm-openai:v0.11.1', args: ['m', '-tp', '2'] },
    want: { role: 'server', detectedBy: 'argv', command: 'vllm serve m -tp 2', argvKnown: true, argvSource: 'entrypoint' },
  },
  {
    name: 'args under the vllm-openai ENTRYPOINT of v0.10.1 (api_server)',
    input: { image: 'docker.io/vllm/vllm-openai:v0.10.1', args: ['--model', 'm', '-tp', '2'] },
    want: { role: 'server', detectedBy: 'argv', command: 'python3 -m vllm.entrypoints.openai.api_server --model m -tp 2', argvKnown: true, argvSource: 'entrypoint' },
  },
  {
    name: 'LWS ray start --head && vllm serve picks the vllm segment',
    input: { image: 'vllm/vllm-openai:v0.8.5', command: ['sh', '-c', 'ray start --head --port=6379 && vllm serve m --tensor-parallel-size 8 --pipeline_parallel_size 2'] },
    want: { role: 'server', detectedBy: 'argv', command: 'vllm serve m --tensor-parallel-size 8 --pipeline_parallel_size 2', argvKnown: true },
  },
  {
    name: 'LWS leader script with python3 -m api_server',
    input: { image: 'vllm/vllm-openai:v0.8.5', command: ['sh', '-c', LWS_LEADER] },
    want: { role: 'server', detectedBy: 'argv', command: 'python3 -m vllm.entrypoints.openai.api_server --port 8080 --model meta-llama/Meta-Llama-3.1-405B-Instruct --tensor-parallel-size 8 --pipeline_parallel_size 2', argvKnown: true },
  },
  {
    name: 'LWS worker: multi-node-serving.sh worker',
    input: { image: 'vllm/vllm-openai:v0.8.5', command: ['sh', '-c', 'bash /vllm-workspace/examples/online_serving/multi-node-serving.sh worker --ray_address=$(LWS_LEADER_ADDRESS)'] },
    want: { role: 'ray-worker', detectedBy: 'image', command: null, argvKnown: true },
  },
  {
    name: 'KServe multinode ray start --address',
    input: { image: 'example.com/ray:1', command: ['bash', '-c', 'ray start --address=$RAY_HEAD_ADDRESS:6379 --block'] },
    want: { role: 'ray-worker', detectedBy: 'argv', command: null, argvKnown: true },
  },
  { name: 'ray start --head alone is not a worker', input: { image: 'rayproject/ray:2', command: ['ray', 'start', '--head', '--address', 'x'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'ray status is not a worker', input: { image: 'rayproject/ray:2', command: ['ray', 'status', '--address', 'x'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'multi-node-serving.sh leader alone', input: { image: 'busybox', command: ['multi-node-serving.sh', 'leader'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  {
    name: 'KServe bash -c … vllm serve ${MODEL} … $@ bash',
    input: { image: 'kserve/vllmserver:v0.15', command: ['bash', '-c', 'vllm serve ${MODEL} --host 0.0.0.0 $@', 'bash', '--max-model-len', '8k'], env: [{ name: 'MODEL', value: '/mnt/models' }] },
    want: { role: 'server', detectedBy: 'argv', command: 'vllm serve /mnt/models --host 0.0.0.0 --max-model-len 8k', argvKnown: true },
  },
  {
    name: 'KServe huggingfaceserver (vLLM backend by default)',
    input: { image: 'kserve/huggingfaceserver:v0.15.2', args: ['--model_name=llama', '--model_id=meta-llama/Llama-3.1-8B'] },
    want: { role: 'server', detectedBy: 'argv', command: 'python -m huggingfaceserver --model_name=llama --model_id=meta-llama/Llama-3.1-8B', argvKnown: true },
  },
  { name: 'huggingfaceserver --backend=huggingface is not vLLM', input: { image: 'kserve/huggingfaceserver:v0.15.2', args: ['--backend=huggingface'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'huggingfaceserver --backend huggingface is not vLLM', input: { image: 'x', command: ['python3', '-m', 'huggingfaceserver', '--backend', 'huggingface'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  {
    name: 'python3.12 -u -m api_server',
    input: { image: 'x', command: ['python3.12', '-u', '-X', 'dev', '-W', 'ignore', '-m', 'vllm.entrypoints.openai.api_server', '--model', 'm'] },
    want: { role: 'server', detectedBy: 'argv', command: 'python3.12 -u -X dev -W ignore -m vllm.entrypoints.openai.api_server --model m', argvKnown: true },
  },
  { name: 'python -um combined', input: { image: 'x', command: ['python', '-um', 'vllm.entrypoints.api_server'] }, want: { role: 'server', detectedBy: 'argv', command: 'python -um vllm.entrypoints.api_server', argvKnown: true } },
  { name: 'python -mvllm… glued', input: { image: 'x', command: ['python', '-mvllm.entrypoints.openai.api_server'] }, want: { role: 'server', detectedBy: 'argv', command: 'python -mvllm.entrypoints.openai.api_server', argvKnown: true } },
  { name: 'python -m vllm.entrypoints.cli.main serve', input: { image: 'x', command: ['python3', '-m', 'vllm.entrypoints.cli.main', 'serve', 'm'] }, want: { role: 'server', detectedBy: 'argv', command: 'python3 -m vllm.entrypoints.cli.main serve m', argvKnown: true } },
  { name: 'python -m something else', input: { image: 'x', command: ['python3', '-m', 'http.server'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'python script', input: { image: 'x', command: ['python3', '-u', 'serve.py'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'python -c', input: { image: 'x', command: ['python3', '-c', 'import vllm'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'wrappers before vllm', input: { image: 'x', command: ['uv', 'run', '--frozen', 'vllm', 'serve', 'm'] }, want: { role: 'server', detectedBy: 'argv', command: 'vllm serve m', argvKnown: true } },
  { name: 'a wrapper with nothing to run', input: { image: 'x', command: ['timeout', '10', 'sleep', '5'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'vllm not first and no wrapper', input: { image: 'x', command: ['echo', 'vllm', 'serve'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'only vllm', input: { image: 'x', command: ['vllm'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'vllm bench is not a server', input: { image: 'x', command: ['vllm', 'bench', 'serve'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'serve without model is still a server', input: { image: 'x', command: ['vllm', 'serve'] }, want: { role: 'server', detectedBy: 'argv', command: 'vllm serve', argvKnown: true } },
  { name: 'empty container', input: {}, want: { role: null, detectedBy: null, command: null, argvKnown: false } },
  {
    name: 'vLLM image running a wrapper script: server by image, args unknown',
    input: { image: 'rocm/vllm:rocm6.3.1_vllm_0.8.5', command: ['bash', '/start.sh'] },
    want: { role: 'server', detectedBy: 'image', command: null, argvKnown: false },
  },
  { name: 'vLLM image with unknown ENTRYPOINT', input: { image: 'registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.0', args: ['--model', 'x'] }, want: { role: 'server', detectedBy: 'image', command: null, argvKnown: false, argvSource: 'args' } },
  { name: 'CPU release image', input: { image: 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.10.2', args: ['m'] }, want: { role: 'server', detectedBy: 'argv', command: 'vllm serve m', argvKnown: true, cpu: true } },
  { name: '--device cpu', input: { image: 'x', command: ['vllm', 'serve', 'm', '--device', 'cpu'] }, want: { role: 'server', detectedBy: 'argv', command: 'vllm serve m --device cpu', argvKnown: true, cpu: true } },
  { name: '--device=cpu', input: { image: 'x', command: ['vllm', 'serve', 'm', '--device=cpu'] }, want: { role: 'server', detectedBy: 'argv', command: 'vllm serve m --device=cpu', argvKnown: true, cpu: true } },
  { name: 'unknown script', input: { image: 'busybox', command: ['sh', '-c'] }, want: { role: null, detectedBy: null, command: null, argvKnown: true } },
  { name: 'unknown ENTRYPOINT, not a vLLM image', input: { image: 'busybox', args: ['x'] }, want: { role: null, detectedBy: null, command: null, argvKnown: false } },
];

t.test('classifyContainer', async (t) => {
  for (const c of cases) {
    const got = classifyContainer(c.input, detection);
    t.equal(got.role, c.want.role, `${c.name}: role`);
    t.equal(got.detectedBy, c.want.detectedBy, `${c.name}: detectedBy`);
    t.equal(got.command ? got.command.map((tok) => tok.text).join(' ') : null, c.want.command, `${c.name}: command`);
    t.equal(got.argvKnown, c.want.argvKnown, `${c.name}: argvKnown`);
    t.equal(got.cpu, c.want.cpu ?? false, `${c.name}: cpu`);
    if (c.want.argvSource) t.equal(got.argvSource, c.want.argvSource, `${c.name}: argvSource`);
  }
});

t.test('reasons for unknown argv', async (t) => {
  t.match(classifyContainer({ image: 'rocm/vllm:x', command: ['bash', '/start.sh'] }, detection).unknownReason, /does not start vLLM directly/);
  t.equal(classifyContainer({ image: 'busybox', args: ['x'] }, detection).unknownReason, "the image's ENTRYPOINT is not known at admission");
  t.equal(classifyContainer({ image: 'busybox', command: ['true'] }, detection).unknownReason, undefined);
});

t.test('default image patterns', async (t) => {
  const images: [string, boolean][] = [
    ['vllm/vllm-openai:v0.10.1', true],
    ['docker.io/vllm/vllm-openai-rocm:latest', true],
    ['mirror.example.com/dockerhub/vllm/vllm-openai@sha256:0123', true],
    ['vllm/vllm-openai-cpu:latest-x86_64', true],
    ['public.ecr.aws/q9t5s3a7/vllm-arm64-cpu-release-repo:v0.9', true],
    ['rocm/vllm-dev:nightly', true],
    ['lmcache/vllm-openai:latest', true],
    ['ghcr.io/llm-d/llm-d:v0.2.0', true],
    ['ghcr.io/llm-d/llm-d-cuda:v0.3.0', true],
    ['ghcr.io/llm-d/llm-d-inference-scheduler:v0.2.0', false],
    ['ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0', false],
    ['ghcr.io/llm-d/llm-d-inference-sim:v0.1', false],
    ['kserve/huggingfaceserver:v0.15.2-gpu', true],
    ['kserve/vllmserver:latest', true],
    ['public.ecr.aws/deep-learning-containers/vllm:0.9-gpu-py312', true],
    ['us-docker.pkg.dev/vertex-ai/vertex-vision-model-garden-dockers/pytorch-vllm-serve:20250312_0916_RC01', true],
    ['registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.0.0', true],
    ['vllm/vllm-openai-fork:1', false],
    ['myvllm/vllm-openai-like', false],
    ['nginx:1.27', false],
  ];
  for (const [image, want] of images) {
    t.equal(classifyContainer({ image, command: ['/opt/start.sh'] }, detection).detectedBy === 'image', want, image);
  }
});

t.test('isCpuImage', async (t) => {
  t.ok(isCpuImage('public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.10.2'));
  t.ok(isCpuImage('vllm/vllm-openai-cpu:v0.23.0'));
  t.ok(isCpuImage('registry.redhat.io/rhaiis/vllm-cpu-rhel9:3'));
  t.ok(isCpuImage('quay.io/modh/vllm:rhoai-2.20-cpu'), 'ODH: the accelerator is in the tag');
  t.notOk(isCpuImage('quay.io/modh/vllm:rhoai-2.20-cuda'));
  t.notOk(isCpuImage('quay.io/modh/vllm:rhoai-2.20-cpux'));
  t.notOk(isCpuImage('vllm/vllm-openai:latest'));
});

t.test('compileDetection rejects bad patterns', async (t) => {
  t.equal(compileDetection(detectionConfig).images.length, DEFAULT_VLLM_IMAGES.length);
  t.throws(() => compileDetection({ ...detectionConfig, images: ['(?<=x)y'] }), { code: 'ERR_CONFIG' });
  t.throws(() => compileDetection({ ...detectionConfig, entrypoints: [{ image: '(', command: [] }] }), { code: 'ERR_CONFIG' });
});

t.test('inspectCommand and pythonModule', async (t) => {
  t.same(inspectCommand([]), { kind: 'none' });
  t.same(inspectCommand([{ text: '$(X)', unknown: 'command substitution' }, { text: 'serve' }]), { kind: 'none' });
  t.same(pythonModule(words('python -m'), 0), { module: '', next: 3 });
  t.equal(pythonModule(words('python -B -O'), 0), null);
  t.same(pythonModule(words('python --check-hash-based-pycs always -m x'), 0), { module: 'x', next: 5 });
});

t.test('classification stays fast on 3,000 flags in a script; a script over 64 KiB is not read', async (t) => {
  const script = `vllm serve m ${'--max-num-seqs 1 '.repeat(3_000)}`;
  const start = performance.now();
  const got = classifyContainer({ image: 'x', command: ['sh', '-c', script] }, detection);
  t.equal(got.command?.length, 6_003);
  t.ok(performance.now() - start < HANG_CEILING_MS, 'does not hang');
  const huge = classifyContainer({ image: 'vllm/vllm-openai:v0.11.0', command: ['sh', '-c', `vllm serve m ${'--max-num-seqs 1 '.repeat(10_000)}`] }, detection);
  t.match(huge, { role: 'server', detectedBy: 'image', argvKnown: false, unknownReason: /the sh -c script is longer than 64 KiB/ });
});
