/**
 * rollout-strategy beyond its fixtures: int-or-percent resolution as Kubernetes does it, the params
 * that a config sets (spare accelerators, a termination grace floor), and a LeaderWorkerSet surge.
 */
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject } from '../../src/engine/api.js';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { scaledValue } from '../../src/engine/facts/rollout.js';
import { loadPolicies } from '../../src/policy/load.js';

const base = loadConfig(null).engine;
const policies = loadPolicies(null);

function engineWith(params: Record<string, unknown>) {
  return createEngine({ policies, config: { ...base, policies: { 'rollout-strategy': { params } } } });
}

function deployment(spec: Record<string, unknown>, pod: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'qwen', namespace: 'ml' },
    spec: {
      ...spec,
      template: {
        spec: {
          ...pod,
          containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.20.1', args: ['Qwen/Qwen3-8B'], resources: { limits: { 'nvidia.com/gpu': 2, memory: '64Gi' } } }],
        },
      },
    },
  };
}

function rollout(engine: ReturnType<typeof engineWith>, object: unknown) {
  return reviewObject(engine, object).findings.filter((f) => f.policy === 'rollout-strategy');
}

t.test('percentages resolve as Kubernetes does: surge up, unavailable down', async (t) => {
  t.equal(scaledValue('25%', 1, true), 1, '25% of 1 surges 1 pod');
  t.equal(scaledValue('25%', 1, false), 0, '25% of 1 leaves 0 unavailable');
  t.equal(scaledValue('50%', 3, true), 2);
  t.equal(scaledValue('50%', 3, false), 1);
  t.equal(scaledValue(2, 10, true), 2, 'an integer is taken as is');
  t.equal(scaledValue('2', 10, true), null, 'a string that is not a percentage is refused, as the API does');
  t.equal(scaledValue(-1, 10, true), null);
});

t.test('the default surge of a 4-replica Deployment needs one spare pod of GPUs; a stated headroom silences it', async (t) => {
  const object = deployment({ replicas: 4, progressDeadlineSeconds: 1200 });
  const [finding] = rollout(engineWith({}), object);
  t.match(finding, { path: 'spec.strategy', action: 'warn', message: /\(replicas 4, maxSurge 25%\) surges by 1 during an update: the rollout needs 2 spare nvidia.com\/gpu \(1 × 2 per pod\)/ });
  t.same(rollout(engineWith({ spareAccelerators: 2 }), object), [], 'two free GPUs cover one surge pod of 2');
  t.equal(rollout(engineWith({ spareAccelerators: 1 }), object).length, 1, 'one free GPU does not');
});

t.test('maxSurge 0 with maxUnavailable 1 needs no spare GPU and keeps the other replicas serving', async (t) => {
  const object = deployment({ replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } });
  t.same(rollout(engineWith({}), object).map((f) => f.message), []);
});

t.test('maxUnavailable 100% takes every replica down at once', async (t) => {
  const object = deployment({ replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '100%' } } });
  const found = rollout(engineWith({}), object);
  t.match(found, [{ path: 'spec.strategy', message: /updates all 3 replicas at once \(maxUnavailable 100%\)/ }]);
  t.match(found[0]?.fix?.patch, [{ op: 'add', path: '/spec/strategy/rollingUpdate/maxUnavailable', value: 1 }]);
  const recreate = rollout(engineWith({}), deployment({ replicas: 3, strategy: { type: 'Recreate' } }));
  t.match(recreate, [{ message: /updates all 3 replicas at once \(strategy Recreate\)/ }]);
  t.notOk(recreate[0]?.fix, 'Recreate is not switched for the user: it may be chosen for a volume');
});

t.test('the termination grace floor is the config\'s: unset, no finding; set, the default 30 s is measured against it', async (t) => {
  const object = deployment({ strategy: { type: 'Recreate' } });
  t.same(rollout(engineWith({}), object), [], 'no floor is invented');
  t.match(rollout(engineWith({ minTerminationGraceSeconds: 120 }), object), [
    { path: 'spec.template.spec.terminationGracePeriodSeconds', message: /killed 30 s after SIGTERM \(terminationGracePeriodSeconds, the default\), below the 120 s the config sets/ },
  ]);
  const longer = deployment({ strategy: { type: 'Recreate' } }, { terminationGracePeriodSeconds: 180 });
  t.same(rollout(engineWith({ minTerminationGraceSeconds: 120 }), longer), []);
});

t.test('fixes write the value the finding compares with, and only where it is known', async (t) => {
  const patched = (object: unknown, patch: unknown) => fastJsonPatch.applyPatch(fastJsonPatch.deepClone(object), patch as Operation[], true, false).newDocument as unknown;
  const floor = engineWith({ minTerminationGraceSeconds: 120 });
  const object = deployment({ strategy: { type: 'Recreate' } });
  const [grace] = rollout(floor, object);
  t.match(grace?.fix, { description: "set terminationGracePeriodSeconds to 120 s, the config's minTerminationGraceSeconds", patch: [{ op: 'add', path: '/spec/template/spec/terminationGracePeriodSeconds', value: 120 }] });
  t.same(rollout(floor, patched(object, grace?.fix?.patch)), [], 'the patched Deployment meets the floor');

  const surging = deployment({ replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
  const [surge] = rollout(engineWith({}), surging);
  t.match(surge?.fix?.patch, [{ path: '/spec/strategy/rollingUpdate/maxSurge', value: 0 }, { path: '/spec/strategy/rollingUpdate/maxUnavailable', value: 1 }]);
  t.same(rollout(engineWith({}), patched(surging, surge?.fix?.patch)), [], 'one pod at a time: no surge and not all at once');

  const placeholder = deployment({ replicas: '${REPLICAS}', strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
  t.notOk(rollout(engineWith({}), placeholder).some((f) => f.fix), 'replicas from a placeholder: no fix');

  const slow = deployment({ progressDeadlineSeconds: 300, strategy: { type: 'Recreate' } }, {});
  const annotated = { ...slow, metadata: { ...slow.metadata, annotations: { 'llm-readiness/cold-start-seconds': '900' } } };
  const deadline = rollout(engineWith({}), annotated).find((f) => f.path === 'spec.progressDeadlineSeconds');
  t.ok(deadline, 'the progress deadline below the startup budget is reported');
  t.notOk(deadline?.fix, 'but not fixed: the margin above the budget (image pull, readiness) is not known');
});

t.test('a LeaderWorkerSet surge needs a whole group of accelerators', async (t) => {
  const pod = (name: string) => ({
    spec: { containers: [{ name, image: 'vllm/vllm-openai:v0.20.1', command: ['sh', '-c', 'vllm serve Qwen/Qwen3-8B --tensor-parallel-size 8 --pipeline-parallel-size 2 --distributed-executor-backend ray'], resources: { limits: { 'nvidia.com/gpu': 8, memory: '500Gi' } } }] },
  });
  const object = {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'big', namespace: 'ml' },
    spec: {
      replicas: 2,
      rolloutStrategy: { type: 'RollingUpdate', rollingUpdateConfiguration: { maxSurge: 1, maxUnavailable: 1 } },
      leaderWorkerTemplate: { size: 2, restartPolicy: 'RecreateGroupOnPodRestart', leaderTemplate: pod('vllm-leader'), workerTemplate: pod('vllm-worker') },
    },
  };
  const found = rollout(engineWith({}), object);
  t.match(found, [{ path: 'spec.rolloutStrategy', message: /\(replicas 2, maxSurge 1\) surges by 1 during an update: the rollout needs 16 spare nvidia.com\/gpu \(1 × 16 per group\)/ }]);
  t.notOk(found[0]?.fix, 'no fix: the surge fix writes a Deployment\'s fields only');
});
