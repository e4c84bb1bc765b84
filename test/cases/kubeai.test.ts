// KubeAI (substratusai/kubeai, kubeai.org/v1 Model): a Model with engine VLLM is reviewed as the pod KubeAI's
// controller makes from it (internal/modelcontroller/engine_vllm.go@v0.21.0). What the Model writes (spec.args,
// spec.env, spec.image) is judged where it is written; what the installation decides (the image per resource
// profile, the profile's GPUs) could not be verified and never denies. Other engines run no vLLM.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { admit, loaded } from './admit.js';
import { run } from '../cli/run.js';

const engine = loaded.engine;
const FIXTURE = fileURLToPath(new URL('../fixtures/kinds/kubeai-model.yaml', import.meta.url));
type Model = { metadata: Record<string, unknown>; spec: Record<string, unknown> };
const model = (): Model => parse(readFileSync(FIXTURE, 'utf8')) as Model;
const check = (object: unknown): WorkloadReview => reviewObject(engine, object, { related: createRelatedSet([object], { scope: 'the input set' }) });
const findings = (review: WorkloadReview, policy: string) => review.findings.filter((f) => f.policy === policy);
const denied = (review: WorkloadReview) => review.findings.filter((f) => f.action === 'deny' && f.outcome === 'fail');

/** The Model with `spec` changes, as YAML a user would write (for line numbers through the CLI). */
const BAD = `apiVersion: kubeai.org/v1
kind: Model
metadata:
  name: qwen
  namespace: llm
spec:
  features: [TextGeneration]
  url: hf://Qwen/Qwen2.5-7B-Instruct
  engine: VLLM
  image: vllm/vllm-openai:v0.8.5
  args:
    - --max-model-len=8192
    - --tensor-parallel-szie
    - "2"
  env:
    VLLM_LOGGING_LEVEL: INFO
    HF_TOKEN: hf_abcdefghijklmnopqrstuvwxyz0123456789AB
  resourceProfile: nvidia-gpu-l4:2
`;

t.test("KubeAI's public example is reviewed as a vLLM server and nothing in it is denied", async (t) => {
  const review = check(model());
  t.equal(review.vllm, true);
  t.equal(review.skipped, undefined);
  t.same(denied(review), [], 'the catalog model passes admission');
  t.same(findings(review, 'service-exposes-server'), [], "KubeAI's proxy reaches the pods at model-pod-port 8000, vLLM's port");
  t.same(findings(review, 'readiness-model-aware'), [], 'KubeAI gives the server /health readiness and startup probes');
  t.same(findings(review, 'shm-mounted'), [], 'KubeAI mounts /dev/shm');
  t.same(findings(review, 'liveness-not-before-load'), [], 'the startup probe (5400 × 2 s) holds liveness until the model is loaded');
});

t.test('the image and GPUs the installation picks could not be verified, and never deny', async (t) => {
  const review = check(model());
  const image = findings(review, 'image-pinned');
  t.match(image, [{ outcome: 'unknown', message: /spec\.image is not written: KubeAI picks the vLLM image for the resource profile/ }]);
  for (const policy of ['gpu-resource-present', 'gpu-count-matches-parallelism', 'gpu-taint-toleration', 'memory-limit', 'non-root']) {
    const found = findings(review, policy);
    t.ok(found.length > 0, `${policy} speaks`);
    t.ok(found.every((f) => f.outcome === 'unknown' && f.action !== 'deny'), `${policy}: could not be verified`);
  }
  t.match(findings(review, 'gpu-resource-present'), [{ path: 'spec.resourceProfile', message: /resourceProfile nvidia-gpu-l4:1 is <profile>:<count>/ }]);
  const tp = model();
  tp.spec.args = ['--tensor-parallel-size=4'];
  tp.spec.resourceProfile = 'my-own-profile:1';
  t.same(denied(check(tp)), [], 'TP 4 on a profile of the cluster: unknown GPUs, no deny');
});

t.test('a bad vLLM argument and a literal HF_TOKEN in spec are denied where the Model writes them', async (t) => {
  const object = parse(BAD) as Model;
  const review = check(object);
  t.match(denied(review).map((f) => [f.policy, f.path]).sort(), [
    ['no-literal-secrets', 'spec.env.HF_TOKEN'],
    ['vllm-args-valid', 'spec.args[1]'],
  ]);
  t.match(findings(review, 'vllm-args-valid'), [{ message: /unknown option --tensor-parallel-szie \(did you mean --tensor-parallel-size\?\).*vLLM v0\.8\.5/ }]);
  t.equal(findings(review, 'image-pinned').length, 0, 'spec.image is written and pinned');
  const cli = await run(['check', '-'], { input: BAD });
  t.equal(cli.status, 1, 'check fails on the denials');
  t.match(cli.stdout, /DENY {2}no-literal-secrets .*\n\s+at stdin:17:15 spec\.env\.HF_TOKEN/);
  t.match(cli.stdout, /DENY {2}vllm-args-valid .*\n\s+at stdin:13:7 spec\.args\[1\]/);
  t.notMatch(cli.stdout, /hf_abcdefghijklmnopqrstuvwxyz/, 'the token is never printed');
});

t.test("vLLM's --port in spec.args moves it away from KubeAI's port 8000: the proxy's requests are refused", async (t) => {
  const object = model();
  object.spec.args = ['--port=9000'];
  t.match(findings(check(object), 'service-exposes-server'), [{ outcome: 'fail', message: /KubeAI's proxy routes to port 8000.*--port 9000/ }]);
});

t.test('a Model of another engine runs no vLLM: skipped, with no note', async (t) => {
  const ollama = { apiVersion: 'kubeai.org/v1', kind: 'Model', metadata: { name: 'gemma2-2b-cpu' }, spec: { features: ['TextGeneration'], url: 'ollama://gemma2:2b', engine: 'OLlama', resourceProfile: 'cpu:2' } };
  const review = check(ollama);
  t.equal(review.vllm, false);
  t.match(review.skipped, /spec\.engine is OLlama, not VLLM/);
  t.same(review.notes, []);
  t.same(review.findings, []);
});

t.test('the webhook reviews a Model and denies the bad one', async (t) => {
  const MODEL = { group: 'kubeai.org', version: 'v1', kind: 'Model', resource: 'models' };
  t.equal(admit(model(), MODEL, 'llm', 'jane@example.com').response.allowed, true);
  const bad = admit(parse(BAD), MODEL, 'llm', 'jane@example.com');
  t.equal(bad.response.allowed, false);
  t.match(bad.response.status?.message, /spec\.args\[1\]/);
});

t.test('a Model without a readable spec.url (a partial manifest) leaves the model unknown, not denied as "no model"', async (t) => {
  const object = model();
  delete object.spec.url;
  const review = check(object);
  t.same(denied(review), []);
  t.match(findings(review, 'model-reference'), [{ outcome: 'unknown', message: /spec\.url is not an hf:\/\/, pvc:\/\/, s3:\/\/, gs:\/\/ or oss:\/\/ URL/ }]);
});

t.test("the Pods KubeAI's controller makes from a Model are reviewed on their own: the Model leaves their image and GPUs unknown", async (t) => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'model-qwen-abc', namespace: 'default', ownerReferences: [{ apiVersion: 'kubeai.org/v1', kind: 'Model', name: 'qwen', uid: 'u-1', controller: true }] },
    spec: { containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.8.5', command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'], args: ['--model=Qwen/Qwen2.5-7B-Instruct', '--tensor-parallel-szie', '2'] }] },
  };
  const POD = { group: '', version: 'v1', kind: 'Pod', resource: 'pods' };
  // The Model leaves the image, GPUs and resources to the installation ("could not be verified"), so the Pod
  // KubeAI makes, which has them all, is reviewed on its own: skipping it as an owned child would leave them unchecked.
  const byKubeai = admit(pod, POD, 'default', 'system:serviceaccount:default:kubeai');
  t.equal(byKubeai.response.allowed, false, 'the Pod KubeAI makes is reviewed with its real image and resources');
  t.match(byKubeai.response.status?.message, /--tensor-parallel-szie/);
  t.equal(admit(pod, POD, 'default', 'jane@example.com').response.allowed, false, 'as one a person writes');
});
