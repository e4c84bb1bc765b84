// Kinds of faults found by the ninth set of public manifests (docs/recognition.md): GoogleCloudPlatform/
// accelerated-platforms' inference reference architecture (kustomize bases and rendered overlays),
// kubernetes-sigs/inference-perf's KubeCon demos and vllm-project/vllm-spyre's guides. The files are under
// test/fixtures/public-ninth/, each with a header naming its source. What a user of `check` sees.
import t from 'tap';
import { byName, engine, reviewAll } from './recognition-fixtures.js';
import { createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';

const ninth = (name: string): WorkloadReview[] => reviewAll(`../public-ninth/${name}`);
const finding = (r: WorkloadReview | undefined, policy: string) => r?.findings.find((f) => f.policy === policy);
const denies = (r: WorkloadReview | undefined) => (r?.findings ?? []).filter((f) => f.action === 'deny' && f.outcome === 'fail').map((f) => f.policy);
const inline = (text: string): WorkloadReview[] => {
  const objects = parseDocuments(text).map((d) => d.value);
  const related = createRelatedSet(objects, { scope: 'the input set' });
  return objects.map((o) => reviewObject(engine, o, { related }));
};

const SERVER = `apiVersion: apps/v1
kind: Deployment
metadata: {name: llm, namespace: ns}
spec:
  template:
    metadata: {labels: {app: llm}}
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.10.1.1
          args: [--model=Qwen/Qwen3-0.6B]
          ports: [{containerPort: 8000, name: metrics}]
          resources: {limits: {nvidia.com/gpu: 1}}
`;

t.test("GKE Managed Prometheus' PodMonitoring scrapes vLLM's /metrics", async (t) => {
  const demo = byName(ninth('inference-perf-kubecon-vllm.yaml'), 'vllm-deployment');
  t.equal(demo?.vllm, true);
  t.notOk(finding(demo, 'metrics-scraped'), 'the PodMonitoring on port "metrics" (8000) passes metrics-scraped');
  const cluster = `${SERVER}---
apiVersion: monitoring.googleapis.com/v1
kind: ClusterPodMonitoring
metadata: {name: all-llms}
spec:
  selector: {matchLabels: {app: llm}}
  endpoints: [{port: 8000, interval: 30s}]
`;
  t.notOk(finding(byName(inline(cluster), 'llm'), 'metrics-scraped'), 'a ClusterPodMonitoring by port number passes');
  // A PodMonitoring of another namespace, or on another port, does not reach vLLM.
  const elsewhere = `${SERVER}---
apiVersion: monitoring.googleapis.com/v1
kind: PodMonitoring
metadata: {name: llm, namespace: other}
spec:
  selector: {matchLabels: {app: llm}}
  endpoints: [{port: metrics}]
---
apiVersion: monitoring.googleapis.com/v1
kind: PodMonitoring
metadata: {name: llm-9090, namespace: ns}
spec:
  selector: {matchLabels: {app: llm}}
  endpoints: [{port: 9090}]
`;
  const missed = finding(byName(inline(elsewhere), 'llm'), 'metrics-scraped');
  t.equal(missed?.outcome, 'fail');
  t.equal(missed?.message, "the pods of Deployment llm are selected by PodMonitoring llm-9090, but none scrapes /metrics on vLLM's --port 8000: the vllm:* series are never collected");
});

t.test('a GKE ComputeClass selector pins the accelerator class', async (t) => {
  for (const file of ['gke-ira-online-gpu-h100-llama-3-3-70b-instruct.yaml', 'gke-ira-online-tpu-v6e-qwen3-32b.yaml']) {
    const review = ninth(file).find((r) => r.vllm);
    t.notOk(finding(review, 'gpu-node-selection'), `${file}: cloud.google.com/compute-class satisfies gpu-node-selection`);
  }
  const bare = finding(byName(inline(SERVER), 'llm'), 'gpu-node-selection');
  t.equal(bare?.outcome, 'fail', 'without a selector the warning stays');
});

t.test('a model path whose written start is a directory is local whatever the unresolved rest holds', async (t) => {
  const base = byName(ninth('gke-ira-online-gpu-vllm-base.yaml'), 'vllm');
  t.equal(base?.vllm, true);
  t.notOk(finding(base, 'model-reference'), '/gcs/$(MODEL_ID) is no Hugging Face id: no "without --revision"');
  t.notOk(finding(base, 'model-loading'), 'nor a download into the cache');
  const trust = finding(base, 'trust-remote-code');
  t.equal(trust?.outcome, 'fail');
  t.equal(trust?.message, 'container inference-server runs /gcs/$(MODEL_ID) with --trust-remote-code: Python code from the model repository executes inside the server');
  // A model whose start is the unresolved part stays unknown.
  const unknownStart = SERVER.replace('--model=Qwen/Qwen3-0.6B', '--model=$(MODEL_DIR)/x').replace(
    'image: vllm/vllm-openai:v0.10.1.1',
    'image: vllm/vllm-openai:v0.10.1.1\n          env: [{name: MODEL_DIR, valueFrom: {configMapKeyRef: {name: m, key: dir}}}]',
  );
  t.equal(finding(byName(inline(unknownStart), 'llm'), 'model-reference')?.outcome, 'unknown');
});

t.test('an image named replaced-by-kustomize is a placeholder, never denied as an unpinned image', async (t) => {
  for (const file of ['gke-ira-online-gpu-vllm-base.yaml', 'gke-ira-online-tpu-vllm-base-deployment.yaml']) {
    const base = byName(ninth(file), 'vllm');
    const pinned = finding(base, 'image-pinned');
    t.equal(pinned?.outcome, 'unknown', file);
    t.match(pinned?.message, /^could not be verified \(the image is a placeholder that names itself as replaced later \(by kustomize or a script\)\)/);
    t.equal(finding(base, 'gpu-resource-present')?.outcome, 'unknown', `${file}: whether the unwritten image is a CPU build is unknown`);
    t.same(denies(base), [], `${file}: nothing denied in the kustomize base`);
  }
});

t.test('vLLM as a native sidecar of a JobSet serves its own pod: whether it serves clients is unknown', async (t) => {
  const jobset = byName(ninth('gke-ira-offline-batch-worker-base-jobset.yaml'), 'obi');
  t.equal(jobset?.vllm, true);
  const reason = "could not be verified (vLLM runs as a sidecar container in the pods of a JobSet: it stops when the pod's main containers end, and may serve only them, on localhost)";
  for (const policy of ['service-exposes-server', 'api-auth', 'network-policy-covers']) {
    const f = finding(jobset, policy);
    t.equal(f?.outcome, 'unknown', policy);
    t.ok(f?.message.startsWith(reason), `${policy}: ${f?.message}`);
  }
});

t.test("IBM's vLLM Spyre image is a vLLM build whose ENTRYPOINT runs vllm serve", async (t) => {
  const spyre = byName(ninth('vllm-spyre-k8s.yaml'), 'granite-8b-instruct');
  t.equal(spyre?.vllm, true, 'vllm-spyre\'s own Kubernetes guide is reviewed');
  t.equal(finding(spyre, 'model-reference')?.message, 'model ibm-granite/granite-3.3-8b-instruct is a Hugging Face id without --revision: a new push to the repository changes what is served at the next restart');
  // ibm.com/aiu_pf is a device no row knows: unknown, never "no GPU".
  t.equal(finding(spyre, 'gpu-resource-present')?.outcome, 'unknown');
  // latest.amd64 is "the latest x86 build": it moves as latest does.
  const pinned = finding(spyre, 'image-pinned');
  t.equal(pinned?.action, 'deny');
  t.equal(pinned?.message, 'image quay.io/ibm-aiu/vllm-spyre:latest.amd64 is not pinned (tag latest.amd64, no digest): the vLLM version changes at the next pull');
  t.same(denies(spyre), ['image-pinned']);
});

t.test("an unknown finding names the unresolved value it turns on, not the container's first one", async (t) => {
  const text = SERVER.replace('args: [--model=Qwen/Qwen3-0.6B]', 'args: ["--gpu-memory-utilization=$(G)", "--model=$(MODEL_ID)", --trust-remote-code]').replace(
    'image: vllm/vllm-openai:v0.10.1.1',
    'image: vllm/vllm-openai:v0.10.1.1\n          env: [{name: G, valueFrom: {configMapKeyRef: {name: rt, key: g}}}, {name: MODEL_ID, valueFrom: {configMapKeyRef: {name: rt, key: m}}}]',
  );
  const trust = finding(byName(inline(text), 'llm'), 'trust-remote-code');
  t.equal(trust?.outcome, 'unknown');
  t.match(trust?.message, /^could not be verified \(MODEL_ID comes from configMapKeyRef: the ConfigMap rt is not in the input set\)/);
});
