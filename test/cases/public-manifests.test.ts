// Kinds of faults found by running `check` over public vLLM manifests (kubernetes-sigs/lws,
// GoogleCloudPlatform/kubernetes-engine-samples, rh-aiservices-bu/llm-on-openshift, …): each fixture
// under test/fixtures/recognition/ names the public file it is modeled on. What a user of `check` sees.
import t from 'tap';
import { byName, engine, fixture, reviewAll } from './recognition-fixtures.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';

const failing = (r: WorkloadReview | undefined, action?: string): string[] =>
  [...new Set((r?.findings ?? []).filter((f) => f.outcome === 'fail' && (action === undefined || f.action === action)).map((f) => f.policy))].sort();

t.test('LeaderWorkerSet: a Service and a NetworkPolicy selecting the name label the controller adds do select the leader', async (t) => {
  const [lws] = reviewAll('lws-service-selects-set-name.yaml');
  t.equal(lws?.vllm, true);
  t.notOk(failing(lws).includes('service-exposes-server'), 'the leader Service selects leaderworkerset.sigs.k8s.io/name: vllm, role: leader');
  t.notOk(failing(lws).includes('network-policy-covers'), 'the NetworkPolicy selects leaderworkerset.sigs.k8s.io/name: vllm');
});

t.test('LeaderWorkerSet: a selector on a label neither the template nor the controller sets still selects nothing', async (t) => {
  const objects = parseDocuments(fixture('lws-service-selects-set-name.yaml')).map((d) => d.value) as { kind: string; spec: { selector?: Record<string, string> } }[];
  const service = objects.find((o) => o.kind === 'Service')!;
  service.spec.selector = { 'leaderworkerset.sigs.k8s.io/name': 'another-set', role: 'leader' };
  const related = createRelatedSet(objects, { scope: 'the input set' });
  const lws = reviewObject(engine, objects[0], { related });
  t.ok(failing(lws).includes('service-exposes-server'), 'another set’s name does not select these pods');
});

const unknownPolicies = (r: WorkloadReview | undefined): string[] =>
  [...new Set((r?.findings ?? []).filter((f) => f.outcome === 'unknown').map((f) => f.policy))].sort();

t.test('an image no table knows, started with vLLM engine arguments only, is reviewed as vLLM with its arguments unknown', async (t) => {
  const [r] = reviewAll('args-only-unknown-image.yaml');
  t.equal(r?.vllm, true, 'two engine flags, one only vLLM takes: a strong signal');
  t.same(r?.detection?.map((d) => [d.name, d.role, d.signals.map((s) => `${s.kind}:${s.strength}`)]), [['server', 'server', ['engine-flags:strong']]]);
  t.same(failing(r, 'deny'), ['no-literal-secrets', 'readiness-model-aware'], 'what the manifest shows is judged');
  t.notOk(failing(r).includes('gpu-count-matches-parallelism'), 'TP read from arguments its unknown ENTRYPOINT receives: never a denial');
  t.ok(unknownPolicies(r).includes('dtype-explicit'));
  const reason = r?.findings.find((f) => f.policy === 'dtype-explicit')?.message ?? '';
  t.match(reason, /could not be verified \(the image's ENTRYPOINT is not known at admission; it is reviewed as vLLM because its arguments carry the vLLM engine flags --tensor-parallel-size, --max-model-len\)/);
});

t.test('an image whose name holds vllm with one flag only vLLM takes is a server; a CPU build of it is not denied for lacking a GPU', async (t) => {
  const reviews = reviewAll('weak-image-one-flag.yaml').filter((r) => r.kind === 'Deployment');
  const gpu = byName(reviews, 'vllm-gpu');
  t.equal(gpu?.vllm, true);
  t.same(failing(gpu, 'deny'), ['image-pinned', 'readiness-model-aware']);
  t.match(gpu?.findings.find((f) => f.policy === 'model-reference')?.message, /its image name holds vllm and its arguments carry --max-model-len/);
  const cpu = byName(reviews, 'vllm-cpu');
  t.equal(cpu?.vllm, true);
  t.notOk(failing(cpu).includes('gpu-resource-present'), 'no "vLLM finds no GPU": the image may be a CPU build');
  t.ok(unknownPolicies(cpu).includes('gpu-resource-present'), 'said as could not be verified');
});

t.test('a pod labelled ai.gke.io/inference-server: vllm running a wrapper is a vLLM server; one flag alone on an unknown image is not', async (t) => {
  const deployment = (labels: Record<string, string>, image: string, command: string[]) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm', namespace: 'ml' },
    spec: {
      selector: { matchLabels: { app: 'llm' } },
      template: {
        metadata: { labels: { app: 'llm', ...labels } },
        spec: { containers: [{ name: 'sidecar', image: 'envoyproxy/envoy:v1.31.0' }, { name: 'inference-server', image, command, resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
      },
    },
  });
  const labelled = reviewObject(engine, deployment({ 'ai.gke.io/inference-server': 'vllm' }, 'us-docker.pkg.dev/acme/serving/llm:1.4', ['python3', '/app/serve.py']));
  t.equal(labelled.vllm, true);
  t.same(labelled.detection?.map((d) => [d.name, d.role]), [['inference-server', 'server']], 'GKE names its server container inference-server');
  const unnamed = deployment({ 'ai.gke.io/inference-server': 'vllm' }, 'us-docker.pkg.dev/acme/serving/llm:1.4', ['python3', '/app/serve.py']);
  unnamed.spec.template.spec.containers[1]!.name = 'server';
  t.equal(reviewObject(engine, unnamed).vllm, false, 'two containers, no usual name: which one serves is not guessed (never the proxy)');
  const named = deployment({ 'ai.gke.io/inference-server': 'vllm' }, 'us-docker.pkg.dev/acme/serving/llm:1.4', ['python3', '/app/serve.py']);
  named.spec.template.spec.containers[1]!.name = 'vllm';
  t.same(reviewObject(engine, named).detection?.map((d) => [d.name, d.role]), [['vllm', 'server']]);
  const oneFlag = reviewObject(engine, deployment({}, 'us-docker.pkg.dev/acme/serving/llm:1.4', ['python3', '/app/serve.py', '--max-model-len', '4096']));
  t.equal(oneFlag.vllm, false, 'one engine flag on an image that says nothing is not enough');
  const tgi = reviewObject(engine, deployment({}, 'ghcr.io/huggingface/text-generation-inference:2.4.1', ['text-generation-launcher', '--model-id', 'x/y', '--max-total-tokens', '6144']));
  t.equal(tgi.vllm, false, 'TGI with its own flags stays out');
  const hfBackend = reviewObject(engine, deployment({}, 'kserve/huggingfaceserver:v0.15.0', ['python', '-m', 'huggingfaceserver', '--backend=huggingface', '--max-model-len', '4096', '--enforce-eager']));
  const batch = reviewObject(engine, deployment({}, 'us-docker.pkg.dev/acme/serving/llm:1.4', ['python3', '-m', 'vllm.entrypoints.openai.run_batch', '--max-model-len', '4096', '--max-num-seqs', '8']));
  t.equal(batch.vllm, false, 'run_batch takes engine flags and serves no API');
  t.equal(hfBackend.vllm, false, "KServe's transformers backend stays out, whatever vLLM-looking flags it is given");
});

t.test('batching and caching flags alone on an unknown image: a vLLM server, and the webhook is sent it', async (t) => {
  const [r] = reviewAll('engine-flags-batching-only.yaml');
  t.equal(r?.vllm, true);
  t.match(r?.detection?.[0]?.signals[0]?.detail, 'vLLM engine flags --max-num-seqs, --enforce-eager, --enable-prefix-caching');
});

t.test('a RayService labelled ai.gke.io/inference-server: vllm with a custom Serve app: the label picks no Ray container', async (t) => {
  // Shaped like GoogleCloudPlatform/kubernetes-engine-samples ai-ml/gke-ray/rayserve/llm/tpu/ray-service.tpu-v6e-multihost.yaml.
  const ray = {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name: 'vllm-tpu-multihost', labels: { 'ai.gke.io/inference-server': 'vllm' } },
    spec: {
      serveConfigV2: 'applications:\n- name: llm\n  import_path: serve_tpu_multihost:deployment\n',
      rayClusterConfig: {
        headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: 'us-docker.pkg.dev/acme/ray-vllm-tpu:1' }] } } },
        workerGroupSpecs: [{ groupName: 'tpu', replicas: 1, numOfHosts: 4, template: { spec: { containers: [{ name: 'ray-worker', image: 'us-docker.pkg.dev/acme/ray-vllm-tpu:1', resources: { limits: { 'google.com/tpu': '4' } } }] } } }],
      },
    },
  };
  t.equal(reviewObject(engine, ray).vllm, false);
});

t.test('an image written as a placeholder ($VLLM_IMAGE, ${TAG}) is never denied as unpinned: could not be verified', async (t) => {
  // The placeholder style of ray-project/kuberay ray-operator/config/samples/vllm/ray-service.vllm-tpu-v6e-singlehost.yaml
  // (image: $VLLM_IMAGE, filled by envsubst) and GKE's samples (${SERVE_IMAGE}), on a plain vLLM Deployment.
  const withImage = (image: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vllm', namespace: 'ml' },
    spec: {
      selector: { matchLabels: { app: 'vllm' } },
      template: { metadata: { labels: { app: 'vllm' } }, spec: { containers: [{ name: 'vllm', image, command: ['vllm', 'serve', 'Qwen/Qwen3-8B'], resources: { limits: { 'nvidia.com/gpu': '1' } } }] } },
    },
  });
  for (const image of ['$VLLM_IMAGE', '${REGISTRY}/vllm/vllm-openai:${TAG}', 'vllm/vllm-openai:{{ .Values.tag }}']) {
    const r = reviewObject(engine, withImage(image));
    const pinned = r.findings.filter((f) => f.policy === 'image-pinned');
    t.ok(pinned.length > 0 && pinned.every((f) => f.outcome === 'unknown' && f.action !== 'deny'), `${image}: ${pinned.map((f) => `${f.action}/${f.outcome}`).join(', ')}`);
    t.match(pinned[0]?.message, /^could not be verified \(the image is a (variable|template) placeholder/);
  }
  const latest = reviewObject(engine, withImage('vllm/vllm-openai:latest'));
  t.ok(failing(latest, 'deny').includes('image-pinned'), 'a literal :latest is still denied');
});

t.test('credentials a ConfigMap holds (OPEA vLLM charts: HF_TOKEN in the envFrom ConfigMap) are denied like literals', async (t) => {
  const reviews = reviewAll('configmap-held-token.yaml');
  const deployment = reviews.find((r) => r.kind === 'Deployment');
  const found = (deployment?.findings ?? []).filter((f) => f.policy === 'no-literal-secrets');
  t.same(found.map((f) => [f.action, f.outcome, f.path]), [
    ['deny', 'fail', 'spec.template.spec.containers[0].envFrom[0]'],
    ['deny', 'fail', 'spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef'],
  ], 'HF_TOKEN through envFrom, VLLM_API_KEY through configMapKeyRef; the empty S3 key is no credential');
  t.match(found[0]?.message, 'container vllm reads HF_TOKEN from ConfigMap vllm-config key HF_TOKEN: a ConfigMap holds the credential in plain text');
  for (const f of found) t.notMatch(`${f.message} ${f.remediation}`, /hf_FAKE|sk-fake/, 'the value is never echoed');
  // At admission the ConfigMaps are not looked up: nothing is claimed.
  const alone = reviewObject(engine, parseDocuments(fixture('configmap-held-token.yaml')).map((d) => d.value)[2]);
  t.same(alone.findings.filter((f) => f.policy === 'no-literal-secrets'), []);
});

t.test("KServe's Hugging Face server with --disable_vllm (KServe v0.12) serves with transformers: not reviewed as vLLM", async (t) => {
  // kserve/website docs/modelserving/v1beta1/llm/huggingface/README.md: the same InferenceService with and without --disable_vllm.
  const isvc = (extra: string[]) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'huggingface' },
    spec: { predictor: { containers: [{ name: 'kserve-container', image: 'kserve/huggingfaceserver:v0.12.1', args: ['--model_name=llama2', '--model_id=meta-llama/Llama-2-7b-chat-hf', ...extra], resources: { limits: { 'nvidia.com/gpu': '1' } } }] } },
  });
  t.equal(reviewObject(engine, isvc([])).vllm, true, 'vLLM by default');
  t.equal(reviewObject(engine, isvc(['--tensor_input_names=input_ids', '--disable_vllm'])).vllm, false);
  t.equal(reviewObject(engine, isvc(['--backend=huggingface'])).vllm, false, 'the v0.13+ spelling, as before');
  const merged = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'hf' }, spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, args: ['--model_id=x/y', '--disable_vllm'] } } } };
  t.equal(reviewObject(engine, merged).vllm, false, 'predictor.model with --disable_vllm is not the vLLM server either');
});

t.test('a container without an image (a kustomize patch read alone) is not denied as unpinned', async (t) => {
  // GoogleCloudPlatform/kubernetes-engine-samples ai-ml/llm-serving-gemma/vllm/vllm-7b-kvcache/patch.yaml: a
  // strategic-merge patch of the gemma Deployment, vLLM flags but no image.
  const patch = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vllm-gemma-deployment' },
    spec: { template: { spec: { containers: [{ name: 'inference-server', args: ['--model=$(MODEL_ID)', '--tensor-parallel-size=1', '--kv-cache-dtype=fp8_e5m2', '--max-model-len=1200'], resources: { limits: { 'nvidia.com/gpu': 1 } } }] } } },
  };
  const pinned = reviewObject(engine, patch).findings.filter((f) => f.policy === 'image-pinned');
  t.same(pinned.map((f) => [f.action, f.outcome]), [['warn', 'unknown']]);
  t.match(pinned[0]?.message, /^could not be verified \(the container names no image, as in a kustomize patch or a partial object\)/);
});

t.test('an envsubst template: GPU counts, image and argv written as ${VAR} are unknown, never denied', async (t) => {
  const [r] = reviewAll('envsubst-template.yaml');
  t.equal(r?.vllm, true);
  t.same(failing(r, 'deny'), [], 'no denial rests on a placeholder');
  const outcome = (policy: string): string[] => (r?.findings ?? []).filter((f) => f.policy === policy).map((f) => `${f.action}/${f.outcome}`);
  t.same(outcome('gpu-request-equals-limit'), ['warn/unknown'], 'not "request  and limit 0 differ"');
  t.match(r?.findings.find((f) => f.policy === 'gpu-request-equals-limit')?.message, /^could not be verified \(nvidia\.com\/gpu is written as a placeholder \(\$\{TP_SIZE_REASONING\}\) for a renderer to fill\)/);
  t.notOk(outcome('vllm-args-valid').some((o) => o.startsWith('deny')), 'not "invalid int value: ${TP_SIZE_REASONING}"');
  t.same(outcome('image-pinned'), ['warn/unknown']);
  t.ok(failing(r, 'warn').includes('gpu-taint-toleration'), 'what does not rest on a placeholder is still judged (nvidia.com/gpu, no toleration)');
});

t.test('a vLLM image kept alive with sleep (a shell to exec into) starts no server: no "vLLM finds no GPU and exits"', async (t) => {
  // vllm-project/aibrix samples/disaggregation/vllm/router.yaml: Pod disagg-proxy-router, an aibrix
  // vllm-openai image, command sh -c "sleep 6000", no GPU.
  const pod = (command: string[]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'disagg-proxy-router' },
    spec: { containers: [{ name: 'disagg-proxy', image: 'aibrix/vllm-openai:v0.10.0-cu128-nixl-v0.4.1-lmcache-0.3.2', command }] },
  });
  t.equal(reviewObject(engine, pod(['sh', '-c', 'sleep 6000'])).vllm, false);
  t.equal(reviewObject(engine, pod(['sleep', 'infinity'])).vllm, false);
  t.equal(reviewObject(engine, pod(['sh', '-c', 'exec tail -f /dev/null'])).vllm, false);
  const serving = reviewObject(engine, pod(['sh', '-c', 'sleep 5; vllm serve Qwen/Qwen3-8B']));
  t.equal(serving.vllm, true, 'a sleep before vllm serve is still a server');
  t.ok(failing(serving, 'deny').includes('gpu-resource-present'));
  t.equal(reviewObject(engine, pod(['sh', '-c', '/opt/start.sh'])).vllm, true, 'an unknown script on a vLLM image may start it: reviewed, arguments unknown');
});

t.test('an image written as a placeholder and no accelerator: whether it is a CPU build is unknown, not "vLLM finds no GPU"', async (t) => {
  // tchangkiat/aws-cdk-stacks archive/vllm-cpu/install-vllm-meta-llama.sh: a Graviton CPU build pushed to
  // ${AWS_ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com/vllm:arm64, sh -c "vllm serve …", no GPU.
  const deployment = (image: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vllm-meta-llama-server' },
    spec: {
      selector: { matchLabels: { app: 'vllm' } },
      template: { metadata: { labels: { app: 'vllm' } }, spec: { containers: [{ name: 'vllm', image, command: ['/bin/sh', '-c'], args: ['vllm serve meta-llama/Llama-3.2-1B-Instruct --max_model_len 2048'], resources: { requests: { cpu: 24, memory: '96Gi' } } }] } },
    },
  });
  const placeholder = reviewObject(engine, deployment('${AWS_ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com/vllm:arm64'));
  t.same(placeholder.findings.filter((f) => f.policy === 'gpu-resource-present').map((f) => `${f.action}/${f.outcome}`), ['warn/unknown']);
  const cuda = reviewObject(engine, deployment('vllm/vllm-openai:v0.10.1.1'));
  t.ok(failing(cuda, 'deny').includes('gpu-resource-present'), 'a CUDA build without a GPU is still denied');
});

t.test("NVIDIA Dynamo's vLLM worker (python3 -m dynamo.vllm) with TP 2 on one GPU is denied; its unknown Dynamo flag is not", async (t) => {
  const [r] = reviewAll('dynamo-worker-tp-too-few-gpus.yaml');
  t.equal(r?.vllm, true, 'the worker runs a vLLM engine');
  t.ok(r?.findings.some((f) => f.policy === 'gpu-count-matches-parallelism' && f.fix !== undefined), 'a written Deployment gets its fixes');
  t.notOk(r?.findings.some((f) => f.fix?.patch !== undefined && JSON.stringify(f.fix.patch).includes('startupProbe')), "no startupProbe on vLLM's port 8000: a worker serves health on Dynamo's system port");
  t.same(r?.detection?.[0]?.signals.find((s) => s.kind === 'argv')?.detail, 'runs python3 -m dynamo.vllm');
  t.same(failing(r, 'deny'), ['gpu-count-matches-parallelism', 'no-literal-secrets', 'shm-mounted']);
  t.match(r?.findings.find((f) => f.policy === 'gpu-count-matches-parallelism')?.message, /--tensor-parallel-size 2 × --pipeline-parallel-size 1 × data-parallel 1 needs an accelerator count of 2, but Deployment qwen-decode has 1/);
  t.notOk(failing(r).includes('vllm-args-valid'), '--router-shard-hint and --is-decode-worker may be Dynamo flags: never "unrecognized arguments"');
  for (const policy of ['readiness-model-aware', 'api-auth', 'service-exposes-server', 'metrics-exposed', 'probe-port-host', 'network-policy-covers']) {
    t.notOk((r?.findings ?? []).some((f) => f.policy === policy), `${policy}: a worker serves no vLLM HTTP API (the Dynamo frontend does)`);
  }
});

t.test("Dynamo's disaggregated example as Deployments: no deny, the frontend is not vLLM, the release comes from Dynamo's pins", async (t) => {
  const reviews = reviewAll('dynamo-disagg-deployments.yaml');
  t.equal(byName(reviews, 'vllm-disagg-frontend')?.vllm, false, 'python3 -m dynamo.frontend is not vLLM');
  for (const name of ['vllm-disagg-vllmdecodeworker', 'vllm-disagg-vllmprefillworker']) {
    const r = byName(reviews, name);
    t.equal(r?.vllm, true, `${name} is reviewed`);
    t.same(failing(r, 'deny'), [], `${name}: nothing denied`);
    t.notOk((r?.findings ?? []).some((f) => f.policy === 'probe-port-host'), 'probes on the system port 9090 are not "not vLLM\'s --port 8000"');
  }
  // vLLM's own flags are still judged, against the release Dynamo pins for vllm-runtime:0.6.1 (vLLM v0.11.0).
  const objects = parseDocuments(fixture('dynamo-disagg-deployments.yaml')).map((d) => d.value) as { spec: { template: { spec: { containers: { args: string[] }[] } } } }[];
  const worker = objects[1]!;
  worker.spec.template.spec.containers[0]!.args = ['python3 -m dynamo.vllm --model Qwen/Qwen3-0.6B --dtype float17'];
  const bad = reviewObject(engine, worker);
  t.match(bad.findings.find((f) => f.policy === 'vllm-args-valid')?.message, /--dtype float17 is not a value vLLM v0\.11\.0 accepts .*version from nvcr\.io\/nvidia\/ai-dynamo\/vllm-runtime:0\.6\.1 ships vLLM 0\.11\.0/);
});

t.test('a DynamoGraphDeployment: each service is the pod the Dynamo operator renders; TP 2 on resources.limits.gpu 1 is denied', async (t) => {
  const [r] = reviewAll('dynamo-graph-tp-too-few-gpus.yaml');
  t.equal(r?.vllm, true);
  t.same(r?.detection?.map((d) => [d.container, d.role]), [['spec.services.VllmDecodeWorker.extraPodSpec.mainContainer', 'server']], 'the worker only: dynamo.frontend is not vLLM');
  t.same(failing(r, 'deny'), ['gpu-count-matches-parallelism', 'no-literal-secrets'], 'the crash and the literal HF_TOKEN of the service envs');
  t.match(r?.findings.find((f) => f.policy === 'gpu-count-matches-parallelism')?.message, /needs an accelerator count of 2, but DynamoGraphDeployment vllm-agg has 1/);
  // Findings point where the object writes the field the operator moves into the pod.
  t.equal(r?.findings.find((f) => f.policy === 'gpu-count-matches-parallelism')?.path, 'spec.services.VllmDecodeWorker.resources.limits');
  t.equal(r?.findings.find((f) => f.policy === 'no-literal-secrets')?.path, 'spec.services.VllmDecodeWorker.envs[0].value');
  // The pod is rendered by the operator, not written: a patch of it would edit the wrong fields.
  t.same(r?.findings.filter((f) => f.fix !== undefined).map((f) => f.policy), [], 'no machine fix is offered');
  t.notOk(failing(r).includes('shm-mounted'), 'the operator mounts /dev/shm (shared-memory, 8Gi)');
});

t.test("Dynamo's disagg example as a DynamoGraphDeployment: no deny, nothing the operator adds reported missing", async (t) => {
  const [r] = reviewAll('dynamo-graph-disagg.yaml');
  t.equal(r?.vllm, true);
  t.same(r?.detection?.map((d) => d.container), ['spec.services.VllmDecodeWorker.extraPodSpec.mainContainer', 'spec.services.VllmPrefillWorker.extraPodSpec.mainContainer']);
  t.same(failing(r, 'deny'), []);
  for (const policy of ['shm-mounted', 'startup-probe-budget', 'liveness-not-before-load', 'gpu-resource-present', 'memory-limit']) {
    t.notOk(failing(r).includes(policy), `${policy}: given by the service or added by the operator`);
  }
  // With the operator's /dev/shm switched off, TP 2 on two GPUs needs it again.
  const objects = parseDocuments(fixture('dynamo-graph-disagg.yaml')).map((d) => d.value) as { spec: { services: Record<string, Record<string, unknown>> } }[];
  const worker = objects[0]!.spec.services.VllmDecodeWorker!;
  worker.sharedMemory = { disabled: true };
  worker.resources = { limits: { gpu: '2', memory: '40Gi' } };
  (worker.extraPodSpec as { mainContainer: { args: string[] } }).mainContainer.args = ['python3 -m dynamo.vllm --model Qwen/Qwen3-0.6B -tp 2'];
  t.ok(failing(reviewObject(engine, objects[0]), 'deny').includes('shm-mounted'));
});

t.test('a multinode Dynamo service (multinode.nodeCount 2): the operator launches it across the nodes, so multinode-backend never denies', async (t) => {
  // ai-dynamo/dynamo components/backends/vllm/deploy/disagg-multinode.yaml: decode, nodeCount 2, gpu "1", TP 2;
  // here on vllm-runtime:1.2.0 (vLLM v0.20.1, whose CUDA path stops without a backend when vLLM alone starts it).
  const objects = parseDocuments(fixture('dynamo-graph-tp-too-few-gpus.yaml')).map((d) => d.value) as { spec: { services: Record<string, Record<string, unknown>> } }[];
  const worker = objects[0]!.spec.services.VllmDecodeWorker!;
  worker.multinode = { nodeCount: 2 };
  worker.envs = [];
  (worker.extraPodSpec as { mainContainer: { image: string } }).mainContainer.image = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.2.0';
  const r = reviewObject(engine, objects[0]);
  t.same(failing(r, 'deny'), [], 'TP 2 over 2 nodes of 1 GPU fits the group');
  t.match(r.findings.find((f) => f.policy === 'multinode-backend'), { outcome: 'unknown', action: 'warn', message: /could not be verified \(the Dynamo operator launches a multinode service across its nodes itself/ });
});

t.test("a Dynamo worker with --headless is a secondary node of a multi-node engine: no HTTP rules, no TP check of its own", async (t) => {
  // ai-dynamo/dynamo tests/serve/launch/multi_node_tp_headless.sh: the node-rank 1 worker of TP 2 over 2 nodes.
  const pod = (extra: string[]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'dynamo-tp-rank1' },
    spec: {
      containers: [{
        name: 'main',
        image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.2.0',
        command: ['python3', '-m', 'dynamo.vllm'],
        args: ['--model', 'Qwen/Qwen3-0.6B', '--tensor-parallel-size', '2', '--nnodes', '2', '--node-rank', '1', '--master-addr', '10.0.0.1', ...extra],
        resources: { limits: { 'nvidia.com/gpu': 1 } },
      }],
    },
  });
  const headless = reviewObject(engine, pod(['--headless']));
  t.same(headless.detection?.map((d) => d.role), ['ray-worker']);
  t.notOk(failing(headless).includes('gpu-count-matches-parallelism'));
  t.same(reviewObject(engine, pod([])).detection?.map((d) => d.role), ['server'], 'without --headless it is the engine itself');
});

t.test('a Dynamo worker is still held to what any vLLM engine needs: liveness against the load, image pin', async (t) => {
  const objects = parseDocuments(fixture('dynamo-disagg-deployments.yaml')).map((d) => d.value) as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }[];
  const worker = objects[1]!.spec.template.spec.containers[0]!;
  worker.livenessProbe = { httpGet: { path: '/live', port: 'system' }, periodSeconds: 5, failureThreshold: 3 };
  worker.image = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:latest';
  const r = reviewObject(engine, objects[1]);
  t.same(failing(r, 'deny'), ['image-pinned', 'liveness-not-before-load']);
  t.match(r.findings.find((f) => f.policy === 'liveness-not-before-load')?.message, /restarts it after 15 s .* and there is no startupProbe/);
});

const outcomes = (r: WorkloadReview | undefined, policy: string): string[] => (r?.findings ?? []).filter((f) => f.policy === policy).map((f) => `${f.action}/${f.outcome}`);

t.test('an abbreviated option (argparse allow_abbrev) is accepted when the image names no vLLM release', async (t) => {
  const [patch] = reviewAll('abbreviated-option-no-release.yaml');
  t.equal(patch?.vllm, true);
  t.same(outcomes(patch, 'vllm-args-valid'), [], 'not "unknown option --max-num-batched-token"');
  t.same(outcomes(patch, 'batching-explicit'), [], 'the abbreviation sets --max-num-batched-tokens for the facts too');
  // The same patch with a real typo (inline: test/engine/vllm/manifest-flags.test.ts keeps fixtures' flags valid).
  const typoPatch = parseDocuments(fixture('abbreviated-option-no-release.yaml'))[0]?.value as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
  typoPatch.spec.template.spec.containers[0]!.args = ['Qwen/Qwen3-8B', '--max-num-batched-tokns=16000'];
  const typo = reviewObject(engine, typoPatch);
  t.same(outcomes(typo, 'vllm-args-valid'), ['deny/fail'], 'a prefix of no option is still a typo');
  const message = typo?.findings.find((f) => f.policy === 'vllm-args-valid')?.message ?? '';
  t.match(message, /unknown option --max-num-batched-tokns \(did you mean --max-num-batched-tokens\?\)/);
  t.match(message, /version from no image \(the container names none, as in a kustomize patch or a partial object\)$/, 'not "version from  with no tag (latest)"');
  for (const image of ['vllm/vllm-openai:latest', 'vllm/vllm-openai@sha256:' + 'a'.repeat(64), 'vllm/vllm-openai:v0.10.1.1']) {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'm', image, command: ['vllm', 'serve'], args: ['Qwen/Qwen3-8B', '--max-num-batched-token=16000', '--max-num-seq', '8'], resources: { limits: { 'nvidia.com/gpu': 1 } } }] } };
    t.same(outcomes(reviewObject(engine, pod), 'vllm-args-valid'), [], `${image}: abbreviations accepted`);
  }
  const tp = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'm', image: 'vllm/vllm-openai:v0.10.1.1', args: ['--model', 'Qwen/Qwen3-8B', '--tensor-parallel', '2', '--max-model-le', '4096'], resources: { limits: { 'nvidia.com/gpu': 1 } } }] } };
  const short = reviewObject(engine, tp);
  t.same(outcomes(short, 'gpu-count-matches-parallelism'), ['deny/fail'], '--tensor-parallel 2 is TP 2: two GPUs needed, one given');
  t.same(outcomes(short, 'max-model-len'), [], '--max-model-le 4096 sets the context length');
});

t.test('TPU7x: google.com/tpu counts chips of two TensorCores, so TP 8 on 4 chips is unknown, not denied; v6e stays denied', async (t) => {
  const reviews = reviewAll('tpu7x-two-cores-per-chip.yaml');
  const v7 = byName(reviews, 'decode');
  t.same(outcomes(v7, 'gpu-count-matches-parallelism'), ['warn/unknown']);
  t.match(v7?.findings.find((f) => f.policy === 'gpu-count-matches-parallelism')?.message, /^could not be verified \(google\.com\/tpu counts TPU7x chips, and each TPU7x chip holds two TensorCores/);
  t.ok(failing(v7).includes('gpu-taint-toleration'), 'the rest of the TPU rules still judge it');
  const v6e = byName(reviews, 'decode-v6e');
  t.same(outcomes(v6e, 'gpu-count-matches-parallelism'), ['deny/fail'], 'one TensorCore per v6e chip: TP 8 on 4 chips fails');
});

t.test('an image name in upper case (REPLACE_MODEL_SERVER_IMAGE) is a placeholder: unknown, not "not pinned"', async (t) => {
  const reviews = reviewAll('uppercase-image-placeholder.yaml');
  const placeholder = byName(reviews, 'baseline');
  t.equal(placeholder?.vllm, true, 'still reviewed: vllm serve');
  t.same(outcomes(placeholder, 'image-pinned'), ['warn/unknown']);
  t.match(placeholder?.findings.find((f) => f.policy === 'image-pinned')?.message, /^could not be verified \(the image is a placeholder to be replaced: an image name in upper case/);
  t.ok(failing(placeholder, 'deny').includes('readiness-model-aware'), 'what does not rest on the image is still judged');
  const upperTag = byName(reviews, 'upper-tag');
  t.same(outcomes(upperTag, 'image-pinned').map((o) => o.split('/')[1]), ['fail'], 'a tag in upper case is a valid reference: judged, not unknown');
});

t.test('an OpenShift AI runtime (quay.io/modh/vllm) started with --port and --model only is reviewed as vLLM; its CPU build needs no GPU', async (t) => {
  const reviews = reviewAll('odh-servingruntime-args-only.yaml');
  const runtime = reviews.find((r) => r.kind === 'ServingRuntime');
  t.equal(runtime?.vllm, true, 'was vllm: false (no engine flag, an image no table knew)');
  t.same(runtime?.detection?.map((d) => [d.name, d.role, d.signals.map((s) => `${s.kind}:${s.strength}`)]), [['kserve-container', 'server', ['image:strong']]]);
  t.same(failing(runtime, 'deny'), ['readiness-model-aware'], 'no probe on the runtime: the product decision for KServe runtimes');
  t.ok(unknownPolicies(runtime).includes('max-model-len'), 'arguments after an ENTRYPOINT not sourced stay unknown');
  const cpu = byName(reviews, 'cpu-model');
  t.equal(cpu?.vllm, true);
  t.same(outcomes(cpu, 'gpu-resource-present').filter((o) => o.startsWith('deny')), [], 'rhoai-2.20-cpu is a CPU build');
});

t.test('a GPU given by the container runtime (CDI annotation, NVIDIA_VISIBLE_DEVICES) is unknown, not "vLLM finds no GPU"', async (t) => {
  const reviews = reviewAll('runtime-devices-outside-limits.yaml');
  const cdi = byName(reviews, 'vllm-cdi');
  t.same(outcomes(cdi, 'gpu-resource-present'), ['warn/unknown']);
  t.match(cdi?.findings.find((f) => f.policy === 'gpu-resource-present')?.message, /^could not be verified \(the pod asks the container runtime for devices with the CDI annotation cdi\.k8s\.io\/gpu: nvidia\.com\/gpu=all, outside resources\.limits/);
  t.same(failing(cdi, 'deny'), ['readiness-model-aware'], 'nothing else is denied for the missing limit');
  const env = byName(reviews, 'vllm-env');
  t.same(outcomes(env, 'gpu-resource-present'), ['warn/unknown']);
  t.match(env?.findings.find((f) => f.policy === 'gpu-resource-present')?.message, /NVIDIA_VISIBLE_DEVICES=all/);
  const none = byName(reviews, 'vllm-void');
  t.same(outcomes(none, 'gpu-resource-present'), ['deny/fail'], 'NVIDIA_VISIBLE_DEVICES=void exposes no device');
});

t.test('a LeaderWorkerSet of size 1 runs no workers: its workerTemplate is not judged; with size 2 or a placeholder size it is', async (t) => {
  const [lws] = reviewAll('lws-size-one-no-workers.yaml');
  t.same(lws?.detection?.map((d) => d.name), ['vllm-leader'], 'only the leader runs');
  t.notOk(lws?.findings.some((f) => f.path.includes('workerTemplate')), 'no finding on the 0-replica worker StatefulSet');
  const object = parseDocuments(fixture('lws-size-one-no-workers.yaml'))[0]?.value as { spec: { leaderWorkerTemplate: { size: unknown } } };
  for (const size of [2, '${GROUP_SIZE}']) {
    object.spec.leaderWorkerTemplate.size = size;
    const group = reviewObject(engine, object);
    t.ok(group.findings.some((f) => f.path.includes('workerTemplate') && f.policy === 'image-pinned' && f.action === 'deny'), `size ${String(size)}: the workers' :latest is judged`);
  }
});

t.test('a VLLM_* variable the command line consumes ("--model ${VLLM_MODEL}") is not "ignored by vLLM"; one nothing reads still is', async (t) => {
  const deployment = reviewAll('env-consumed-by-argv.yaml').find((r) => r.kind === 'Deployment');
  const env = (deployment?.findings ?? []).filter((f) => f.policy === 'vllm-env').map((f) => f.message);
  t.notOk(env.some((m) => /VLLM_(?:MODEL|DTYPE|MAX_MODEL_LEN) is not read/.test(m)), 'the script puts them into the arguments');
  t.ok(env.some((m) => m.includes('VLLM_SERVED_NAME is not read by vLLM')), 'a variable nothing reads is still reported');
  t.match(deployment?.findings.find((f) => f.policy === 'model-reference')?.message, /facebook\/opt-1\.3b/, 'the value reached the arguments');
});

t.test("LWS's ray_init.sh worker is a Ray worker, not an API server started without a model", async (t) => {
  const [lws] = reviewAll('lws-ray-init-worker.yaml');
  t.same(lws?.detection?.map((d) => [d.name, d.role]), [['vllm-leader', 'server'], ['vllm-worker', 'ray-worker']]);
  const worker = (lws?.findings ?? []).filter((f) => f.path.includes('workerTemplate') && f.action === 'deny');
  t.same(worker.map((f) => f.policy), [], 'no "no readinessProbe", no "starts vLLM without a model" on the worker');
  t.notOk(failing(lws, 'deny').includes('gpu-count-matches-parallelism'), 'TP 16 over 4 pods × 4 GPUs');
});

t.test('--data-parallel-size-local counts the ranks of each pod of the group: DP 8 as 4 per pod on 2 × 4 GPUs fits, no fix halves the GPUs', async (t) => {
  const [lws] = reviewAll('lws-data-parallel-local.yaml');
  t.same(outcomes(lws, 'gpu-count-matches-parallelism'), [], 'not "uses 4 of the 8 accelerators" (and no fix lowering the limit to 2 per pod)');
  const object = parseDocuments(fixture('lws-data-parallel-local.yaml'))[0]?.value as { spec: { leaderWorkerTemplate: { workerTemplate: { spec: { containers: { resources: { limits: Record<string, string> } }[] } } } } };
  object.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0]!.resources.limits['nvidia.com/gpu'] = '2';
  const short = reviewObject(engine, object);
  t.same(outcomes(short, 'gpu-count-matches-parallelism'), ['deny/fail'], 'each pod runs 4 ranks on 2 GPUs');
  t.match(short.findings.find((f) => f.policy === 'gpu-count-matches-parallelism')?.message, /data-parallel 8 needs an accelerator count of 8, but LeaderWorkerSet vllm-dp has 4 \(2 per pod, group size 2\)/);
});

// Ray Serve LLM (ray.serve.llm:build_openai_app in a RayService's serveConfigV2): engine_kwargs are the
// engine's vLLM arguments (ray-project/ray python/ray/llm/_internal/serve/engines/vllm/vllm_models.py).
const kindFixture = (name: string): unknown =>
  parseDocuments(readFileSync(fileURLToPath(new URL(`../fixtures/kinds/${name}`, import.meta.url)), 'utf8'))[0]?.value;
const ENGINE_RULES = ['vllm-args-valid', 'gpu-count-matches-parallelism', 'dtype-vs-accelerator', 'max-model-len', 'context-within-model', 'model-fits-memory'];

t.test('Ray Serve LLM: the kuberay llm-serve sample is reviewed from its engine_kwargs and not denied', async (t) => {
  const r = reviewObject(engine, kindFixture('rayservice.yaml'));
  t.same(failing(r, 'deny'), []);
  const head = r.detection?.find((d) => d.name === 'ray-head');
  t.equal(head?.role, 'server');
  t.ok(head?.signals.some((s) => s.kind === 'serving-kind' && /Ray Serve LLM engine \(serveConfigV2 llm_configs\[0\]\)/.test(s.detail)));
  // What is written in engine_kwargs counts: max_model_len 1024 and dtype bfloat16 are set.
  t.notOk(failing(r).includes('max-model-len'));
  t.notOk(failing(r).includes('dtype-explicit'));
  // Ray Serve's proxy serves HTTP, not vLLM's server: no API key, Service or probe on vLLM's port is asked.
  for (const id of ['api-auth', 'service-exposes-server', 'readiness-model-aware', 'metrics-scraped']) t.notOk(failing(r).includes(id), id);
  const revision = r.findings.find((f) => f.policy === 'model-reference');
  t.equal(revision?.path, 'spec.serveConfigV2', 'the arguments are reported where they are written');
  t.match(revision?.message, /Qwen\/Qwen2\.5-7B-Instruct/);
  t.same(reviewObject(engine, kindFixture('rayservice.yaml')), r, 'a second review (the serveConfigV2 reading remembered) says the same');
});

t.test('Ray Serve LLM: DeepSeek-R1 with TP 8 × PP 2 on two 8-GPU workers fits the cluster', async (t) => {
  const [r] = reviewAll('rayservice-llm-deepseek.yaml');
  t.same(failing(r, 'deny'), []);
  t.notOk(failing(r).includes('gpu-count-matches-parallelism'));
});

t.test('Ray Serve LLM: tensor_parallel_size 8 on a Ray cluster of 4 GPUs is denied, naming where it is written', async (t) => {
  const [r] = reviewAll('rayservice-llm-tp-over-cluster.yaml');
  t.same(failing(r, 'deny'), ['gpu-count-matches-parallelism']);
  const deny = r?.findings.find((f) => f.policy === 'gpu-count-matches-parallelism' && f.action === 'deny');
  t.match(deny?.message, /--tensor-parallel-size 8 \(from serveConfigV2 llm_configs\[0\]\.engine_kwargs\.tensor_parallel_size\) .* needs an accelerator count of 8, but RayService llm-tp8 has 4/);
  t.equal(deny?.path, 'spec.rayClusterConfig.workerGroupSpecs', 'the accelerators are the worker groups’, not the head container’s');
});

t.test('Ray Serve LLM: with Ray autoscaling the cluster counts at maxReplicas; without a bound it is unknown, never denied', async (t) => {
  const [object] = parseDocuments(fixture('rayservice-llm-tp-over-cluster.yaml')).map((d) => d.value) as { spec: { rayClusterConfig: Record<string, unknown> & { workerGroupSpecs: Record<string, unknown>[] } } }[];
  const cluster = object!.spec.rayClusterConfig;
  cluster.enableInTreeAutoscaling = true;
  cluster.workerGroupSpecs[0]!.maxReplicas = 2;
  t.notOk(failing(reviewObject(engine, object), 'deny').includes('gpu-count-matches-parallelism'), '2 × 4 GPUs at most: TP 8 fits');
  delete cluster.workerGroupSpecs[0]!.maxReplicas;
  const unbounded = reviewObject(engine, object);
  t.notOk(failing(unbounded, 'deny').includes('gpu-count-matches-parallelism'));
  t.match(unbounded.findings.find((f) => f.policy === 'gpu-count-matches-parallelism')?.message ?? '', /could not be verified \(Ray's autoscaler may add workers/);
});

t.test('Ray Serve LLM: an engine_kwargs key no vLLM release has and bfloat16 on accelerator_type T4 are denied', async (t) => {
  const [r] = reviewAll('rayservice-llm-faults.yaml');
  t.same(failing(r, 'deny'), ['dtype-vs-accelerator', 'vllm-args-valid']);
  const args = r?.findings.find((f) => f.policy === 'vllm-args-valid');
  t.match(args?.message, /unknown engine argument max_num_seq \(did you mean max_num_seqs\?\) \(from serveConfigV2 llm_configs\[0\]\.engine_kwargs\.max_num_seq\) \(container ray-head\): vLLM never starts: Ray raises ValueError "Unknown engine argument: max_num_seq"/);
  t.equal(args?.remediation, 'use max_num_seqs', 'the fix names the engine_kwargs key');
  t.equal(args?.path, 'spec.serveConfigV2');
  t.match(r?.findings.find((f) => f.policy === 'dtype-vs-accelerator')?.message, /--dtype bfloat16 on Tesla T4 \(compute capability 7\.5\)/);
});

t.test('Ray Serve LLM: a serveConfigV2 that is not YAML is a note, and the head stays reviewed as before', async (t) => {
  const [, r] = reviewAll('rayservice-llm-faults.yaml');
  t.equal(r?.name, 'llm-malformed');
  t.match(r?.notes.join('\n'), /spec\.serveConfigV2 is not valid YAML \(.*\): KubeRay cannot read it, and its Ray Serve apps are not reviewed/);
  t.same(failing(r, 'deny'), []);
});

t.test('a RayService whose Serve app has its own import path gets no vLLM argument findings', async (t) => {
  const [r] = reviewAll('rayservice-custom-import.yaml');
  t.same(failing(r, 'deny'), []);
  t.same(r?.notes, []);
  for (const f of r?.findings ?? []) {
    if (ENGINE_RULES.includes(f.policy)) t.not(f.outcome, 'fail', `${f.policy} judges no argument it cannot read`);
    t.notMatch(f.message, /serveConfigV2 /, 'nothing is read from the custom app');
  }
});

t.test('Ray Serve LLM: engine_kwargs Ray refuses itself (model, a backend other than ray) are denied; on use_cpu the backend is not', async (t) => {
  const [object] = parseDocuments(fixture('rayservice-llm-tp-over-cluster.yaml')).map((d) => d.value) as { spec: { serveConfigV2: string } }[];
  const written = object!.spec.serveConfigV2;
  object!.spec.serveConfigV2 = written.replace('tensor_parallel_size: 8', 'tensor_parallel_size: 4\n        model: Qwen/Qwen2.5-7B-Instruct\n        distributed_executor_backend: mp');
  const r = reviewObject(engine, object);
  t.same(failing(r, 'deny'), ['vllm-args-valid']);
  const messages = r.findings.filter((f) => f.policy === 'vllm-args-valid').map((f) => f.message);
  // Both refusals in the one field they are written in (serveConfigV2), not only the first.
  t.match(messages, [/^2 arguments: engine_kwargs\.model, engine_kwargs\.distributed_executor_backend \(from serveConfigV2 llm_configs\[0\]\.engine_kwargs\) \(container ray-head\): vLLM never starts: Ray refuses model in engine_kwargs \(ValueError\)/]);
  t.equal(messages.length, 1);
  object!.spec.serveConfigV2 = written.replace('tensor_parallel_size: 8', 'tensor_parallel_size: 4\n        distributed_executor_backend: mp');
  t.match(reviewObject(engine, object).findings.find((f) => f.policy === 'vllm-args-valid')?.message, /distributed_executor_backend mp: Ray Serve LLM runs vLLM on Ray .*Ray refuses distributed_executor_backend != 'ray'/);
  object!.spec.serveConfigV2 = written.replace('tensor_parallel_size: 8', 'tensor_parallel_size: 4\n        distributed_executor_backend: mp').replace('accelerator_type: L4', 'use_cpu: true');
  t.notOk(failing(reviewObject(engine, object), 'deny').includes('vllm-args-valid'), 'a CPU engine may use another backend');
});

t.test('Ray Serve LLM on the plain Ray image: the app alone makes the head the engine and the workers its Ray workers', async (t) => {
  const [r] = reviewAll('rayservice-llm-ray-image.yaml');
  t.equal(r?.vllm, true, 'rayproject/ray names neither vllm nor ray-llm: the Serve app is the signal');
  t.same(r?.detection?.map((d) => [d.name, d.role]), [['ray-head', 'server'], ['ray-worker', 'ray-worker']]);
  t.same(failing(r, 'deny'), [], 'TP 2 × PP 2 fits the 2 × 2 GPUs autoscaling may reach');
  t.ok(failing(r).includes('gpu-taint-toleration'), 'the workers get the GPU rules');
});

t.test('Ray Serve LLM: the model and accelerator_type are judged as for any vLLM server (heads, memory)', async (t) => {
  const [object] = parseDocuments(fixture('rayservice-llm-tp-over-cluster.yaml')).map((d) => d.value) as { spec: { serveConfigV2: string } }[];
  const written = object!.spec.serveConfigV2;
  object!.spec.serveConfigV2 = written.replace('Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen3-8B').replace('tensor_parallel_size: 8', 'tensor_parallel_size: 3');
  const heads = reviewObject(engine, object);
  t.same(failing(heads, 'deny'), ['parallelism-fits-model']);
  t.match(heads.findings.find((f) => f.policy === 'parallelism-fits-model')?.message, /--tensor-parallel-size 3 with Qwen3-8B \(32 attention heads\)/);
  object!.spec.serveConfigV2 = written.replace('Qwen/Qwen2.5-7B-Instruct', 'meta-llama/Llama-3.1-70B-Instruct').replace('tensor_parallel_size: 8', 'tensor_parallel_size: 1').replace('accelerator_type: L4', 'accelerator_type: A10G');
  const memory = reviewObject(engine, object);
  t.same(failing(memory, 'deny'), ['model-fits-memory']);
  t.match(memory.findings.find((f) => f.policy === 'model-fits-memory')?.message, /A10G: .* more than 24 GiB/);
  object!.spec.serveConfigV2 = written.replace('Qwen/Qwen2.5-7B-Instruct', 'meta-llama/Llama-3.1-70B-Instruct').replace('tensor_parallel_size: 8', 'tensor_parallel_size: 1').replace('accelerator_type: L4', 'accelerator_type: GB200');
  t.same(failing(reviewObject(engine, object), 'deny'), [], 'an accelerator_type the catalogue does not know leaves the GPU unknown');
});

// KServe merges an InferenceService's predictor.model into its ServingRuntime's kserve-container
// (kserve/kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go@v0.20.0 MergeRuntimeContainers).
const KSERVE_PAIR = 'kserve-isvc-runtime-tp-too-few-gpus.yaml';
type KserveObject = { kind: string; metadata: { name: string }; spec: { predictor: { model: Record<string, unknown> }; containers: { args: string[] }[]; supportedModelFormats: unknown[] } };
const kservePair = () => parseDocuments(fixture(KSERVE_PAIR)).map((d) => d.value) as KserveObject[];
const reviewIsvc = (objects: KserveObject[], withSet = true): WorkloadReview =>
  reviewObject(engine, objects.find((o) => o.kind === 'InferenceService'), withSet ? { related: createRelatedSet(objects, { scope: 'the input set' }) } : {});

t.test('KServe: an InferenceService and the ServingRuntime it names, in one input set, are judged as the pod KServe makes', async (t) => {
  const [runtime, isvc] = reviewAll(KSERVE_PAIR);
  t.equal(isvc?.vllm, true);
  t.same(failing(isvc, 'deny'), ['gpu-count-matches-parallelism'], 'the model’s --tensor-parallel-size=2 on the model’s one GPU');
  const tp = isvc?.findings.find((f) => f.policy === 'gpu-count-matches-parallelism');
  t.match(tp?.message, /needs an accelerator count of 2, but InferenceService qwen-chat has 1/);
  t.equal(tp?.path, 'spec.predictor.model.resources.limits');
  t.same(unknownPolicies(isvc), [], 'image, command, probes and /dev/shm come from the runtime: nothing left unverified');
  for (const policy of ['readiness-model-aware', 'startup-probe-budget', 'shm-mounted', 'image-pinned']) t.notOk(failing(isvc).includes(policy), `${policy}: the runtime gives it`);
  // A field only the runtime writes is reported in the runtime.
  t.equal(isvc?.findings.find((f) => f.policy === 'non-root')?.path, 'ServingRuntime/vllm-runtime.spec.containers[0].securityContext');
  t.equal(isvc?.findings.find((f) => f.policy === 'shm-size-limit')?.path, 'ServingRuntime/vllm-runtime.spec.volumes');
  t.same(isvc?.findings.filter((f) => f.fix !== undefined).map((f) => f.policy), [], 'no machine fix: the pod is rendered from two objects');
  // The runtime's own review is as before: its accelerators come from the InferenceService.
  t.same(failing(runtime, 'deny'), []);
  t.ok(unknownPolicies(runtime).includes('gpu-resource-present'));
});

t.test('KServe: the model’s args are appended to the runtime’s; each finding names where its value is written', async (t) => {
  const objects = kservePair();
  const model = objects[1]!.spec.predictor.model as { args: string[] };
  model.args = ['--max-model-len=8192', '--gpu-memory-utilization=1.5'];
  objects[0]!.spec.containers[0]!.args.push('--tensor-parallel-size=2');
  const r = reviewIsvc(objects);
  t.same(failing(r, 'deny'), ['gpu-count-matches-parallelism', 'gpu-mem-util']);
  t.match(r.findings.find((f) => f.policy === 'gpu-count-matches-parallelism')?.message, /^--tensor-parallel-size 2 \(from ServingRuntime vllm-runtime\) ×/);
  t.equal(r.findings.find((f) => f.policy === 'gpu-mem-util')?.path, 'spec.predictor.model.args[1]', 'the model’s own index, not the merged one (4)');
});

t.test('KServe: without the runtime in the set the InferenceService is reviewed as before, never denied for what the runtime holds', async (t) => {
  const alone = reviewIsvc(kservePair().slice(1));
  const noSet = reviewIsvc(kservePair(), false);
  const renamed = kservePair();
  renamed[1]!.spec.predictor.model.runtime = 'another-runtime';
  const absent = reviewIsvc(renamed);
  for (const [name, r] of [['alone', alone], ['no related set (webhook)', noSet], ['a runtime named but absent', absent]] as const) {
    t.same(failing(r, 'deny'), [], `${name}: no deny`);
    t.ok(unknownPolicies(r).length >= 10, `${name}: what the runtime holds could not be verified`);
    t.match(r.findings.find((f) => f.policy === 'max-model-len'), { outcome: 'unknown', message: /spec\.predictor\.model takes its image and command from the ServingRuntime/ });
    t.match(r.findings.find((f) => f.policy === 'readiness-model-aware'), { outcome: 'unknown', message: /probes may come from the ServingRuntime/ });
  }
  t.same(alone.findings.map((f) => [f.policy, f.outcome, f.path]), absent.findings.map((f) => [f.policy, f.outcome, f.path]));
});

t.test('KServe: a runtime chosen by modelFormat only when exactly one runtime of the set supports it with autoSelect', async (t) => {
  const objects = kservePair();
  delete objects[1]!.spec.predictor.model.runtime;
  t.same(failing(reviewIsvc(objects), 'deny'), ['gpu-count-matches-parallelism'], 'the one vLLM runtime with autoSelect');
  const second = structuredClone(objects[0]!);
  second.metadata.name = 'vllm-runtime-2';
  t.same(failing(reviewIsvc([...objects, second]), 'deny'), [], 'two candidates: KServe orders them by priority and age, not known here');
  const noAuto = kservePair();
  delete noAuto[1]!.spec.predictor.model.runtime;
  noAuto[0]!.spec.supportedModelFormats = [{ name: 'vLLM', version: '1' }];
  t.same(failing(reviewIsvc(noAuto), 'deny'), [], 'a runtime without autoSelect is used only when named');
});

t.test('KServe: the OpenShift AI docs pair without any GPU is reviewed as its pod: a CUDA build with no accelerator', async (t) => {
  // cfchase/rhoai-api-docs llms.md "Basic Deployment Structure": neither the runtime nor the model asks for a GPU.
  const isvc = reviewAll('odh-servingruntime-args-only.yaml').find((r) => r.kind === 'InferenceService');
  t.same(failing(isvc, 'deny'), ['gpu-resource-present', 'readiness-model-aware'], 'was none: the image and its probes came from the runtime');
  t.match(isvc?.findings.find((f) => f.policy === 'gpu-resource-present')?.message, /quay\.io\/modh\/vllm:rhoai-2\.20-cuda\) has no accelerator/);
  t.ok(unknownPolicies(isvc).includes('max-model-len'), 'the image’s ENTRYPOINT is still not sourced: its arguments stay unknown');
});

t.test("KServe in Knative mode: a predictor without a readinessProbe gets Knative's TCP probe, so it is not denied for having none", async (t) => {
  // The same OpenShift AI docs pair with the deployment mode written: knative/serving revision_defaults.go
  // applyProbes adds a TCP readiness probe to a container that writes none; Standard mode adds nothing.
  const objects = parseDocuments(fixture('odh-servingruntime-args-only.yaml')).map((d) => d.value as { kind?: string; metadata: { annotations?: Record<string, string> } });
  const isvc = objects.find((o) => o.kind === 'InferenceService');
  const review = (mode: string) => {
    isvc!.metadata.annotations = { ...isvc!.metadata.annotations, 'serving.kserve.io/deploymentMode': mode };
    const related = createRelatedSet(objects, { scope: 'the input set' });
    return reviewObject(engine, isvc, { related });
  };
  for (const mode of ['Serverless', 'Knative']) {
    const r = review(mode);
    t.notOk(failing(r, 'deny').includes('readiness-model-aware'), `${mode}: not denied`);
    t.match(r.findings.find((f) => f.policy === 'readiness-model-aware'), { outcome: 'unknown', action: 'warn', message: /Knative gives a container without a readinessProbe its TCP probe/ }, `${mode}: could not be verified, and why`);
  }
  for (const mode of ['RawDeployment', 'Standard']) t.ok(failing(review(mode), 'deny').includes('readiness-model-aware'), `${mode}: nothing adds a probe, still denied`);
});

t.test("a vLLM image running vLLM's own tools (vllm bench) serves nothing: no readiness or GPU denial; vllm serve still does", async (t) => {
  const reviews = reviewAll('vllm-image-runs-tool.yaml');
  for (const name of ['bench-serve', 'bench-sweep', 'bench-latency']) {
    const r = byName(reviews, name);
    t.equal(r?.vllm, false, `${name}: not reviewed as a vLLM server`);
    t.same(failing(r, 'deny'), [], `${name}: was denied for no readinessProbe (and bench-serve for no GPU)`);
  }
  const control = byName(reviews, 'server-control');
  t.equal(control?.vllm, true);
  t.same(failing(control, 'deny'), ['gpu-resource-present', 'readiness-model-aware'], 'vllm serve on the same image is judged as before');
});

t.test('a vLLM image running a vLLM module vllm-guard does not read (grpc_server) stays a server, and the reason names the module', async (t) => {
  const [r] = reviewAll('vllm-image-unknown-module.yaml');
  t.equal(r?.vllm, true);
  t.same(failing(r, 'deny'), [], 'arguments unknown: never denied for them');
  const reason = r?.findings.find((f) => f.policy === 'max-model-len')?.message ?? '';
  t.match(reason, /could not be verified \(the container runs the vLLM module vllm\.entrypoints\.grpc_server, which vllm-guard does not read as a server/);
  t.notMatch(reason, /wrapper script/, 'was "does not start vLLM directly (a wrapper script?)"');
});

t.test('--enable-auto-tool-choice is a flag of vLLM’s OpenAI server: with the parallel sizes it makes an unknown Gaudi image a server', async (t) => {
  const [r] = reviewAll('tool-choice-flag-unknown-image.yaml');
  t.equal(r?.vllm, true, 'was not reviewed at all');
  t.same(r?.detection?.map((d) => [d.name, d.role, d.signals.map((s) => s.detail)]), [
    ['server', 'server', ['vLLM engine flags --tensor-parallel-size, --pipeline-parallel-size, --enable-auto-tool-choice']],
  ]);
  t.same(failing(r, 'deny'), ['no-literal-secrets'], 'what the manifest shows is judged; the unknown ENTRYPOINT’s arguments are not');
  t.ok(unknownPolicies(r).includes('max-model-len'));
});

t.test('an unpinned image of a container that is not vLLM (a model-download init container) is not said to change the vLLM version', async (t) => {
  const [r] = reviewAll('unpinned-init-container-image.yaml');
  const pinned = (r?.findings ?? []).filter((f) => f.policy === 'image-pinned' && f.outcome === 'fail').map((f) => [f.action, f.path, f.message]);
  t.same(pinned, [
    ['deny', 'spec.template.spec.containers[0].image', 'image vllm/vllm-openai:latest is not pinned (tag latest, no digest): the vLLM version changes at the next pull'],
    ['deny', 'spec.template.spec.initContainers[0].image', 'image alpine/git is not pinned (no tag, no digest): container pull-lora may run another build after the next pull'],
    ['warn', 'spec.template.spec.initContainers[1].image', 'image ghcr.io/tomatillo-and-multiverse/adapter-puller:demo uses tag demo, which names no version: it can be moved to another build'],
  ], 'was "the vLLM version changes" / "another vLLM release" for alpine/git and the adapter puller');
});

t.test('objects that were notes ("not a kind vllm-guard reads", though they name vLLM) are read: OME runtimes, kthena, KubeAI', async (t) => {
  const reviews = reviewAll('unread-kinds-name-vllm-image.yaml');
  const reasons = reviews.map((r) => [r.kind, r.vllm, r.skipped, r.notes]);
  t.same(reasons, [
    ['ClusterServingRuntime', true, undefined, []],
    ['ModelServing', true, undefined, []],
    ['Service', false, 'kind Service creates no pods that vllm-guard knows of', []],
    ['Model', true, undefined, []],
  ], 'the OME runtime, the kthena ModelServing and the KubeAI Model were notes; now their vLLM containers are reviewed');
  const [ome, kthena, , kubeai] = reviews;
  t.ok(ome?.findings.some((f) => f.path.startsWith('spec.engineConfig.runner')), 'findings at the OME runner');
  t.ok(kthena?.findings.some((f) => f.path.startsWith('spec.template.roles[0].entryTemplate.spec.containers[0]')), 'findings at the kthena entry pod');
  t.ok(kubeai?.findings.some((f) => f.path === 'spec.args'), 'findings at the Model\'s spec.args');
  t.same(kubeai?.findings.filter((f) => f.action === 'deny' && f.outcome === 'fail'), [], 'its unknown image and profile never deny');
  // A version whose layout vllm-guard does not know still says where it names vLLM (as nvidia.com/v2 does).
  const v2 = reviewObject(engine, { apiVersion: 'kubeai.org/v2', kind: 'Model', metadata: { name: 'm' }, spec: { engine: 'VLLM' } });
  const note = 'kubeai.org/v2 Model is not read: vllm-guard knows the layout of v1 only, though spec.engine names vLLM as its engine (VLLM): the pods it makes are not reviewed here';
  t.same([v2.vllm, v2.skipped, v2.notes], [false, note, [note]]);
});

t.test('check prints that note under the object, where a count said only "not checked"', async (t) => {
  const { readInputs } = await import('../../src/cli/inputs.js');
  const { runCheck } = await import('../../src/cli/check.js');
  const { renderTable } = await import('../../src/report/table.js');
  const file = fileURLToPath(new URL('../fixtures/recognition/unread-kinds-name-vllm-image.yaml', import.meta.url));
  const { objects, errors } = await readInputs([file], { readStdin: () => '', kubectl: null });
  const table = renderTable(runCheck(engine, objects, errors), false);
  t.notMatch(table, /NOTE {2}ome\.io|NOTE {2}workload\.serving\.volcano\.sh|NOTE {2}kubeai\.org/, 'the OME runtime, the ModelServing and the Model are read now: no note');
  t.notMatch(table, /Service my-model/, 'an object that names no vLLM image stays out of the table');
  t.match(table, /4 resources \(3 vLLM, 1 not checked\)/);
});

t.test('a pod whose accelerator is only a DRA claim is named as such in the GPU sentences, not left as an empty slot', async (t) => {
  const dgd = reviewAll('dra-claim-only-accelerator.yaml').find((r) => r.kind === 'DynamoGraphDeployment');
  const message = dgd?.findings.find((f) => f.policy === 'gpu-node-selection')?.message ?? '';
  t.match(message, /^pod template requests an accelerator but neither its nodeSelector/, 'was "pod template requests  but"');
  t.same(failing(dgd, 'deny'), [], 'the claim counts as an accelerator: no "vLLM finds no GPU"');
});

t.test('a DynamoGraphDeployment in v1beta1 (components[].podTemplate) is reviewed as the pods the operator makes', async (t) => {
  const [agg, sidecar] = reviewAll('dynamo-v1beta1-components.yaml');
  t.equal(agg?.skipped, undefined, 'was "not read: vllm-guard knows the layout of v1alpha1 only"');
  t.equal(agg?.vllm, true);
  t.same(failing(agg, 'deny'), ['gpu-count-matches-parallelism'], 'TP 2 on one GPU, as in v1alpha1; the operator gives main its probes and /dev/shm');
  t.ok(agg?.findings.some((f) => f.path.startsWith('spec.components[1].podTemplate.spec.containers[0]')), 'findings point into the component');
  t.same(sidecar?.detection?.map((d) => [d.name, d.role]), [['vllm-engine', 'ray-worker']], 'the engine beside main is reached through main');
  t.same(failing(sidecar, 'deny'), [], 'no "no readinessProbe" for the engine: the pod is Ready when main is');
});

t.test("vLLM's offline batch runner on a vLLM image is an engine without an API server: GPU rules, no readiness denial", async (t) => {
  const [gpu, cpu] = reviewAll('vllm-image-run-batch.yaml');
  t.equal(gpu?.vllm, true);
  t.same(gpu?.detection?.map((d) => [d.name, d.role]), [['batch', 'ray-worker']], 'was a server with its arguments unknown');
  t.same(failing(gpu, 'deny'), [], 'was denied: "has no readinessProbe: the pod is Ready before vLLM has loaded the model"');
  t.ok(gpu?.detection?.[0]?.signals.some((s) => /offline batch runner \(python3 -m vllm\.entrypoints\.openai\.run_batch\)/.test(s.detail)), 'says what it runs');
  t.same(cpu?.detection?.map((d) => [d.name, d.role]), [['batch', 'generic']], 'the CPU build needs no accelerator');
  t.same(failing(cpu, 'deny'), []);
  const noGpu = parseDocuments(fixture('vllm-image-run-batch.yaml'))[0]!.value as { spec: { template: { spec: { containers: { resources?: unknown }[] } } } };
  delete noGpu.spec.template.spec.containers[0]!.resources;
  t.same(failing(reviewObject(engine, noGpu), 'deny'), ['gpu-resource-present'], 'the CUDA build without a GPU is still denied: vLLM finds no GPU');
});

t.test('break4: a Job that starts vLLM only to measure it is not denied for lacking what a served pod needs', async (t) => {
  const reviews = reviewAll('self-benchmark-jobs.yaml');
  const [autotune, inline, serving, script] = reviews;
  const unknownReason = (r: WorkloadReview | undefined, policy: string): string =>
    r?.findings.find((f) => f.policy === policy && f.outcome === 'unknown')?.message ?? '';
  t.same(failing(autotune, 'deny'), [], 'was denied: "container autotuner has no readinessProbe"');
  t.match(unknownReason(autotune, 'readiness-model-aware'), /^could not be verified \(a Job runs to completion, and its script, which vllm-guard cannot read, may start vLLM only to benchmark or tune it on localhost/);
  t.notMatch(unknownReason(autotune, 'readiness-model-aware'), /\(\(|\)\)|\(a wrapper script\?\)/, 'no nested parentheses');
  t.same(failing(inline, 'deny'), [], '`vllm serve … &` then `vllm bench serve`: the pod benchmarks its own server');
  t.match(unknownReason(inline, 'service-exposes-server'), /the same script runs vLLM's client \(vllm bench, chat or complete\) after starting the server/);
  t.ok(failing(inline).includes('shm-mounted') || failing(inline).includes('batching-explicit'), 'the engine rules still run on it');
  t.same(failing(serving, 'deny'), ['readiness-model-aware'], 'a Job that only serves is still a server');
  t.same(failing(script, 'deny'), ['readiness-model-aware'], 'a Deployment running an unreadable script on a vLLM image stays a server (product rule)');
});

t.test('break4: a download cache set by a ConfigMap of the input set is known, not "could not be verified"', async (t) => {
  const [, chatqna, secret] = reviewAll('cache-dir-from-configmap.yaml');
  const loading = chatqna?.findings.find((f) => f.policy === 'model-loading');
  t.equal(loading?.outcome, 'fail', 'was unknown: "HF_HOME comes from configMapRef"');
  t.match(loading?.message ?? '', /downloaded at start into \/tmp\/\.cache\/huggingface\/hub, which is not on a persistent volume/);
  const fromSecret = secret?.findings.find((f) => f.policy === 'model-loading');
  t.equal(fromSecret?.outcome, 'unknown', 'a Secret value is never read: still unknown');
  t.match(fromSecret?.message ?? '', /HF_HOME comes from secretKeyRef/);
});

t.test('break4: an option and its value in one argv item is denied whatever the image version, and the value is not echoed', async (t) => {
  const [knative, apiKey] = reviewAll('flag-and-value-one-item.yaml');
  const finding = knative?.findings.find((f) => f.policy === 'vllm-args-valid');
  t.equal(finding?.action, 'deny', 'was a warning on :latest ("not an option of any vLLM release")');
  t.equal(finding?.path, 'spec.template.spec.containers[0].command[3]');
  t.match(finding?.message ?? '', /^--port and its value are one argument \("--port …"\) \(container vllm\): vLLM exits: "unrecognized arguments: --port …"/);
  t.equal(finding?.remediation, 'write --port and its value as two items', 'was "remove --port 8000, or use an option … has"');
  const keyFinding = apiKey?.findings.find((f) => f.policy === 'vllm-args-valid');
  t.equal(keyFinding?.action, 'deny');
  t.notMatch(JSON.stringify(apiKey), /sk-do-not-echo/, 'the key written into the item appears nowhere');
});

t.test('break4: an aws.amazon.com/neuron device holds several NeuronCores, which is what --tensor-parallel-size counts', async (t) => {
  const [device, cores] = reviewAll('neuron-device-counts-cores.yaml');
  const count = (r: WorkloadReview | undefined) => r?.findings.find((f) => f.policy === 'gpu-count-matches-parallelism');
  t.same(failing(device, 'deny'), [], 'was denied: "needs 2 accelerators, but Deployment mistral has 1"');
  t.equal(count(device)?.outcome, 'unknown');
  t.match(count(device)?.message ?? '', /^could not be verified \(aws\.amazon\.com\/neuron counts Neuron devices, and vLLM on Neuron counts --tensor-parallel-size in NeuronCores: 2 per Inferentia2 or Trainium device/);
  t.same(failing(cores, 'deny'), ['gpu-count-matches-parallelism'], 'aws.amazon.com/neuroncore counts cores: TP 2 on one core is still denied');
});

t.test('break4: no finding reads "(… (…))": a reason inside "could not be verified (…)" carries no parentheses of its own at its end', async (t) => {
  const { readdirSync } = await import('node:fs');
  const dir = fileURLToPath(new URL('../fixtures/recognition/', import.meta.url));
  const doubled: string[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    for (const review of reviewAll(name)) {
      for (const f of review.findings) {
        const text = `${f.message} | ${f.remediation ?? ''}`;
        if (/\)\)|\(\(/.test(text)) doubled.push(`${name} ${f.policy}: ${text.slice(0, 160)}`);
      }
    }
  }
  t.same(doubled, [], 'was: "(the command never starts the vLLM server (command[2] runs `vllm` …))", "(… $(VAR)))", "KubeRay (… pod.go …))", "envFrom (…))", "a digest ((unknown)@sha256:…)"');
});

t.test('break4: a LeaderWorkerSet without a leaderTemplate makes its leader (worker index 0) from the worker template', async (t) => {
  const [, lws] = reviewAll('lws-worker-template-only-leader-service.yaml');
  t.equal(lws?.vllm, true);
  t.notOk(failing(lws).includes('service-exposes-server'), 'the Service selecting worker-index "0" selects the leader made from the worker template');
  const [, withLeader] = reviewAll('lws-service-selects-set-name.yaml');
  t.notOk(failing(withLeader).includes('service-exposes-server'), 'a set with a leaderTemplate is unchanged');
});

t.test('break4: HF_HOME set by the server script (export HF_HOME=/lustre) is where vLLM downloads, not the default cache', async (t) => {
  const [pvc, scratch, runTime] = reviewAll('script-exports-hf-home.yaml');
  const loading = (r: WorkloadReview | undefined) => r?.findings.find((f) => f.policy === 'model-loading');
  t.notOk(failing(pvc).includes('model-loading'), 'was "downloaded at start into /root/.cache/huggingface/hub, which is not on a persistent volume"');
  t.match(loading(scratch)?.message ?? '', /^model Qwen\/Qwen3-8B is downloaded at start into \/scratch\/hf\/hub, which is not on a persistent volume/);
  t.equal(loading(runTime)?.outcome, 'unknown');
  t.match(loading(runTime)?.message ?? '', /^could not be verified \(the script sets HF_HOME to a value known only at run time\)/);
});

t.test('break4: an env value that is a renderer placeholder (value: "${INFERENCE_MODEL}") is unknown to the script that expands it', async (t) => {
  const [r] = reviewAll('env-value-renderer-placeholder.yaml');
  const reference = r?.findings.find((f) => f.policy === 'model-reference');
  t.equal(reference?.outcome, 'unknown', 'was a known warning: "model ${INFERENCE_MODEL} is a Hugging Face id without --revision"');
  t.match(reference?.message ?? '', /^could not be verified \(INFERENCE_MODEL is a placeholder for a renderer such as envsubst or Helm to fill/);
  t.same(failing(r, 'deny'), [], 'unknown never denies');
});

t.test('break5: $(LWS_GROUP_SIZE) is the LeaderWorkerSet’s size, so a pipeline-parallel size written with it is known', async (t) => {
  const reviews = reviewAll('lws-group-size-env.yaml');
  const count = (r: WorkloadReview | undefined) => r?.findings.find((f) => f.policy === 'gpu-count-matches-parallelism');
  const fits = byName(reviews, 'llama-405b-fits');
  t.notOk(count(fits), 'TP 8 × PP $(LWS_GROUP_SIZE)=2 on 2 pods of 8 GPUs: was "could not be verified (LWS_GROUP_SIZE is set by LeaderWorkerSet at run time) … uses 8 of the 16 accelerators … the rest sit idle"');
  const short = byName(reviews, 'llama-405b-short');
  t.equal(count(short)?.action, 'deny');
  t.match(count(short)?.message ?? '', /^--tensor-parallel-size 8 × --pipeline-parallel-size 2 \(from env LWS_GROUP_SIZE\) × data-parallel 1 needs an accelerator count of 16, but LeaderWorkerSet llama-405b-short has 8 \(4 per pod, group size 2\)/);
  const rendered = byName(reviews, 'llama-405b-rendered');
  t.equal(count(rendered)?.outcome, 'unknown', 'a size a renderer fills leaves LWS_GROUP_SIZE unknown');
  t.match(count(rendered)?.message ?? '', /^could not be verified \(LWS_GROUP_SIZE is set by LeaderWorkerSet at run time\)/);
  t.same(failing(rendered, 'deny').filter((p) => p === 'gpu-count-matches-parallelism'), [], 'unknown never denies');
});

t.test('break5: a model written as a placeholder does not make a container without --trust-remote-code "could not be verified"', async (t) => {
  const reviews = reviewAll('trust-remote-code-placeholder-model.yaml');
  const trust = (name: string) => byName(reviews, name)?.findings.find((f) => f.policy === 'trust-remote-code');
  t.notOk(trust('placeholder-no-flag'), 'was "could not be verified (a placeholder …) … Unconfirmed: container vllm runs ${MODEL_REASONING} with --trust-remote-code", a flag it does not pass');
  t.equal(trust('placeholder-with-flag')?.outcome, 'unknown', 'with the flag, whether the model is a hub id without --revision is still unknown');
  t.match(trust('hub-with-flag')?.message ?? '', /^container vllm runs Qwen\/Qwen2\.5-7B-Instruct with --trust-remote-code and no --revision\/--code-revision/);
  t.match(trust('local-with-flag')?.message ?? '', /^container vllm runs \/models\/qwen with --trust-remote-code: Python code from the model repository executes inside the server/);
});

t.test('break5: --limit-mm-per-prompt image=10 is accepted by vLLM v0.8.5–v0.9.2 (parse_type falls back to key=value), refused from v0.10.0', async (t) => {
  const reviews = reviewAll('limit-mm-key-value-v0-9.yaml');
  const args = (name: string) => byName(reviews, name)?.findings.find((f) => f.policy === 'vllm-args-valid' && f.outcome === 'fail');
  t.notOk(args('vllm-v0-9-2'), 'was denied: "--limit-mm-per-promp image=10 is not a value vLLM v0.9.2 accepts … invalid loads value"');
  t.equal(args('vllm-v0-10-0')?.action, 'deny');
  t.match(args('vllm-v0-10-0')?.message ?? '', /--limit-mm-per-prompt image=10 is not a value vLLM v0\.10\.0 accepts/);
});

t.test('break5: an env value written as a YAML number (VLLM_PORT: 80) is read as its text, as the env lookup reads it', async (t) => {
  const reviews = reviewAll('env-value-yaml-number.yaml');
  const env = (name: string) => byName(reviews, name)?.findings.find((f) => f.policy === 'vllm-env' && f.outcome === 'fail');
  t.notOk(env('vllm'), 'was "VLLM_PORT is not an integer in container vllm: vLLM raises ValueError at start" for VLLM_PORT: 80');
  t.match(env('vllm-uri-port')?.message ?? '', /^VLLM_PORT is not an integer in container vllm/);
});
