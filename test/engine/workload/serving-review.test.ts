// The serving CRDs through the engine: recognized, judged with their group, findings pointing into the CRD,
// and what their controllers fill in (images, probes, /dev/shm, GPUs) unknown rather than denied.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { reviewObject, type Finding, type WorkloadReview } from '../../../src/engine/api.js';
import { loadEngine } from '../../../src/load-engine.js';

const DIR = fileURLToPath(new URL('../../fixtures/kinds/', import.meta.url));
const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });
const review = (file: string): WorkloadReview => reviewObject(engine, parse(readFileSync(`${DIR}${file}`, 'utf8')));
const denied = (r: WorkloadReview): Finding[] => r.findings.filter((f) => f.outcome === 'fail' && f.action === 'deny');
const of = (r: WorkloadReview, policy: string): Finding[] => r.findings.filter((f) => f.policy === policy);

t.test('every serving kind fixture is a vLLM workload, with paths into the CRD', async (t) => {
  const paths: [string, string][] = [
    ['inferenceservice.yaml', 'spec.predictor.model'],
    ['llminferenceservice.yaml', 'spec.prefill.template.containers[0]'],
    ['raycluster.yaml', 'spec.workerGroupSpecs[0].template.spec'],
    ['rayservice.yaml', 'spec.rayClusterConfig.workerGroupSpecs[0].template.spec'],
    ['stormservice.yaml', 'spec.template.spec.roles[1].template.spec.containers[0]'],
    // vLLM's offline batch runner is an engine without an API server: its findings are the pod's GPU, shm and toleration ones.
    ['jobset.yaml', 'spec.replicatedJobs[0].template.spec.template.spec'],
    ['rollout.yaml', 'spec.template.spec.containers[0]'],
    ['cloneset.yaml', 'spec.template.spec.containers[0]'],
  ];
  for (const [file, path] of paths) {
    const r = review(file);
    t.equal(r.skipped, undefined, `${file} is not skipped`);
    t.equal(r.vllm, true, `${file} is vLLM`);
    t.ok(r.findings.some((f) => f.path.startsWith(path)), `${file}: a finding at ${path}`);
  }
});

t.test('a Ray group: TP 2 over a 1-GPU head and a 1-GPU worker fits; KubeRay adds /dev/shm and probes', async (t) => {
  const r = review('raycluster.yaml');
  t.same(of(r, 'gpu-count-matches-parallelism').filter((f) => f.outcome === 'fail'), [], 'TP 2 = 2 GPUs in the group');
  t.same(denied(r), [], 'no denial for what KubeRay injects');
  t.ok(of(r, 'shm-mounted').some((f) => f.outcome === 'unknown'), '/dev/shm could not be verified (KubeRay)');
});

t.test('Ray Serve LLM: the head without GPUs schedules engines on its GPU workers', async (t) => {
  const r = review('rayservice.yaml');
  t.notOk(denied(r).some((f) => f.policy === 'gpu-resource-present'), 'no "no GPU" on the head');
});

t.test('KServe: the model container is the server; the runtime supplies image, probes and volumes, TP × PP the GPUs', async (t) => {
  const single = review('inferenceservice.yaml');
  t.same(denied(single), []);
  t.ok(of(single, 'image-pinned').some((f) => f.outcome === 'unknown' && f.path.startsWith('spec.predictor.model')), 'the image is the runtime’s');
  const multi = review('inferenceservice-multinode.yaml');
  t.notOk(denied(multi).some((f) => f.policy === 'gpu-resource-present'), 'GPUs come from tensorParallelSize × pipelineParallelSize');
});

t.test('ServingRuntime templates never deny on GPU rules: the accelerator comes from the InferenceService', async (t) => {
  for (const file of ['servingruntime.yaml', 'clusterservingruntime.yaml']) {
    const r = review(file);
    t.notOk(denied(r).some((f) => f.policy.startsWith('gpu-')), file);
  }
});

t.test('LLMInferenceService: main is the vLLM server, completed from its config: no denial for what the config sets', async (t) => {
  for (const file of ['llminferenceservice.yaml', 'llminferenceservice-multinode.yaml']) {
    const r = review(file);
    t.equal(r.vllm, true);
    t.same(denied(r), [], file);
  }
});

t.test('a KubeRay container without command runs ray start, not its image ENTRYPOINT', async (t) => {
  const object = parse(readFileSync(fileURLToPath(new URL('../../fixtures/recognition/raycluster-kuberay-command.yaml', import.meta.url)), 'utf8')) as Record<string, any>;
  const r = reviewObject(engine, structuredClone(object));
  t.equal(r.vllm, true);
  t.same(denied(r), [], 'no API server without a model is denied: neither container runs `vllm serve`');
  const worker = r.findings.filter((f) => f.container === 'ray-worker');
  t.ok(worker.length > 0);
  t.same([...new Set(worker.map((f) => f.policy))].filter((p) => !['gpu-node-selection', 'gpu-taint-toleration', 'shm-mounted', 'shm-size-limit', 'gpu-request-equals-limit', 'gpu-resource-present', 'storage-access'].includes(p)), [], 'the worker gets the Ray worker rules only');
  const model = of(r, 'model-reference').find((f) => f.container === 'ray-head');
  t.match(model, { outcome: 'unknown', message: /^could not be verified \(KubeRay starts Ray in this container/ });

  // With ray.io/overwrite-container-cmd KubeRay keeps the container's own command: the ENTRYPOINT runs.
  const kept = structuredClone(object);
  kept.spec.workerGroupSpecs[0].template.metadata = { annotations: { 'ray.io/overwrite-container-cmd': 'true' } };
  const keptReview = reviewObject(engine, kept);
  t.match(of(keptReview, 'model-reference').find((f) => f.container === 'ray-worker'), { outcome: 'fail', action: 'deny' });
});

t.test('a `vllm serve --headless` worker runs no API server: worker rules only', async (t) => {
  const object = parse(readFileSync(fileURLToPath(new URL('../../fixtures/recognition/lws-mp-headless.yaml', import.meta.url)), 'utf8')) as Record<string, any>;
  const r = reviewObject(engine, object);
  const workerPath = 'spec.leaderWorkerTemplate.workerTemplate';
  const worker = r.findings.filter((f) => f.path.startsWith(workerPath));
  const leader = r.findings.filter((f) => f.path.startsWith('spec.leaderWorkerTemplate.leaderTemplate'));
  t.ok(worker.length > 0 && leader.length > 0);
  t.notOk(worker.some((f) => ['readiness-model-aware', 'startup-probe-budget', 'api-auth', 'service-exposes-server', 'metrics-exposed'].includes(f.policy)), 'no probe, Service, key or port is asked of a headless worker');
  t.ok(worker.some((f) => f.policy === 'shm-mounted' && f.action === 'deny'), 'its ranks still need /dev/shm');
  t.ok(leader.some((f) => f.policy === 'readiness-model-aware' && f.action === 'deny'), 'the leader serves the API and is judged as the server');
});

t.test('--headless given to the api_server module still serves the API: it stays the server', async (t) => {
  const object = parse(readFileSync(fileURLToPath(new URL('../../fixtures/recognition/lws-mp-headless.yaml', import.meta.url)), 'utf8')) as Record<string, any>;
  const worker = object.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0];
  // vllm/entrypoints/openai/api_server.py@v0.20.1: its __main__ parses --headless and calls run_server.
  worker.command = ['python3', '-m', 'vllm.entrypoints.openai.api_server'];
  worker.args = ['--model', ...worker.args];
  const r = reviewObject(engine, object);
  const findings = r.findings.filter((f) => f.path.startsWith('spec.leaderWorkerTemplate.workerTemplate'));
  t.ok(findings.some((f) => f.policy === 'readiness-model-aware'), 'judged as the API server it is');

  // The `vllm serve` CLI run through python reads the flag as `vllm serve` does.
  worker.command = ['python3', '-m', 'vllm.entrypoints.cli.main', 'serve'];
  worker.args = worker.args.slice(1);
  const cli = reviewObject(engine, object).findings.filter((f) => f.path.startsWith('spec.leaderWorkerTemplate.workerTemplate'));
  t.notOk(cli.some((f) => f.policy === 'readiness-model-aware'), 'python -m vllm.entrypoints.cli.main serve --headless is a worker');
});
