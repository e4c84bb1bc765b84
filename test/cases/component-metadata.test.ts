// Pod labels and annotations a serving component writes inline (OME's and KServe's components:
// `spec.engineConfig.labels`, `spec.predictor.annotations`), not under a `metadata` key those kinds
// do not have: they count as the pod's, and findings about them name the field a user can edit.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { byName, engine, reviewAll } from './recognition-fixtures.js';

const METADATA_POLICIES = new Set(['network-policy-covers', 'service-exposes-server', 'phase0-annotations', 'phase4-annotations', 'model-loading', 'model-reference']);

/** The first object of a kinds fixture reviewed with the file as its input set, and its findings about the pod's labels or annotations. */
function metadataFindings(fixture: string) {
  const text = readFileSync(fileURLToPath(new URL(`../fixtures/kinds/${fixture}`, import.meta.url)), 'utf8');
  const objects = parseDocuments(text).map((d) => d.value);
  const review = reviewObject(engine, objects[0], { related: createRelatedSet(objects, { scope: 'the input set' }) });
  return { objects, review, about: review.findings.filter((f) => METADATA_POLICIES.has(f.policy) && /labels|annotations/.test(f.path)) };
}

t.test('OME: findings about pod labels and annotations name the component\'s own fields', async (t) => {
  const { about } = metadataFindings('ome-clusterservingruntime.yaml');
  t.ok(about.length >= 3, `${about.length} findings about the pod's labels or annotations`);
  for (const f of about) {
    t.match(f.path, /^spec\.engineConfig\.(labels|annotations)$/, `${f.policy}: ${f.path}`);
    t.notMatch(f.path, /metadata/, `${f.policy}: no metadata key OME does not have`);
  }
});

t.test('KServe: the predictor\'s labels select the pod and its annotations record the intent', async (t) => {
  const review = byName(reviewAll('kserve-predictor-labels.yaml'), 'llama3-labelled');
  t.ok(review?.vllm, 'the predictor is reviewed');
  const policies = (review?.findings ?? []).map((f) => f.policy);
  t.notOk(policies.includes('network-policy-covers'), 'the NetworkPolicy selecting the predictor\'s label covers the pod');
  t.notOk((review?.findings ?? []).some((f) => f.policy === 'phase0-annotations' && /license/.test(f.message)), 'the license annotation on the predictor is read');
  const service = review?.findings.find((f) => f.policy === 'service-exposes-server');
  t.equal(service?.path, 'spec.predictor.labels', 'a finding about the pod labels names the predictor\'s labels');
  const scraped = review?.findings.find((f) => f.policy === 'metrics-scraped');
  t.match(scraped?.message ?? '', /\(labels team-model=llama3-labelled\)/, 'a finding about the pods shows the labels they will carry');
  for (const f of review?.findings ?? []) t.notMatch(f.path, /^spec\.predictor\.metadata/, `${f.policy}: no predictor.metadata (KServe has none)`);
});

t.test('KServe ServingRuntime: findings about pod labels and annotations name spec.labels and spec.annotations', async (t) => {
  // ServingRuntimeSpec inlines ServingRuntimePodSpec, whose labels and annotations "will be add to the pod";
  // a ServingRuntime has no spec.metadata. The fixture writes spec.annotations, as kserve-vllmserver.yaml does.
  const { objects, about } = metadataFindings('servingruntime.yaml');
  t.ok(about.length >= 3, `${about.length} findings about the pod's labels or annotations`);
  for (const f of about) t.match(f.path, /^spec\.(labels|annotations)$/, `${f.policy}: ${f.path}`);
  // A NetworkPolicy selecting the runtime's own label covers the pod it makes.
  const runtime = { ...(objects[0] as Record<string, unknown>) };
  runtime.spec = { ...(runtime.spec as Record<string, unknown>), labels: { 'runtime-pod': 'vllm' } };
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'runtime-ingress', namespace: 'llm' },
    spec: { podSelector: { matchLabels: { 'runtime-pod': 'vllm' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }] }] },
  };
  const covered = reviewObject(engine, runtime, { related: createRelatedSet([runtime, policy], { scope: 'the input set' }) });
  t.notOk(covered.findings.some((f) => f.policy === 'network-policy-covers'), 'the NetworkPolicy selecting spec.labels covers the runtime pod');
});

t.test('KServe InferenceService: its own labels and the labels KServe sets are the predictor pod\'s', async (t) => {
  // predictor.go buildObjectMeta: Union(isvc.Labels, predictor.labels, {serving.kserve.io/inferenceservice: <name>, component: predictor}).
  const isvc = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'qwen', namespace: 'llm', labels: { team: 'ml' }, annotations: { 'llm-readiness/license-reviewed': 'true' } },
    spec: { predictor: { containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.10.1.1', args: ['--model', 'Qwen/Qwen3-8B'], resources: { limits: { 'nvidia.com/gpu': '1' } } }] } },
  };
  const ingress = [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }] }];
  const selecting = (name: string, matchLabels: Record<string, string>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'llm' },
    spec: { podSelector: { matchLabels }, policyTypes: ['Ingress'], ingress },
  });
  const covers = (policy: object): boolean =>
    !reviewObject(engine, isvc, { related: createRelatedSet([isvc, policy], { scope: 'the input set' }) }).findings.some((f) => f.policy === 'network-policy-covers');
  t.ok(covers(selecting('by-isvc', { 'serving.kserve.io/inferenceservice': 'qwen' })), 'the label KServe sets selects the pod');
  t.ok(covers(selecting('by-component', { 'serving.kserve.io/inferenceservice': 'qwen', component: 'predictor' })), 'with the component label');
  t.ok(covers(selecting('by-team', { team: 'ml' })), 'the InferenceService\'s own label is the pod\'s');
  t.notOk(covers(selecting('by-other', { 'serving.kserve.io/inferenceservice': 'other' })), 'another InferenceService\'s label does not select it');
  t.notOk(covers(selecting('transformer', { 'serving.kserve.io/inferenceservice': 'qwen', component: 'transformer' })), 'nor the transformer\'s');
  const review = reviewObject(engine, isvc, { related: createRelatedSet([isvc], { scope: 'the input set' }) });
  t.notOk(review.findings.some((f) => f.policy === 'phase0-annotations' && /license/.test(f.message)), 'the InferenceService\'s annotation is the pod\'s');
});

t.test('LLMInferenceService: a workload\'s labels and annotations are spec.labels and spec.prefill.labels', async (t) => {
  // WorkloadSpec.Labels/Annotations "will be added to the component pod"; template and worker are plain pod specs.
  const { objects, review, about } = metadataFindings('llminferenceservice.yaml');
  t.ok(about.length >= 4, `${about.length} findings about the pods' labels or annotations`);
  for (const f of about) t.match(f.path, /^spec\.(prefill\.)?(labels|annotations)$/, `${f.policy}: ${f.path}`);
  const isvc = structuredClone(objects[0]) as { spec: Record<string, unknown> };
  isvc.spec.labels = { 'llm-pool': 'qwen' };
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'pool-ingress', namespace: (objects[0] as { metadata: { namespace?: string } }).metadata.namespace ?? 'default' },
    spec: { podSelector: { matchLabels: { 'llm-pool': 'qwen' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }] }] },
  };
  const covered = reviewObject(engine, isvc, { related: createRelatedSet([isvc, policy], { scope: 'the input set' }) });
  const open = (r: typeof review): string[] => r.findings.filter((f) => f.policy === 'network-policy-covers').map((f) => f.path);
  t.same(open(review), ['spec.labels', 'spec.prefill.labels'], 'without it, neither workload is covered');
  t.same(open(covered), ['spec.prefill.labels'], 'the NetworkPolicy selecting spec.labels covers the decode pods, not the prefill ones');
});

t.test('Knative Revision: its own metadata is its pods\' (there is no spec.metadata)', async (t) => {
  const { about } = metadataFindings('knative-revision.yaml');
  t.ok(about.length >= 2, `${about.length} findings about the pod's labels or annotations`);
  for (const f of about) t.match(f.path, /^metadata\.(labels|annotations)$/, `${f.policy}: ${f.path}`);
});
