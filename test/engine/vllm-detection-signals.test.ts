import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { DEFAULT_ENTRYPOINTS, effectiveArgv } from '../../src/engine/command/argv.js';
import { buildEnvLookup } from '../../src/engine/command/container-env.js';
import { classifyContainer } from '../../src/engine/vllm/detect.js';
import { compileDetection, DEFAULT_VLLM_IMAGES } from '../../src/engine/vllm/detection-config.js';
import type { DetectionConfig, JsonObject } from '../../src/engine/types.js';
import { detectContainer, engineFlags, platformLabel, platformLabelsOf, podRoles, type Detection } from '../../src/engine/vllm/detection-signals.js';
import { podContainers } from '../../src/engine/workload/pod-containers.js';

const detection = compileDetection({ images: DEFAULT_VLLM_IMAGES, labels: {}, allPods: false, entrypoints: DEFAULT_ENTRYPOINTS } satisfies DetectionConfig);
const CASES = fileURLToPath(new URL('../fixtures/cases/', import.meta.url));

function detect(container: JsonObject, longRunning = true, labels: Record<string, string> = {}): Detection {
  const env = buildEnvLookup(container);
  const argv = effectiveArgv(container, detection.entrypoints, env);
  const argvTexts = [...(argv.tokens ?? []), ...argv.args, ...(argv.commands ?? []).flat()].map((x) => x.text);
  return detectContainer({ image: typeof container.image === 'string' ? container.image : '', classification: classifyContainer(container, detection, env), argvTexts, labels, longRunning });
}
const kinds = (d: Detection): string[] => d.signals.map((s) => `${s.kind}:${s.strength}`);

t.test('a vendor build started by its own ENTRYPOINT with vLLM args only is a server (failure-reports/10)', async (t) => {
  const deployment = parse(readFileSync(`${CASES}failure-reports/10-opea-latest-nonroot.yaml`, 'utf8')) as { spec: { template: { spec: JsonObject } } };
  const [vllm] = podContainers(deployment.spec.template.spec, 'spec.template.spec', 64);
  const d = detect(vllm?.container ?? {});
  t.equal(d.role, 'server');
  t.equal(d.family, 'cpu', 'opea/vllm is the CPU build');
  t.same(kinds(d), ['image:strong']);
  t.match(d.signals[0]?.detail, /image opea\/vllm \(OPEA \(Intel\), cpu\)/);
});

t.test('each signal on its own, and its strength', async (t) => {
  const x = 'registry.example.com/inference/server:1.0';
  t.same(kinds(detect({ image: 'vllm/vllm-openai:v0.11.1', args: ['m'] })), ['image:strong', 'argv:strong'], 'its ENTRYPOINT (vllm serve) is known');
  t.same(kinds(detect({ image: x, command: ['vllm', 'serve', 'm'] })), ['argv:strong']);
  t.same(kinds(detect({ image: x, args: ['--model', 'm', '--max_model_len', '4096', '--gpu-memory-utilization=0.9'] })), ['engine-flags:strong']);
  t.same(kinds(detect({ image: x, args: ['--tensor-parallel-size', '2', '--pipeline-parallel-size', '2'] })), [], 'flags other engines share are not enough');
  t.same(kinds(detect({ image: x }, true, { 'model.aibrix.ai/engine': 'vllm' })), ['platform-label:strong']);
  const weak = detect({ image: 'registry.example.com/team/my-vllm:1.0' });
  t.same([weak.role, kinds(weak)], ['gpu-only', ['image-name:weak']], 'a name holding vllm: generic and GPU rules');
  t.same(detect({ image: x }).role, null, 'nothing says vLLM');
  const placeholder = detect({ image: '${VLLM_IMAGE}', args: ['--max-model-len', '4096', '--enforce-eager'] });
  t.same([placeholder.role, placeholder.unknown], ['server', 'the image is a variable placeholder, $VAR, ${VAR} or $(VAR), filled in later'], 'a placeholder is unknown, never a reason to skip');
});

t.test('the build family decides the device; KServe with the transformers backend is not vLLM', async (t) => {
  t.equal(detect({ image: 'rocm/vllm:latest', command: ['vllm', 'serve', 'm'] }).family, 'rocm');
  t.equal(detect({ image: 'vllm/vllm-openai:v0.11.1', args: ['m', '--device', 'cpu'] }).family, 'cpu');
  t.equal(detect({ image: 'kserve/huggingfaceserver:v0.20.0-gpu', args: ['--model_name=m', '--backend=huggingface'] }).role, null);
  t.equal(detect({ image: 'kserve/huggingfaceserver:v0.20.0-gpu', args: ['--model_name=m'] }).role, 'server');
});

t.test('init and ephemeral containers: servers only as native sidecars; generic rules in a vLLM pod', async (t) => {
  const sidecar = parse(readFileSync(`${CASES}containers/vllm-native-sidecar.yaml`, 'utf8')) as { spec: JsonObject };
  const entries = podContainers(sidecar.spec, 'spec', 64).map((c) => ({ ...c, detection: detect(c.container, c.longRunning) }));
  t.same(entries.map((e) => `${e.path}:${e.detection.role}`), ['spec.containers[0]:null', 'spec.initContainers[0]:server'], 'vLLM as a native sidecar is a server');
  const secret = parse(readFileSync(`${CASES}containers/vllm-init-secret.yaml`, 'utf8')) as { spec: { template: { spec: JsonObject } } };
  const pod = podContainers(secret.spec.template.spec, 'spec.template.spec', 64).map((c) => ({ longRunning: c.longRunning, detection: detect(c.container, c.longRunning) }));
  t.same(podRoles(pod, false), ['server', 'generic'], 'the model-download init container of a vLLM pod gets the generic rules');
  const eph = parse(readFileSync(`${CASES}containers/eph.yaml`, 'utf8')) as { spec: JsonObject };
  const plain = podContainers(eph.spec, 'spec', 64).map((c) => ({ longRunning: c.longRunning, detection: detect(c.container, c.longRunning) }));
  t.same(podRoles(plain, false), [null, null], 'not a vLLM pod');
  t.same(podRoles(plain, true), ['generic', 'generic'], 'allPods: the ephemeral debug container too');
});

t.test('engineFlags reads every spelling', async (t) => {
  t.same(engineFlags(['--max_model_len=4096', '--enforce-eager']), ['--max-model-len', '--enforce-eager']);
  t.same(engineFlags(['--max-model-len']), [], 'one flag is not enough');
  t.same(engineFlags(['--max-num-seqs', '--swap_space=4', '--max-num-seqs=8', '--swap-spaces']), ['--max-num-seqs', '--swap-space'], 'each flag once, in order; a longer name is not the flag');
  t.same(engineFlags(['--tensor-parallel-size=2', '--pipeline-parallel-size', '2']), [], 'flags other engines share do not make a signal alone');
  t.same(engineFlags(['--max-model-len', '-_max-num-seqs', '__max-num-seqs']), [], 'a flag starts with two dashes');
});

t.test('platform labels: the template\'s over the workload\'s, as the pod sees them', async (t) => {
  const gke = 'ai.gke.io/inference-server';
  t.equal(platformLabel(platformLabelsOf({ [gke]: 'vllm' }, {})), `${gke}=vllm`, 'from the workload');
  t.equal(platformLabel(platformLabelsOf({ [gke]: 'vllm' }, { labels: { [gke]: 'tgi' } })), null, 'the template overrides');
  t.equal(platformLabel(platformLabelsOf({ [gke]: 'vllm' }, { labels: { [gke]: 8 } })), `${gke}=vllm`, 'a non-string template value does not');
  t.equal(platformLabel(platformLabelsOf({}, { labels: { 'model.aibrix.ai/engine': 'vllm', team: 'a' } })), 'model.aibrix.ai/engine=vllm');
  t.same(platformLabelsOf({ team: 'a' }, { labels: ['x'] }), {}, 'other labels are not copied');
});
