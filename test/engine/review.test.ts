// reviewObject end to end with the default catalogue: which containers are checked, in which role.
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { reviewObject, verdictOf, type Engine } from '../../src/engine/engine.js';
import type { EngineConfig } from '../../src/engine/types.js';
import { loadPolicies } from '../../src/policy/load.js';
import { createEngine } from '../../src/engine/engine.js';

const base = loadConfig(null).engine;
function engineWith(config: Partial<EngineConfig> = {}): Engine {
  const merged = { ...base, ...config };
  return createEngine({ config: merged, policies: loadPolicies(null) });
}
const engine = engineWith();
const policiesOf = (review: ReturnType<typeof reviewObject>) => [...new Set(review.findings.map((f) => f.policy))].sort();

const nginx = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:latest' }] } };

t.test('a plain pod is not a vLLM workload and is not checked by default', async (t) => {
  const review = reviewObject(engine, nginx);
  t.equal(review.vllm, false);
  t.same(review.findings, []);
});

t.test('detection.allPods applies the generic rules to any pod', async (t) => {
  const review = reviewObject(engineWith({ detection: { ...base.detection, allPods: true } }), nginx);
  t.equal(review.vllm, false);
  t.same(policiesOf(review), ['image-pinned', 'non-root']);
  t.equal(review.findings.find((f) => f.policy === 'image-pinned')?.action, 'deny');
});

t.test('a label selector marks a pod as vLLM even when its image and command say nothing', async (t) => {
  const labelled = { ...nginx, metadata: { ...nginx.metadata, labels: { 'vllm-guard.io/check': 'true' } } };
  const review = reviewObject(engineWith({ detection: { ...base.detection, labels: { 'vllm-guard.io/check': 'true' } } }), labelled);
  t.equal(review.vllm, true);
  t.ok(policiesOf(review).includes('readiness-model-aware'), 'server rules apply');
  t.notOk(review.findings.some((f) => f.action === 'deny' && f.outcome === 'fail' && f.policy === 'model-reference'), 'the unknown command never denies');
});

const lws = {
  apiVersion: 'leaderworkerset.x-k8s.io/v1',
  kind: 'LeaderWorkerSet',
  metadata: { name: 'big', namespace: 'llm' },
  spec: {
    leaderWorkerTemplate: {
      size: 2,
      leaderTemplate: {
        spec: {
          containers: [
            {
              name: 'leader',
              image: 'vllm/vllm-openai:v0.11.1',
              command: ['sh', '-c', 'ray start --head --port=6379 && vllm serve meta-llama/Llama-3.1-405B-Instruct --tensor-parallel-size 8 --pipeline_parallel_size 2'],
              resources: { limits: { 'nvidia.com/gpu': 8 } },
            },
          ],
        },
      },
      workerTemplate: {
        spec: {
          containers: [
            {
              name: 'worker',
              image: 'rayproject/ray:2.40.0',
              command: ['sh', '-c', 'ray start --address=$(LWS_LEADER_ADDRESS):6379 --block'],
              env: [{ name: 'HF_TOKEN', value: 'hf_literal_value' }],
              resources: { limits: { 'nvidia.com/gpu': 4 } },
            },
          ],
        },
      },
    },
  },
};

t.test('a LeaderWorkerSet: the group has 8 + 4 accelerators for TP8×PP2 = 16, and the Ray worker gets only GPU, shm and toleration rules', async (t) => {
  const review = reviewObject(engine, lws);
  t.equal(review.vllm, true);
  const parallel = review.findings.find((f) => f.policy === 'gpu-count-matches-parallelism');
  t.equal(parallel?.action, 'deny');
  t.match(parallel?.message, /needs an accelerator count of 16, but LeaderWorkerSet big has 12/);
  t.equal(parallel?.path, 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].resources.limits');
  const worker = review.findings.filter((f) => f.container === 'worker').map((f) => f.policy);
  t.ok(worker.length > 0);
  for (const policy of worker) {
    t.ok(/^(gpu-|shm-)/.test(policy), `${policy} on the Ray worker`);
  }
  t.ok(worker.includes('shm-mounted'));
});

t.test('an engine argument from a Secret is unknown: it warns, never denies', async (t) => {
  const pod = {
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'llm' },
    spec: {
      containers: [
        {
          name: 'vllm',
          image: 'vllm/vllm-openai:v0.11.1',
          command: ['vllm', 'serve', 'Qwen/Qwen3-8B', '--tensor-parallel-size', '$(TP)'],
          env: [{ name: 'TP', valueFrom: { configMapKeyRef: { name: 'c', key: 'tp' } } }],
          resources: { limits: { 'nvidia.com/gpu': 1 } },
        },
      ],
    },
  };
  const review = reviewObject(engine, pod);
  const shm = review.findings.find((f) => f.policy === 'shm-mounted');
  t.match(shm, { action: 'warn', outcome: 'unknown', message: /^could not be verified \(.*TP comes from configMapKeyRef.*\): / });
  t.notOk(review.findings.some((f) => f.action === 'deny' && f.outcome === 'unknown'));
});

t.test('verdictOf splits the findings by action', async (t) => {
  const verdict = verdictOf(reviewObject(engine, lws));
  t.equal(verdict.allowed, false);
  t.ok(verdict.deny.length > 0 && verdict.warn.length > 0);
  t.ok([...verdict.deny, ...verdict.warn, ...verdict.audit].every((f) => ['deny', 'warn', 'audit'].includes(f.action)));
  t.same(verdictOf(reviewObject(engine, nginx)), { allowed: true, deny: [], warn: [], audit: [] });
});

t.test('unknown kinds are skipped and said so', async (t) => {
  const review = reviewObject(engine, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } });
  t.equal(review.vllm, false);
  t.match(review.skipped, /Widget creates no pods that vllm-guard knows of/);
  // A serving CRD is known by kind and group (workload/serving-kinds.ts); without its templates it says where it looked.
  const empty = reviewObject(engine, { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'x' } });
  t.match(empty.skipped, /InferenceService has no pod spec at spec\.predictor/);
});

t.test('a namespace called constructor with per-namespace overrides reviews normally', async (t) => {
  const e = engineWith({ policies: { 'image-pinned': { namespaces: { prod: 'warn' } } } });
  const pod = { kind: 'Pod', metadata: { name: 'p', namespace: 'constructor' }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:latest', command: ['vllm', 'serve', 'x/y'] }] } };
  const review = reviewObject(e, pod);
  t.equal(review.findings.find((f) => f.policy === 'image-pinned')?.action, 'deny');
});
