/**
 * The default catalogue (policies/*.yaml) against small manifests: every policy has a passing and a
 * failing fixture under test/fixtures/policies/<id>/, and the examples/ workloads give the verdicts
 * the README promises.
 */
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { reviewObject } from '../../src/engine/engine.js';
import type { Finding, WorkloadReview } from '../../src/engine/types.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { loadPolicies } from '../../src/policy/load.js';
import { createEngine, createRelatedSet } from '../../src/engine/api.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/policies');
const EXAMPLES = path.join(ROOT, 'examples');

/** Policies about the objects around a workload: a single workload without them is warned by these. */
const RELATION_POLICIES = ['service-exposes-server', 'network-policy-covers', 'metrics-scraped', 'disruption-budget', 'storage-access'];

const CATALOGUE = [
  'gpu-resource-present', 'gpu-request-equals-limit', 'gpu-count-matches-parallelism', 'gpu-taint-toleration',
  'gpu-node-selection', 'shm-mounted', 'shm-size-limit', 'image-pinned', 'readiness-model-aware',
  'liveness-not-before-load', 'startup-probe-budget', 'probe-port-host', 'dtype-explicit', 'max-model-len',
  'batching-explicit', 'quantization-valid', 'gpu-mem-util', 'model-reference', 'model-loading', 'no-literal-secrets',
  'trust-remote-code', 'non-root', 'restart-policy', 'metrics-exposed', 'phase0-annotations',
  // vLLM's own argument and environment rules per release (issue 17).
  'vllm-args-valid', 'vllm-env',
  // Model- and hardware-aware (issue 12): read model, gpu and fit from src/engine/knowledge.
  'dtype-vs-accelerator', 'parallelism-fits-model', 'context-within-model', 'model-fits-memory', 'multinode-backend',
  // Release and failure readiness read from the workload alone (issue 13).
  'rollout-strategy', 'memory-limit', 'phase4-annotations',
  // Autoscaling and auth around the server, read from related objects (issue 13).
  'autoscaler-ml-signal', 'autoscaler-bounds', 'autoscaler-cooldown', 'api-auth',
  // The objects around the server (issue 13): read facts.related, found in the same file.
  ...RELATION_POLICIES,
];

/** policy, fixture, action, path, substrings the message must show, container (default vllm). */
type Expectation = [string, string, Finding['action'], string, string[], string?];

const config = loadConfig(null);
const policies = loadPolicies(null);
const engine = createEngine({ policies, config: config.engine });

/** Reviews every document of a file as `check` does: the file's documents are the related set. */
function reviewFile(file: string): WorkloadReview[] {
  const docs = parseDocuments(readFileSync(file, 'utf8')).filter((doc) => doc.value !== null && doc.value !== undefined);
  for (const doc of docs) if (doc.error) throw new Error(`${file}:${doc.error.line}: ${doc.error.message}`);
  const related = createRelatedSet(docs.map((doc) => doc.value), { scope: 'the input set' });
  return docs.map((doc) => reviewObject(engine, doc.value, { related }));
}

function findingsOf(file: string, policy: string): Finding[] {
  return reviewFile(file).flatMap((r) => r.findings.filter((f) => f.policy === policy));
}

function statSafe(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
}

t.test('the catalogue has exactly the documented policies', async (t) => {
  t.same(policies.policies.map((p) => p.id).sort(), [...CATALOGUE].sort());
  t.same(policies.warnings, []);
  for (const p of policies.policies) {
    t.ok(p.checklist.phase && p.checklist.section && p.checklist.item, `${p.id} names its checklist item`);
    t.ok(p.example?.good && p.example?.bad, `${p.id} has a good and a bad example`);
    t.ok(p.uses.length > 0, `${p.id} lists the facts it uses`);
    t.equal(path.basename(p.file), `${p.id}.yaml`, `${p.id} lives in ${p.id}.yaml`);
  }
});

const CHECKLIST = path.resolve(ROOT, '../shared/checklist.md');
const checklistSkip = statSafe(CHECKLIST) ? false : 'the shared checklist is not next to this clone';

t.test('the checklist items are quoted from the checklist', { skip: checklistSkip }, async (t) => {
  const checklist = readFileSync(CHECKLIST, 'utf8').replaceAll('`', '');
  for (const p of policies.policies) {
    t.ok(checklist.includes(`- [ ] ${p.checklist.item}`), `${p.id}: "${p.checklist.item}" is a checklist line`);
    t.ok(checklist.includes(`## ${p.checklist.section}`), `${p.id}: "${p.checklist.section}" is a checklist section`);
  }
});

t.test('every policy has passing and failing fixtures', async (t) => {
  for (const id of CATALOGUE) {
    const files = yamlFiles(path.join(FIXTURES, id));
    t.ok(files.some((f) => f.startsWith('pass')), `${id} has a pass fixture`);
    t.ok(files.some((f) => f.startsWith('fail')), `${id} has a fail fixture`);
    for (const f of files.filter((n) => n.startsWith('fail'))) {
      t.ok(FAILING.some(([p, file]) => p === id && file === f), `${id}/${f} has an expectation below`);
    }
  }
});

t.test('pass fixtures produce no finding from their policy', async (t) => {
  for (const id of CATALOGUE) {
    for (const file of yamlFiles(path.join(FIXTURES, id)).filter((f) => f.startsWith('pass'))) {
      const found = findingsOf(path.join(FIXTURES, id, file), id);
      t.same(found.map((f) => f.message), [], `${id}/${file}`);
    }
  }
});

const FAILING: Expectation[] = [
  ['batching-explicit', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[3]', ['--max-num-batched-tokens 128', '--max-num-seqs 256', 'refuses to start']],
  ['batching-explicit', 'fail-model-len.yaml', 'deny', 'spec.template.spec.containers[0].args[5]', ['4096', '--max-model-len 8192', 'chunked prefill']],
  ['batching-explicit', 'fail-missing.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['--max-num-seqs 64', 'no --max-num-batched-tokens']],
  ['dtype-explicit', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--dtype bf16', 'bfloat16']],
  ['dtype-explicit', 'fail-missing.yaml', 'warn', 'spec.template.spec.containers[0].args', ['no --dtype is given', 'vllm']],
  ['dtype-explicit', 'fail-auto.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['--dtype is auto']],
  ['gpu-count-matches-parallelism', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].resources.limits', ['--tensor-parallel-size 4', 'needs an accelerator count of 4', 'has 2']],
  ['gpu-count-matches-parallelism', 'fail-lws.yaml', 'deny', 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].resources.limits', ['needs an accelerator count of 16', 'has 8', 'group size 2'], 'vllm-leader'],
  ['gpu-count-matches-parallelism', 'fail-idle.yaml', 'warn', 'spec.template.spec.containers[0].resources.limits', ['uses 2 of the 4']],
  ['gpu-count-matches-parallelism', 'fail-no-flag.yaml', 'warn', 'spec.template.spec.containers[0].args', ['has 4 accelerators', '--tensor-parallel-size']],
  ['gpu-mem-util', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--gpu-memory-utilization 90', '(0, 1]']],
  ['gpu-mem-util', 'fail-zero.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--gpu-memory-utilization 0 ']],
  ['gpu-mem-util', 'fail-shared.yaml', 'warn', 'spec.template.spec.containers[0].args', ['nvidia.com/gpu.shared', '--gpu-memory-utilization']],
  ['gpu-node-selection', 'fail.yaml', 'warn', 'spec.template.spec.nodeSelector', ['nvidia.com/gpu', 'a label that names the accelerator class (nvidia.com/gpu.product']],
  ['gpu-request-equals-limit', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].resources', ['nvidia.com/gpu', 'request 1', 'limit 2']],
  ['gpu-request-equals-limit', 'fail-request-only.yaml', 'deny', 'spec.template.spec.containers[0].resources', ['nvidia.com/gpu', 'is requested (1) with no limit', 'Limit must be set for non overcommitable resources']],
  ['gpu-request-equals-limit', 'fail-fraction.yaml', 'deny', 'spec.template.spec.containers[0].resources', ['nvidia.com/gpu', 'whole number', '0.5']],
  ['gpu-resource-present', 'fail-cuda-on-amd.yaml', 'deny', 'spec.template.spec.containers[0].image', ['a vLLM build for cuda', 'amd.com/gpu', 'cannot use that device']],
  ['gpu-resource-present', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].resources.limits', ['vllm', 'vllm/vllm-openai:v0.11.1', 'no accelerator']],
  ['gpu-resource-present', 'fail-ray-worker.yaml', 'deny', 'spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].resources.limits', ['vllm-worker'], 'vllm-worker'],
  ['gpu-taint-toleration', 'fail.yaml', 'warn', 'spec.template.spec.tolerations', ['nvidia.com/gpu', 'Pending']],
  ['gpu-taint-toleration', 'fail-other-key.yaml', 'warn', 'spec.template.spec.tolerations', ['nvidia.com/gpu']],
  ['image-pinned', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].image', ['vllm/vllm-openai:latest', 'tag latest']],
  ['image-pinned', 'fail-no-tag.yaml', 'deny', 'spec.template.spec.containers[0].image', ['vllm/vllm-openai', 'not pinned']],
  ['image-pinned', 'fail-nightly.yaml', 'deny', 'spec.template.spec.containers[0].image', ['vllm/vllm-openai:nightly', 'tag nightly']],
  ['image-pinned', 'warn-nightly-build.yaml', 'warn', 'spec.template.spec.containers[0].image', ['nightly-0f7d3a2b1c', 'names no version']],
  ['image-pinned', 'fail-floating.yaml', 'warn', 'spec.template.spec.containers[0].image', ['server-cuda', 'names no version']],
  ['liveness-not-before-load', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].livenessProbe', ['90 s', 'initialDelaySeconds 60', '600 s', 'no startupProbe']],
  ['liveness-not-before-load', 'fail-cold-start.yaml', 'deny', 'spec.template.spec.containers[0].livenessProbe', ['630 s', '900 s']],
  ['liveness-not-before-load', 'fail-poststart.yaml', 'deny', 'spec.template.spec.containers[0].lifecycle.postStart', ['postStart httpGet hook on vLLM\'s port 8000 (/v1/models)', 'FailedPostStartHook']],
  ['max-model-len', 'fail.yaml', 'warn', 'spec.template.spec.containers[0].args', ['no --max-model-len is given']],
  ['max-model-len', 'fail-annotation.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['4096', '8192']],
  ['max-model-len', 'fail-long-env.yaml', 'warn', 'spec.template.spec.containers[0].env', ['VLLM_ALLOW_LONG_MAX_MODEL_LEN', '65536']],
  ['metrics-exposed', 'fail.yaml', 'warn', 'spec.template.spec.containers[0].ports', ['containerPort 8000']],
  ['metrics-exposed', 'fail-log-stats.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['--disable-log-stats']],
  ['model-loading', 'fail.yaml', 'warn', 'spec.template.spec.containers[0].volumeMounts', ['runtime-pull', '/data/hf', 'Qwen/Qwen3-8B']],
  ['model-loading', 'fail-offline.yaml', 'warn', 'spec.template.spec.containers[0].env', ['runtime-pull', 'HF_HUB_OFFLINE=1']],
  ['model-loading', 'fail-storage-online.yaml', 'warn', 'spec.template.spec.containers[0].env', ['storage-mount', 'HF_HUB_OFFLINE=1']],
  ['model-loading', 'fail-unknown-strategy.yaml', 'warn', 'spec.template.metadata.annotations', ['download', 'runtime-pull']],
  ['model-loading', 'fail-no-annotation.yaml', 'warn', 'spec.template.spec.containers[0].volumeMounts', ['Qwen/Qwen3-8B', 'persistent']],
  ['model-reference', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args', ['vllm', 'without a model']],
  ['model-reference', 'fail-api-server.yaml', 'deny', 'spec.template.spec.containers[0].args', ['gives no --model', 'reads no positional model (only `vllm serve` does)', 'without --model vLLM serves its default model']],
  ['model-reference', 'fail-revision.yaml', 'warn', 'spec.template.spec.containers[0].args', ['Qwen/Qwen3-8B', '--revision']],
  ['no-literal-secrets', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].env[0].value', ['HF_TOKEN', 'literal']],
  ['no-literal-secrets', 'fail-flag.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--api-key', 'literal']],
  ['non-root', 'fail.yaml', 'warn', 'spec.template.spec.containers[0].securityContext', ['may run as root']],
  ['non-root', 'fail-privileged.yaml', 'warn', 'spec.template.spec.containers[0].securityContext.privileged', ['privileged']],
  ['non-root', 'fail-host-ipc.yaml', 'warn', 'spec.template.spec', ['hostIPC true']],
  ['non-root', 'fail-escalation.yaml', 'warn', 'spec.template.spec.containers[0].securityContext', ['allowPrivilegeEscalation']],
  ['phase0-annotations', 'fail.yaml', 'audit', 'spec.template.metadata.annotations', ['Deployment intent-none', 'license']],
  ['phase0-annotations', 'fail-precision.yaml', 'audit', 'spec.template.spec.containers[0].args[1]', ['bf16', '--dtype float16']],
  ['phase0-annotations', 'fail-context.yaml', 'audit', 'spec.template.spec.containers[0].args[3]', ['8192', '32768']],
  ['phase0-annotations', 'fail-one-missing.yaml', 'audit', 'spec.template.metadata.annotations', ['latency SLO']],
  ['probe-port-host', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].readinessProbe', ['8080', '--port 8000']],
  ['probe-port-host', 'fail-named.yaml', 'deny', 'spec.template.spec.containers[0].readinessProbe', ['api', 'containerPort']],
  ['probe-port-host', 'fail-liveness.yaml', 'deny', 'spec.template.spec.containers[0].livenessProbe', ['9000', '--port 8000']],
  ['probe-port-host', 'fail-host.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--host 127.0.0.1', 'loopback']],
  ['probe-port-host', 'fail-api-key.yaml', 'deny', 'spec.template.spec.containers[0].readinessProbe.httpGet.path', ['/v1/models', 'VLLM_API_KEY', '401']],
  ['quantization-valid', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--quantization int4']],
  ['quantization-valid', 'fail-kv-cache.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--kv-cache-dtype fp16', 'fp8_e4m3']],
  ['readiness-model-aware', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].readinessProbe', ['vllm', 'no readinessProbe', 'Qwen/Qwen3-8B']],
  ['readiness-model-aware', 'fail-tcp.yaml', 'warn', 'spec.template.spec.containers[0].readinessProbe', ['tcpSocket']],
  ['readiness-model-aware', 'fail-path.yaml', 'warn', 'spec.template.spec.containers[0].readinessProbe.httpGet.path', ['/ready']],
  ['restart-policy', 'fail.yaml', 'warn', 'kind', ['bare Pod', 'restart-pod']],
  ['restart-policy', 'fail-job.yaml', 'warn', 'spec', ['Job restart-job', 'backoffLimit']],
  ['restart-policy', 'fail-lws.yaml', 'warn', 'spec.leaderWorkerTemplate.restartPolicy', ['restart-lws', 'size 2', 'Ray'], 'vllm-leader'],
  ['shm-mounted', 'fail.yaml', 'deny', 'spec.template.spec.volumes', ['--tensor-parallel-size 2', '/dev/shm', '64 MiB']],
  ['shm-mounted', 'fail-lws-worker.yaml', 'deny', 'spec.leaderWorkerTemplate.workerTemplate.spec.volumes', ['vllm-worker', '2-pod'], 'vllm-worker'],
  ['shm-mounted', 'fail-single-gpu.yaml', 'warn', 'spec.template.spec.volumes', ['no /dev/shm']],
  ['shm-mounted', 'fail-tpu-ranks.yaml', 'warn', 'spec.template.spec.volumes', ['no /dev/shm', 'worker processes'], 'inference-server'],
  ['shm-mounted', 'fail-disk.yaml', 'warn', 'spec.template.spec.volumes', ['dshm', 'medium: Memory']],
  ['shm-size-limit', 'fail.yaml', 'warn', 'spec.template.spec.volumes', ['dshm', 'sizeLimit']],
  ['shm-size-limit', 'fail-small.yaml', 'warn', 'spec.template.spec.volumes', ['268435456', '1073741824']],
  ['shm-size-limit', 'fail-over-memory.yaml', 'warn', 'spec.template.spec.volumes', ['34359738368', '17179869184']],
  ['startup-probe-budget', 'fail.yaml', 'warn', 'spec.template.spec.containers[0].startupProbe', ['no startupProbe', 'Qwen/Qwen3-8B']],
  ['startup-probe-budget', 'fail-short.yaml', 'warn', 'spec.template.spec.containers[0].startupProbe', ['300 s', '600 s']],
  ['startup-probe-budget', 'fail-tcp.yaml', 'warn', 'spec.template.spec.containers[0].startupProbe', ['tcpSocket']],
  ['startup-probe-budget', 'fail-cold-start.yaml', 'warn', 'spec.template.spec.containers[0].startupProbe', ['615 s', '1.5', '600 s']],
  ['trust-remote-code', 'fail.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['--trust-remote-code', 'Qwen/Qwen3-8B']],
  ['trust-remote-code', 'fail-unpinned.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['mistralai/Mistral-7B-Instruct-v0.3', 'no --revision']],
  // Model- and hardware-aware (issue 12); the same rows are in test/engine/knowledge/fixtures.test.ts.
  ['dtype-vs-accelerator', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--dtype bfloat16 on Tesla T4', 'Your Tesla T4 GPU has compute capability 7.5.']],
  ['dtype-vs-accelerator', 'fail-auto-old-release.yaml', 'deny', 'spec.template.spec.containers[0].args', ["Llama-3.1-8B-Instruct's bfloat16 checkpoint", 'vLLM 0.6.3 does not fall back']],
  ['dtype-vs-accelerator', 'fail-awq-v100.yaml', 'deny', 'spec.template.spec.containers[0].args', ['awq on Tesla V100 16GB', 'Minimum capability: 75. Current capability: 70.']],
  ['dtype-vs-accelerator', 'fail-kubeai-t4.yaml', 'warn', 'spec.containers[0].args', ['Tesla T4', 'vLLM 0.7.1', 'Bfloat16 is only supported'], 'server'],
  ['parallelism-fits-model', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['Total number of attention heads (28) must be divisible by tensor parallel size (8).']],
  ['parallelism-fits-model', 'fail-kv.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ["Llama-3.2-3B-Instruct's 8 KV heads", '8 is not divisible by 6']],
  ['context-within-model', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['User-specified max_model_len (131072)', 'max_position_embeddings=40960']],
  ['context-within-model', 'fail-override.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['VLLM_ALLOW_LONG_MAX_MODEL_LEN', 'past 40960']],
  ['model-fits-memory', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['Llama-3.1-70B-Instruct (70.6B, bf16) on 2 × A100-SXM4-40GB', '65.71 GiB']],
  ['model-fits-memory', 'fail-kv.yaml', 'deny', 'spec.template.spec.containers[0].args', ["max seq len (131072)", '16 GiB KV cache is needed']],
  ['model-fits-memory', 'fail-marginal.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['is marginal', '48000-token']],
  ['multinode-backend', 'fail.yaml', 'deny', 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].args[1]', ['World size (16) is larger than the number of available GPUs (8)'], 'vllm-leader'],
  ['multinode-backend', 'fail-cuda.yaml', 'warn', 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].args[1]', ['vLLM v0.10.1 switches to the Ray backend by itself when Ray is installed in the image'], 'vllm-leader'],
  ['multinode-backend', 'fail-cuda-release.yaml', 'deny', 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].args[1]', ['World size (16) is larger than the number of available GPUs (8)'], 'vllm-leader'],
  ['multinode-backend', 'fail-tpu-latest.yaml', 'warn', 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].command[2]', ['pick Ray by themselves'], 'vllm-leader'],
  ['vllm-args-valid', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['unknown option --tensor-paralel-size', 'did you mean --tensor-parallel-size', 'unrecognized arguments', 'vLLM v0.11.1']],
  ['vllm-args-valid', 'fail-removed.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--disable-log-requests was removed in vLLM v0.17.0', 'vLLM v0.20.1']],
  ['vllm-args-valid', 'fail-auto.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--max-model-len auto', "invalid human_readable_int value: 'auto'"]],
  ['vllm-args-valid', 'fail-deprecated.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['--disable-log-requests is deprecated', "argument 'disable_log_requests' is deprecated"]],
  ['vllm-args-valid', 'fail-unverified.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['--frobnicate-widgets', 'any vLLM release v0.6.0', 'a digest only']],
  // Related objects (issue 13): each fixture holds the workload and what is (not) around it.
  ['service-exposes-server', 'fail.yaml', 'warn', 'spec.template.metadata.labels', ['no Service in the input set selects the pods of Deployment svc-none', 'app=svc-none']],
  ['service-exposes-server', 'fail-port.yaml', 'warn', 'spec.template.metadata.labels', ['Service svc-port selects the pods', "vLLM's --port 8080"]],
  ['network-policy-covers', 'fail.yaml', 'warn', 'spec.template.metadata.labels', ['no NetworkPolicy in the input set selects the pods of Deployment np-none', 'app=np-none']],
  ['network-policy-covers', 'fail-egress.yaml', 'warn', 'spec.template.metadata.labels', ['NetworkPolicy np-egress', 'none has policyTypes Ingress']],
  ['network-policy-covers', 'fail-open.yaml', 'warn', 'spec.template', ['(np-open)', 'without `from`']],
  ['metrics-scraped', 'fail.yaml', 'warn', 'spec.template.spec.containers[0].ports', ['nothing in the input set scrapes /metrics of Deployment scrape-none', 'app=scrape-none']],
  ['metrics-scraped', 'fail-path.yaml', 'warn', 'spec.template.spec.containers[0].ports', ['selected by ServiceMonitor scrape-path', "--port 8000"]],
  ['disruption-budget', 'fail.yaml', 'warn', 'spec.replicas', ['Deployment pdb-single runs with a minimum replica count of 1', 'node drain takes the model down']],
  ['disruption-budget', 'fail-no-pdb.yaml', 'warn', 'spec.replicas', ['no PodDisruptionBudget in the input set selects the pods of Deployment pdb-none', 'every replica at once']],
  ['storage-access', 'fail.yaml', 'deny', 'spec.template.spec.volumes', ['runs 3 replicas', 'PersistentVolumeClaim rwo-cache', 'Multi-Attach']],
  ['storage-access', 'fail-hpa.yaml', 'deny', 'spec.template.spec.volumes', ['can scale to 4 replicas (HorizontalPodAutoscaler rwop-scaled)', 'rwop-cache']],
  ['vllm-env', 'fail.yaml', 'warn', 'spec.template.spec.containers[0].env[0]', ['VLLM_TRACE_FUNCTION=1', 'over 100x']],
  ['vllm-env', 'fail-typo.yaml', 'warn', 'spec.template.spec.containers[0].env[0]', ['VLLM_LOGGING_LEVLE', 'did you mean VLLM_LOGGING_LEVEL']],
  ['rollout-strategy', 'fail-surge.yaml', 'warn', 'spec.strategy', ['(replicas 3, maxSurge 25%) surges by 1 during an update', 'needs 4 spare nvidia.com/gpu', '1 × 4 per pod', 'counts 0 free']],
  ['rollout-strategy', 'fail-recreate.yaml', 'warn', 'spec.strategy', ['all 2 replicas at once', 'strategy Recreate', 'up to 420 s, the cold-start-seconds annotation']],
  ['rollout-strategy', 'fail-deadline.yaml', 'warn', 'spec.progressDeadlineSeconds', ['600 s', 'progressDeadlineSeconds, the default', '1215 s', 'the startupProbe window', 'ProgressDeadlineExceeded']],
  ['rollout-strategy', 'fail-shutdown.yaml', 'warn', 'spec.template.spec.terminationGracePeriodSeconds', ['killed 30 s after SIGTERM', 'the default', '--shutdown-timeout 120 s']],
  ['rollout-strategy', 'fail-statefulset.yaml', 'warn', 'spec.updateStrategy', ['StatefulSet rollout-sts', 'all 2 replicas', 'rollingUpdate.maxUnavailable 100% where MaxUnavailableStatefulSet is on']],
  ['memory-limit', 'fail.yaml', 'warn', 'spec.template.spec.containers[0].resources', ['container vllm of Deployment memory-none', 'no memory limit', 'dshm']],
  ['memory-limit', 'fail-shm-equal.yaml', 'warn', 'spec.template.spec.volumes', ['dshm', '17179869184-byte memory limit', 'OOM-killed']],
  ['phase4-annotations', 'fail.yaml', 'audit', 'spec.template.metadata.annotations', ['Deployment phase4-none', 'canary prompts']],
  ['phase4-annotations', 'fail-not-tested.yaml', 'audit', 'spec.template.metadata.annotations', ['not tested', 'rollback-tested: false']],
  ['autoscaler-ml-signal', 'fail.yaml', 'warn', 'HorizontalPodAutoscaler/signal-cpu.spec.metrics', ['HorizontalPodAutoscaler signal-cpu', 'Deployment signal-cpu', 'Resource cpu only']],
  ['autoscaler-ml-signal', 'fail-custom.yaml', 'audit', 'HorizontalPodAutoscaler/signal-custom.spec.metrics', ['External istio_requests_per_second', 'none of them is a vLLM', 'recording rule']],
  ['autoscaler-bounds', 'fail.yaml', 'warn', 'ScaledObject/bounds-zero-undocumented.spec.minReplicaCount', ['ScaledObject bounds-zero-undocumented', 'down to a replica count of 0', 'up to 615 s, the startupProbe window', 'scale-to-zero intent annotation']],
  ['autoscaler-bounds', 'fail-no-max.yaml', 'warn', 'HorizontalPodAutoscaler/bounds-no-max.spec.maxReplicas', ['HorizontalPodAutoscaler bounds-no-max', 'no maxReplicas']],
  ['autoscaler-cooldown', 'fail.yaml', 'warn', 'HorizontalPodAutoscaler/cooldown-short.spec.behavior.scaleDown.stabilizationWindowSeconds', ['60 s stabilization window', '615 s', 'the startupProbe window']],
  ['autoscaler-cooldown', 'fail-default.yaml', 'warn', 'HorizontalPodAutoscaler/cooldown-default.spec.behavior.scaleDown.stabilizationWindowSeconds', ['300 s stabilization window (300 s when unset)', '615 s']],
  ['autoscaler-cooldown', 'fail-keda-zero.yaml', 'warn', 'ScaledObject/cooldown-keda.spec.cooldownPeriod', ['ScaledObject cooldown-keda', 'to zero 300 s after its last active trigger', '615 s']],
  ['api-auth', 'fail.yaml', 'warn', 'spec.template.spec.containers[0].env', ['container vllm of Deployment auth-none', 'no --api-key or VLLM_API_KEY', 'no auth layer in front in the input set', 'only the /v1 routes']],
  ['vllm-env', 'fail-port.yaml', 'warn', 'spec.template.spec.containers[0].env[0]', ['VLLM_PORT is a URI', 'ValueError']],
];

t.test('fail fixtures give the finding at its field with the action and the values, once', async (t) => {
  for (const [id, file, action, findingPath, values, container = 'vllm'] of FAILING) {
    t.test(`${id}/${file}`, async (t) => {
      const found = findingsOf(path.join(FIXTURES, id, file), id);
      // Every violation is reported, but a field is named once per policy and container.
      const keys = found.map((f) => `${f.path} ${f.container ?? ''}`);
      t.same(keys, [...new Set(keys)], 'no field twice');
      const finding = found.find((f) => f.path === findingPath && f.container === container);
      t.ok(finding, `a finding at ${findingPath}`);
      if (!finding) return;
      t.equal(finding.outcome, 'fail');
      t.equal(finding.action, action);
      t.equal(finding.container, container);
      for (const value of values) t.match(finding.message, value, `the message shows ${value}`);
      t.notMatch(finding.message, /\{\{|undefined/, 'every placeholder is filled');
      t.notMatch(finding.remediation, /\{\{|undefined/, 'the remediation placeholders are filled');
      t.notMatch(finding.message, /\n/, 'the message is one line');
    });
  }
});

t.test('a param set in the config changes the verdict', async (t) => {
  const base = loadConfig(null).engine;
  const custom = {
    ...base,
    policies: { 'gpu-taint-toleration': { params: { taintKeys: ['nvidia.com/gpu', 'dedicated'] } } },
  };
  const customEngine = createEngine({ policies: loadPolicies(null), config: custom });
  const file = path.join(FIXTURES, 'gpu-taint-toleration', 'fail-other-key.yaml');
  const reviews = parseDocuments(readFileSync(file, 'utf8')).map((d) => reviewObject(customEngine, d.value));
  t.same(reviews.flatMap((r) => r.findings.filter((f) => f.policy === 'gpu-taint-toleration')), []);
});

t.test('an argument that cannot be known never denies', async (t) => {
  const object = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'tp-from-secret', namespace: 'fixtures' },
    spec: {
      template: {
        spec: {
          containers: [{
            name: 'vllm',
            image: 'vllm/vllm-openai:v0.11.1',
            args: ['Qwen/Qwen3-32B', '--tensor-parallel-size', '$(TP)'],
            env: [{ name: 'TP', valueFrom: { configMapKeyRef: { name: 'sizing', key: 'tp' } } }],
            resources: { limits: { 'nvidia.com/gpu': 1 } },
            readinessProbe: { httpGet: { path: '/health', port: 8000 } },
          }],
        },
      },
    },
  };
  const review = reviewObject(engine, object);
  const deny = review.findings.filter((f) => f.action === 'deny');
  t.same(deny.map((f) => f.policy), [], 'no deny from a value the webhook cannot see');
  // Without /dev/shm a tensor-parallel server is denied; the size is hidden in a ConfigMap, so it warns.
  const shm = review.findings.find((f) => f.policy === 'shm-mounted');
  t.match(shm, { outcome: 'unknown', action: 'warn', message: /^could not be verified \(.*configMapKeyRef/, unknown: { path: 'vllm.parallel', source: '--tensor-parallel-size' } });
  t.match(shm?.message, /--tensor-parallel-size \$\(TP\)/, 'the message shows the flag as written');
});

t.test('good examples are never denied and bad examples are', async (t) => {
  const good = yamlFiles(path.join(EXAMPLES, 'good'));
  const bad = yamlFiles(path.join(EXAMPLES, 'bad'));
  t.same(good, ['application.yaml', 'multi-node-leaderworkerset.yaml', 'single-gpu-deployment.yaml', 'tensor-parallel-statefulset.yaml']);
  t.ok(bad.length >= 6, 'several bad examples');
  for (const file of good) {
    const reviews = reviewFile(path.join(EXAMPLES, 'good', file));
    t.ok(reviews.some((r) => r.vllm), `${file} holds a vLLM workload`);
    const denied = reviews.flatMap((r) => r.findings.filter((f) => f.action === 'deny'));
    t.same(denied.map((f) => `${f.policy}: ${f.message}`), [], `good/${file} has no deny`);
    // A single workload is warned about the objects around it it lacks; the application has them all.
    const warned = reviews.flatMap((r) => r.findings.filter((f) => f.action === 'warn' && (file === 'application.yaml' || !RELATION_POLICIES.includes(f.policy))));
    t.same(warned.map((f) => `${f.policy}: ${f.message}`), [], `good/${file} has no warning${file === 'application.yaml' ? '' : ' about the workload itself'}`);
  }
  for (const file of bad) {
    const text = readFileSync(path.join(EXAMPLES, 'bad', file), 'utf8');
    const denied = reviewFile(path.join(EXAMPLES, 'bad', file)).flatMap((r) => r.findings.filter((f) => f.action === 'deny'));
    t.ok(denied.length > 0, `bad/${file} is denied`);
    // Each bad example names the policies it expects to be denied by in its header.
    const expected = /^# Expected: deny ([^;.\n]+)/m.exec(text)?.[1]?.split(/,\s*/).map((s) => s.replace(/\s*\(.*\)$/, '')) ?? [];
    t.ok(expected.length > 0, `bad/${file} says what it expects`);
    t.same([...new Set(denied.map((f) => f.policy))].sort(), [...expected].sort(), `bad/${file} is denied by ${expected.join(', ')}`);
  }
});

t.test('a claim that is not in the input set is unknown: a warning that says so, never a deny', async (t) => {
  const found = findingsOf(path.join(FIXTURES, 'storage-access', 'unverified-claim.yaml'), 'storage-access');
  t.match(found, [{ outcome: 'unknown', action: 'warn', path: 'spec.template.spec.volumes', message: /^could not be verified \(PersistentVolumeClaim elsewhere is not in the input set\): .*runs up to 2 replicas/ }]);
});

t.test('without related objects (admission, no lookups) the relation policies are not run; with the input set they are', async (t) => {
  const file = path.join(FIXTURES, 'storage-access', 'fail.yaml');
  const docs = parseDocuments(readFileSync(file, 'utf8')).map((d) => d.value);
  const alone = docs.flatMap((doc) => reviewObject(engine, doc).findings).filter((f) => RELATION_POLICIES.includes(f.policy));
  t.same(alone, [], 'no relation finding without a related set');
  const related = createRelatedSet(docs, { scope: 'the input set' });
  const withSet = docs.flatMap((doc) => reviewObject(engine, doc, { related }).findings).filter((f) => RELATION_POLICIES.includes(f.policy));
  t.ok(withSet.some((f) => f.policy === 'storage-access' && f.action === 'deny'), 'storage-access denies with the objects in view');
});

t.test('an API the audit could not list makes its relation unknown, not failed', async (t) => {
  const docs = parseDocuments(readFileSync(path.join(FIXTURES, 'network-policy-covers', 'fail.yaml'), 'utf8')).map((d) => d.value);
  const related = createRelatedSet(docs, { scope: 'namespace fixtures', gaps: [['NetworkPolicy', 'networkpolicies.networking.k8s.io is forbidden']] });
  const found = docs.flatMap((doc) => reviewObject(engine, doc, { related }).findings).filter((f) => f.policy === 'network-policy-covers');
  t.match(found, [{ outcome: 'unknown', action: 'warn', message: /^could not be verified \(networkpolicies\.networking\.k8s\.io is forbidden\): A NetworkPolicy restricts who can reach the vLLM pods\. Unconfirmed: no NetworkPolicy in namespace fixtures selects/ }]);
});

// The application example with one relation broken at a time: exactly that policy speaks.
const BROKEN: [string, string, Finding['action'], string][] = [
  ['no-service.yaml', 'service-exposes-server', 'warn', 'no Service in the input set selects the pods of Deployment mistral-7b-app'],
  ['service-wrong-port.yaml', 'service-exposes-server', 'warn', "no port targets vLLM's --port 8000"],
  ['no-network-policy.yaml', 'network-policy-covers', 'warn', 'no NetworkPolicy in the input set selects'],
  ['monitor-wrong-port.yaml', 'metrics-scraped', 'warn', 'selected by ServiceMonitor mistral-7b-app, but none scrapes /metrics'],
  ['no-pdb.yaml', 'disruption-budget', 'warn', 'no PodDisruptionBudget in the input set selects'],
  ['single-replica.yaml', 'disruption-budget', 'warn', 'runs with a minimum replica count of 1 (HorizontalPodAutoscaler mistral-7b-app)'],
  ['rwo-cache.yaml', 'storage-access', 'deny', 'runs 2 replicas that mount PersistentVolumeClaim mistral-7b-app-hf-cache'],
  ['hpa-cpu.yaml', 'autoscaler-ml-signal', 'warn', 'HorizontalPodAutoscaler mistral-7b-app scales Deployment mistral-7b-app on Resource cpu only'],
  ['hpa-short-window.yaml', 'autoscaler-cooldown', 'warn', 'after a 120 s stabilization window (300 s when unset), shorter than the 615 s'],
  ['no-api-key.yaml', 'api-auth', 'warn', 'serves the vLLM API without authentication: no --api-key or VLLM_API_KEY, and no auth layer in front in the input set'],
];

t.test('the application with each relation broken fails that policy and no other', async (t) => {
  const dir = path.join(ROOT, 'test/fixtures/application');
  t.same(yamlFiles(dir), BROKEN.map(([file]) => file).sort(), 'every variant has an expectation');
  for (const [file, policy, action, message] of BROKEN) {
    const findings = reviewFile(path.join(dir, file)).flatMap((r) => r.findings.filter((f) => f.action === 'deny' || f.action === 'warn'));
    t.same(findings.map((f) => f.policy), [policy], `${file}: only ${policy}`);
    t.match(findings[0], { action, outcome: 'fail', message }, file);
  }
});
