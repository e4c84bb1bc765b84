// KServe's merge of an InferenceService's predictor.model into its ServingRuntime's kserve-container
// (kserve/kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go@v0.20.0), as the engine writes it out.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocuments } from '../../../src/io/yaml.js';
import { mergeModelContainer, mergePredictorPod, replacePlaceholders, serverTypeOf } from '../../../src/engine/workload/kserve-merge.js';
import { withServingRuntime } from '../../../src/engine/workload/kserve-runtime.js';
import { extractWorkload } from '../../../src/engine/workload/extract.js';
import { createRelatedSet } from '../../../src/engine/related/related-set.js';

const runtime = {
  name: 'kserve-container',
  image: 'vllm/vllm-openai:v0.10.1.1',
  command: ['python', '-m', 'vllm.entrypoints.openai.api_server'],
  args: ['--port=8080', '--served-model-name={{.Name}}'],
  env: [{ name: 'HF_HOME', value: '/tmp' }, { name: 'VLLM_LOGGING_LEVEL', value: 'INFO' }],
  resources: { limits: { cpu: '1', memory: '2Gi' } },
};
const at = { runtimeAt: 'ServingRuntime/rt.spec.containers[0]', modelAt: 'spec.predictor.model' };

t.test('args are the runtime’s then the model’s; env merged by name; resources key by key; placeholders filled', async (t) => {
  const model = { modelFormat: { name: 'vLLM' }, runtime: 'rt', args: ['--max-model-len=4096'], env: [{ name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' }, { name: 'HF_TOKEN', value: 'x' }], resources: { limits: { 'nvidia.com/gpu': '1' } } };
  const merged = mergeModelContainer({ runtime, model, ...at, metadata: { name: 'qwen', namespace: 'llm' }, serverType: 'vllmserver' });
  t.same(merged.container.args, ['--port=8080', '--served-model-name=qwen', '--max-model-len=4096']);
  t.same(merged.container.env, [{ name: 'HF_HOME', value: '/tmp' }, { name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' }, { name: 'HF_TOKEN', value: 'x' }]);
  t.same(merged.container.resources, { limits: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': '1' } });
  t.same(merged.container.command, runtime.command);
  t.equal(merged.container.image, 'vllm/vllm-openai:v0.10.1.1', 'a GPU: the CUDA image');
  t.notOk('modelFormat' in merged.container, 'ModelSpec fields are not container fields');
  t.equal(merged.runtimeArgs, 2);
  t.equal(merged.commandFromRuntime, true);
  const aliases = new Map(merged.aliases);
  t.equal(aliases.get('spec.predictor.model.args[2]'), 'spec.predictor.model.args[0]');
  t.equal(aliases.get('spec.predictor.model.args[1]'), 'ServingRuntime/rt.spec.containers[0].args[1]');
  t.equal(aliases.get('spec.predictor.model.env[0]'), 'ServingRuntime/rt.spec.containers[0].env[0]');
  t.equal(aliases.get('spec.predictor.model.env[1]'), 'spec.predictor.model.env[0]', 'the model’s value replaced the runtime’s');
  t.equal(aliases.get('spec.predictor.model.resources.limits.cpu'), 'ServingRuntime/rt.spec.containers[0].resources.limits.cpu');
  t.equal(aliases.get('spec.predictor.model.command'), 'ServingRuntime/rt.spec.containers[0].command');
});

t.test('UpdateImageTag: runtimeVersion replaces the tag; a vLLM runtime without a GPU runs the -cpu repository', async (t) => {
  const image = (model: Record<string, unknown>, serverType: string, base = runtime) => mergeModelContainer({ runtime: base, model, ...at, metadata: {}, serverType }).container.image;
  t.equal(image({ runtimeVersion: 'v0.11.0' }, 'vllmserver'), 'vllm/vllm-openai:v0.11.0');
  t.equal(image({}, 'vllmserver'), 'vllm/vllm-openai-cpu:v0.10.1.1');
  t.equal(image({}, ''), 'vllm/vllm-openai:v0.10.1.1', 'no server type: unchanged');
  t.equal(image({ resources: { limits: { 'nvidia.com/gpu': '1' } } }, 'huggingfaceserver', { ...runtime, image: 'kserve/huggingfaceserver:v0.15.2' }), 'kserve/huggingfaceserver:v0.15.2-gpu');
  t.equal(image({}, 'vllmserver', { ...runtime, image: 'vllm/vllm-openai@sha256:abc' }), 'vllm/vllm-openai@sha256:abc', 'a digest is kept');
  t.equal(serverTypeOf({ 'serving.kserve.io/server-type': 'vllmserver' }, 'x'), 'vllmserver');
  t.equal(serverTypeOf(undefined, 'kserve-huggingfaceserver'), 'huggingfaceserver');
  t.equal(serverTypeOf(undefined, 'constructor'), '', 'a name is looked up as an own key only');
});

t.test('placeholders: the InferenceService’s name, namespace, labels and annotations; anything else left as written', async (t) => {
  const meta = { name: 'qwen', namespace: 'llm', labels: { team: 'a' }, annotations: { 'x.io/y': 'z' } };
  t.equal(replacePlaceholders('{{.Name}}/{{ .Namespace }}/{{.Labels.team}}/{{.Annotations.x.io/y}}', meta), 'qwen/llm/a/z');
  t.equal(replacePlaceholders('{{ .Spec.Foo }} and {{.Name', meta), '{{ .Spec.Foo }} and {{.Name');
});

t.test('MergePodSpec: the runtime’s volumes and tolerations under the predictor’s', async (t) => {
  const predictor = { model: {}, volumes: [{ name: 'cache', emptyDir: {} }], tolerations: [{ key: 'a', operator: 'Exists' }] };
  const rt = { volumes: [{ name: 'devshm', emptyDir: { medium: 'Memory' } }], tolerations: [{ key: 'b', operator: 'Exists' }], nodeSelector: { pool: 'gpu' } };
  const pod = mergePredictorPod(predictor, 'spec.predictor', rt, 'ServingRuntime/rt.spec');
  t.same(pod.spec.volumes, [{ name: 'devshm', emptyDir: { medium: 'Memory' } }, { name: 'cache', emptyDir: {} }]);
  t.same(pod.spec.tolerations, [{ key: 'a', operator: 'Exists' }], 'tolerations have no patch strategy: replaced');
  t.same(pod.spec.nodeSelector, { pool: 'gpu' });
  const aliases = new Map(pod.aliases);
  t.equal(aliases.get('spec.predictor.volumes[0]'), 'ServingRuntime/rt.spec.volumes[0]');
  t.equal(aliases.get('spec.predictor.volumes[1]'), 'spec.predictor.volumes[0]');
  t.equal(aliases.get('spec.predictor.nodeSelector'), 'ServingRuntime/rt.spec.nodeSelector');
});

t.test('the pod: the runtime’s other containers run before the predictor’s own; a runtime not in the set changes nothing', async (t) => {
  const rt = { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ServingRuntime', metadata: { name: 'rt' }, spec: { supportedModelFormats: [{ name: 'vLLM' }], containers: [{ name: 'proxy', image: 'envoy' }, runtime, { name: 'transformer-container', image: 't' }] } };
  const isvc = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'qwen' }, spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'rt' }, containers: [{ name: 'logger', image: 'busybox' }] } } };
  const merged = withServingRuntime(extractWorkload(isvc), isvc, createRelatedSet([rt, isvc], { scope: 'the input set' }));
  const pod = merged.templates[0]!;
  t.same((pod.spec.containers as { name: string }[]).map((c) => c.name), ['proxy', 'logger']);
  t.same(pod.pathAliases?.filter(([from]) => from.startsWith('spec.predictor.containers')), [
    ['spec.predictor.containers[0]', 'ServingRuntime/rt.spec.containers[0]'],
    ['spec.predictor.containers[1]', 'spec.predictor.containers[0]'],
  ]);
  t.match(pod.mergedContainers?.[0], { runtime: { label: 'ServingRuntime rt', args: 2, command: true }, container: { args: ['--port=8080', '--served-model-name=qwen'] } });
  const alone = extractWorkload(isvc);
  t.equal(withServingRuntime(alone, isvc, createRelatedSet([isvc], { scope: 'the input set' })), alone);
  t.equal(withServingRuntime(alone, isvc, null), alone);
});

t.test('an OME runtime (ome.io) of the named runtime\'s name is never taken as KServe\'s: kinds of one name are told apart by API group', async (t) => {
  const ome = { apiVersion: 'ome.io/v1beta1', kind: 'ServingRuntime', metadata: { name: 'rt' }, spec: { supportedModelFormats: [{ name: 'vLLM' }], containers: [runtime], engineConfig: { runner: runtime } } };
  const isvc = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'qwen' }, spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'rt' } } } };
  const alone = extractWorkload(isvc);
  t.equal(withServingRuntime(alone, isvc, createRelatedSet([ome, isvc], { scope: 'the input set' })), alone, 'was merged with the OME runtime\'s containers');
});

t.test('a multi-node pair (workerSpec) stays as extracted: KServe also sets the head’s parallel sizes and merges the workers', async (t) => {
  const read = (name: string) => parseDocuments(readFileSync(fileURLToPath(new URL(`../../fixtures/kinds/${name}`, import.meta.url)), 'utf8')).map((d) => d.value)[0];
  const isvc = read('inferenceservice-multinode.yaml');
  const workload = extractWorkload(isvc);
  t.equal(withServingRuntime(workload, isvc, createRelatedSet([isvc, read('clusterservingruntime.yaml')], { scope: 'the input set' })), workload);
});
