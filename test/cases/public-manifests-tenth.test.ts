// Kinds of faults found by the tenth set of public manifests and failure reports (docs/recognition.md): Knative
// Services and Deployments of personal GKE repositories, a rendered Helm chart, FusionInfer's CRDs, and the
// reports kserve#3832, kserve#5063, aibrix#772 and production-stack#276. The files are under
// test/fixtures/public-tenth/, each with a header naming its source. What a user of `check` sees.
import t from 'tap';
import { byName, engine, reviewAll } from './recognition-fixtures.js';
import { createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';

const tenth = (name: string): WorkloadReview[] => reviewAll(`../public-tenth/${name}`);
const finding = (r: WorkloadReview | undefined, policy: string) => r?.findings.find((f) => f.policy === policy);
const inline = (text: string): WorkloadReview[] => {
  const objects = parseDocuments(text).map((d) => d.value);
  const related = createRelatedSet(objects, { scope: 'the input set' });
  return objects.map((o) => reviewObject(engine, o, { related }));
};

/** A KServe predictor.model (command from the ServingRuntime) with `args` as given. */
const kserveModel = (args: string) => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: llm, namespace: ns}
spec:
  predictor:
    model:
      modelFormat: {name: huggingface}
      args: ${args}
      resources: {limits: {nvidia.com/gpu: "1"}}
`;

t.test('a literal credential written in args is denied when the command comes from elsewhere (kserve#3832)', async (t) => {
  const review = byName(tenth('report-kserve-3832-hf-token-as-api-key.yaml'), 'huggingface-llama3');
  t.equal(review?.vllm, true);
  const secret = finding(review, 'no-literal-secrets');
  t.equal(secret?.action, 'deny');
  t.equal(secret?.outcome, 'fail');
  t.equal(secret?.path, 'spec.predictor.model.args[2]');
  t.equal(secret?.message, 'container kserve-container passes --api-key with a literal value on the command line: it is visible in the manifest and in the process list');
  t.notMatch(JSON.stringify(review), /hf_FAKE/, 'the value is never echoed');

  // The option and its value as two items, and --hf-token, are literal too.
  const split = finding(byName(inline(kserveModel('[--model_id=org/m, --hf-token, hf_FAKEfakeFAKEfake]')), 'llm'), 'no-literal-secrets');
  t.equal(split?.outcome, 'fail');
  t.equal(split?.path, 'spec.predictor.model.args[1]');
  t.match(split?.message, /passes --hf-token with a literal value/);

  // A value the kubelet expands (a Secret may fill it) or a placeholder is no literal credential.
  for (const args of ['[--model_id=org/m, --api-key, --port, "8080"]', '[--model_id=org/m, "--api-key=$(VLLM_API_KEY)"]', '[--model_id=org/m, --api-key, "<your-api-key>"]', '[--model_id=org/m, "--api-key={{ .Values.key }}"]']) {
    const r = byName(inline(kserveModel(args)), 'llm');
    t.notOk(r?.findings.some((f) => f.policy === 'no-literal-secrets' && f.outcome === 'fail'), `${args}: not a literal credential`);
  }
});

t.test('a GKE node pool selector pins the accelerator class', async (t) => {
  const knative = byName(tenth('knative-gke-kueue-llama3.yaml'), 'llama3');
  t.equal(knative?.vllm, true);
  t.notOk(finding(knative, 'gpu-node-selection'), 'cloud.google.com/gke-nodepool satisfies gpu-node-selection');
  // A label that names no pool still warns.
  const other = inline(`apiVersion: apps/v1
kind: Deployment
metadata: {name: llm, namespace: ns}
spec:
  template:
    metadata: {labels: {app: llm}}
    spec:
      nodeSelector: {team: ml}
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.10.1.1
          args: [--model=Qwen/Qwen3-0.6B]
          resources: {limits: {nvidia.com/gpu: 1}}
`);
  t.equal(finding(byName(other, 'llm'), 'gpu-node-selection')?.outcome, 'fail');
});

t.test('an object named like a serving kind of another API group says whose kind vllm-guard reads', async (t) => {
  const reviews = tenth('fusioninfer-runtimeprofile-and-service.yaml');
  const service = byName(reviews, 'llama3-inference-service');
  t.equal(service?.vllm, false);
  t.equal(service?.skipped, 'fusioninfer.io/v1alpha1 InferenceService is not a kind vllm-guard reads (it reads the InferenceService of serving.kserve.io)');
  // Its RuntimeProfile names the vLLM image it would run, as before.
  t.match(byName(reviews, 'vllm-aggregated-r1')?.skipped, /RuntimeProfile is not a kind vllm-guard reads, though .* names the vLLM image vllm\/vllm-openai:v0\.27\.1/);
});

// Regression guards (these pass on the base build too): the reports of the set whose fault vllm-guard already denied.
t.test('the failure reports are denied for the fault that broke them', async (t) => {
  const aibrix = finding(byName(tenth('report-aibrix-772-probes-kill-loading.yaml'), 'deepseek-r1-distill-llama-8b'), 'liveness-not-before-load');
  t.equal(aibrix?.action, 'deny');
  t.match(aibrix?.message, /restarts it after 135 s .* and there is no startupProbe/);
  const kserve = finding(byName(tenth('report-kserve-5063-llmisvc-liveness-before-load.yaml'), 'kserve-config-llm-template'), 'liveness-not-before-load');
  t.equal(kserve?.action, 'deny');
  t.match(kserve?.message, /restarts it after 150 s/);
  const shm = finding(byName(tenth('report-production-stack-276-tp-in-extraargs-no-shm.yaml'), 'vllm-opt125m-deployment-vllm'), 'shm-mounted');
  t.equal(shm?.action, 'deny');
  t.match(shm?.message, /--tensor-parallel-size 2.* without a \/dev\/shm mount/);
});
