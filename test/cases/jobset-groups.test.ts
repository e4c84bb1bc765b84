// A JobSet's pods form one vLLM group only when they launch a multi-node engine (workload/jobset-group.ts):
// independent batch pods are not NCCL ranks of each other. What a user of `check` sees.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';

const engine = createEngine({ config: loadConfig(null, { mode: 'enforce' }).engine, policies: loadPolicies(null) });
const load = (name: string) => parse(readFileSync(fileURLToPath(new URL(`../fixtures/kinds/${name}`, import.meta.url)), 'utf8')) as Record<string, unknown>;
const findings = (object: unknown, policy: string) => reviewObject(engine, object, {}).findings.filter((f) => f.policy === policy && f.outcome === 'fail');

t.test('two replicas of a run_batch job are two vLLM engines: no 2-pod NCCL group', async (t) => {
  const [shm] = findings(load('jobset.yaml'), 'shm-mounted');
  t.equal(shm?.action, 'warn', 'a single-rank pod without /dev/shm is a warning, as for a Job');
  t.equal(shm?.message, "container vllm has no /dev/shm mount: the runtime's 64 MiB default can fail vLLM's worker processes");
  t.notMatch(shm?.message, /serving group/);
});

t.test('independent pods are judged on their own GPUs: tensor 2 on a 1-GPU replica is denied', async (t) => {
  // The same JobSet with each replica serving on its own (vllm serve, no multi-node launch).
  const object = load('jobset.yaml') as { spec: { replicatedJobs: { template: { spec: { template: { spec: { containers: Record<string, unknown>[] } } } } }[] } };
  const container = object.spec.replicatedJobs[0]!.template.spec.template.spec.containers[0]!;
  container.command = ['vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct', '--tensor-parallel-size', '2'];
  delete container.args;
  const [gpu] = findings(object, 'gpu-count-matches-parallelism');
  t.equal(gpu?.action, 'deny');
  t.match(gpu?.message, /needs an accelerator count of 2, but JobSet vllm-batch has 1 \(1 per pod, group size 1\)/);
});

t.test('a Ray head with a worker job is one multi-node group: 16 GPUs for TP 8 × PP 2, /dev/shm asked of the group', async (t) => {
  const object = load('jobset-multinode-ray.yaml');
  t.same(findings(object, 'gpu-count-matches-parallelism'), []);
  const worker = findings(object, 'shm-mounted').find((f) => f.container === 'ray-worker');
  t.equal(worker?.action, 'deny');
  t.match(worker?.message, /is part of a 2-pod serving group \(JobSet vllm-multinode, pod\) without a \/dev\/shm mount/);
});

t.test('one Indexed Job of 2 pods launching --nnodes 2 is a 2-pod group: its 16 GPUs fit TP 8 × PP 2', async (t) => {
  const object = load('jobset-multinode-ray.yaml') as { spec: { replicatedJobs: { template: { spec: Record<string, unknown> & { template: { spec: { containers: Record<string, unknown>[] } } } } }[] } };
  object.spec.replicatedJobs = object.spec.replicatedJobs.slice(0, 1);
  const job = object.spec.replicatedJobs[0]!.template.spec;
  job.parallelism = 2;
  job.completions = 2;
  job.completionMode = 'Indexed';
  const container = job.template.spec.containers[0]!;
  container.command = ['bash', '-c'];
  container.args = ['vllm serve m --tensor-parallel-size 8 --pipeline-parallel-size 2 --nnodes 2 --node-rank $JOB_COMPLETION_INDEX --master-addr vllm-multinode-head-0-0.vllm-multinode'];
  t.same(findings(object, 'gpu-count-matches-parallelism').filter((f) => f.action === 'deny'), []);
});
