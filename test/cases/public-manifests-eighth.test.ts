// Kinds of faults found by the eighth set of public manifests (docs/recognition.md): vLLM Ascend's
// guides, vllm-project/tpu-inference's GKE examples and CI manifests. Each fixture under
// test/fixtures/recognition/ names the file it is trimmed from. What a user of `check` sees.
import t from 'tap';
import { byName, reviewAll } from './recognition-fixtures.js';
import type { WorkloadReview } from '../../src/engine/api.js';

const finding = (r: WorkloadReview | undefined, policy: string, container?: string) =>
  r?.findings.find((f) => f.policy === policy && (container === undefined || f.container === container));
const denies = (r: WorkloadReview | undefined) => (r?.findings ?? []).filter((f) => f.action === 'deny' && f.outcome === 'fail').map((f) => f.policy);

t.test("Huawei Cloud CCE's huawei.com/ascend-1980 is an Ascend NPU, counted as devices", async (t) => {
  const reviews = reviewAll('ascend-cce-npu-resource.yaml');
  const kthena = byName(reviews, 'deepseek-v2-lite');
  for (const f of kthena?.findings ?? []) t.notMatch(f.message, /is not a resource vllm-guard knows/, `${f.policy} knows the resource`);
  t.notOk(finding(kthena, 'gpu-resource-present'), 'the NPUs are the accelerator: gpu-resource-present passes');
  const nodes = finding(kthena, 'gpu-node-selection');
  t.equal(nodes?.outcome, 'fail');
  t.match(nodes?.message, /^pod template requests huawei\.com\/ascend-1980 but neither its nodeSelector nor/);

  // vLLM Ascend's own image with `vllm serve`: the count is known, so tensor parallel 4 on 2 NPUs is a fault.
  const tp = finding(byName(reviews, 'ascend-tp-over-npus'), 'gpu-count-matches-parallelism');
  t.equal(tp?.action, 'deny');
  t.equal(tp?.outcome, 'fail');
  t.match(tp?.message, /needs an accelerator count of 4, but Deployment ascend-tp-over-npus has 2 \(2 per pod, group size 1\): vLLM fails at start/);

  // The same image through the DaoCloud mirror that vLLM Ascend's FAQ names is the Ascend build, not an unknown one.
  const mirror = byName(reviews, 'ascend-mirror-on-nvidia');
  t.equal(mirror?.detection?.[0]?.family, 'ascend');
  const mismatch = finding(mirror, 'gpu-resource-present');
  t.equal(mismatch?.action, 'deny');
  t.equal(mismatch?.message, 'container vllm runs m.daocloud.io/quay.io/ascend/vllm-ascend:v0.9.1, a vLLM build for ascend, on nvidia.com/gpu (nvidia): the build cannot use that device and vLLM fails at start');
});

t.test('a <your-…> placeholder is unknown, never denied as written', async (t) => {
  const reviews = reviewAll('angle-bracket-placeholders.yaml');
  const lws = byName(reviews, 'tpu-offline-inference-multihost');
  const pinned = finding(lws, 'image-pinned', 'vllm-leader');
  t.equal(pinned?.outcome, 'unknown', 'the image <your-tpu-inference-container-image> is no image reference');
  t.match(pinned?.message, /^could not be verified \(the image is a placeholder to be replaced, written in angle brackets, which no image reference holds\)/);

  // `--model=<your-model-path>` in the sh -c script: the model is a placeholder, not missing.
  const model = finding(lws, 'model-reference', 'vllm-leader');
  t.equal(model?.outcome, 'unknown');
  t.match(model?.message, /^could not be verified \(a placeholder in angle brackets for a person to replace before the manifest is applied\)/);
  t.notMatch(model?.message, /without a model/);
  t.same(denies(lws), [], 'nothing in the guide is denied');

  // The exec-form argv: `<tp>` is not refused as an invalid int, the model is not a hub id without --revision.
  const exec = byName(reviews, 'exec-form-placeholders');
  t.notOk(exec?.findings.find((f) => f.policy === 'vllm-args-valid' && f.outcome === 'fail'), '--tensor-parallel-size <tp> is not refused');
  t.equal(finding(exec, 'model-reference')?.outcome, 'unknown');
  t.equal(finding(exec, 'shm-mounted')?.outcome, 'unknown', 'how many ranks <tp> gives is not known');
});

t.test("the request proxy of vLLM's disaggregated-serving examples is not a vLLM server", async (t) => {
  const reviews = reviewAll('example-proxy-on-vllm-image.yaml');
  const proxy = byName(reviews, 'vllm-disagg-proxy');
  t.equal(proxy?.vllm, false, 'toy_proxy_server.py on vllm/vllm-tpu starts no engine');
  t.same(denies(proxy), [], 'no "no accelerator" or "no readinessProbe" deny');
  // A script of any other name may launch vLLM itself: still reviewed as a server whose arguments are unknown.
  const own = byName(reviews, 'own-launcher');
  t.equal(own?.vllm, true);
  t.equal(finding(own, 'dtype-explicit')?.outcome, 'unknown');
});

t.test('a bare Pod with restartPolicy Never runs to completion: whether it serves clients is unknown', async (t) => {
  const reviews = reviewAll('offline-pod-never-restarts.yaml');
  const offline = byName(reviews, 'tpu-job-offline-inference');
  const ready = finding(offline, 'readiness-model-aware');
  t.equal(ready?.outcome, 'unknown');
  t.match(ready?.message, /^could not be verified \(a Pod with restartPolicy Never runs to completion, and its script, which vllm-guard cannot read, may start vLLM only to benchmark or tune it on localhost, as vLLM's benchmarks\/auto_tune\/auto_tune\.sh does, or run vLLM offline\)/);
  t.equal(finding(offline, 'service-exposes-server')?.outcome, 'unknown');
  t.same(denies(offline), []);
  // The same Pod restarted by the kubelet is a server as written.
  const restarted = finding(byName(reviews, 'restarted-pod'), 'readiness-model-aware');
  t.equal(restarted?.action, 'deny');
  t.equal(restarted?.outcome, 'fail');
});

t.test('OpenShift AI\'s security.opendatahub.io/enable-auth: "true" on an InferenceService is an auth layer in front', async (t) => {
  const reviews = reviewAll('odh-hardware-profile-auth.yaml');
  const isvc = reviews.find((r) => r.kind === 'InferenceService' && r.name === 'granite-vllm-kserve');
  t.equal(isvc?.vllm, true);
  t.notOk(finding(isvc, 'api-auth'), 'enable-auth "true": api-auth passes');
  const open = finding(byName(reviews, 'open-model'), 'api-auth');
  t.equal(open?.outcome, 'fail', 'enable-auth "false" turns the layer off');
  t.match(open?.message, /^container kserve-container of InferenceService open-model serves the vLLM API without authentication/);
  // The ServingRuntime alone carries no switch: the InferenceService that uses it decides.
  t.equal(finding(reviews.find((r) => r.kind === 'ServingRuntime'), 'api-auth')?.outcome, 'fail');
});

t.test("an InferenceService naming an OpenShift AI HardwareProfile gets its GPU, scheduling and memory from it: unknown, not denied", async (t) => {
  const reviews = reviewAll('odh-hardware-profile-auth.yaml');
  const isvc = reviews.find((r) => r.kind === 'InferenceService' && r.name === 'granite-vllm-kserve');
  const reason = "could not be verified (OpenShift AI's webhook fills the resources, nodeSelector and tolerations from HardwareProfile redhat-ods-applications/nvidia-gpu-serving, an object the review does not read)";
  for (const policy of ['gpu-resource-present', 'gpu-taint-toleration', 'gpu-node-selection', 'memory-limit']) {
    const f = finding(isvc, policy);
    t.equal(f?.outcome, 'unknown', policy);
    t.ok(f?.message.startsWith(reason), `${policy}: ${f?.message}`);
  }
  t.same(denies(isvc).filter((p) => p === 'gpu-resource-present'), []);
  // Without a profile the missing GPU is a fault as written.
  const plain = finding(byName(reviews, 'open-model'), 'gpu-resource-present');
  t.equal(plain?.action, 'deny');
  t.equal(plain?.outcome, 'fail');
});
