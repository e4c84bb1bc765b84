// A pre-release image tag was read as the final release in several places: `vllm/vllm-openai:v0.17.0-rc1`
// (and `-rc.1`, `-beta1`, a vendor tag embedding `vllm_0.17.0rc1`) became v0.17.0, so an option removed
// in v0.17.0 was denied although the release candidate may still have it, and `0.12.0rc1` counted as
// v0.12.0 for multinode-backend's deny. PEP 440 (https://peps.python.org/pep-0440/), vLLM's version
// grammar, orders X rc1 before X: a change released in X may have landed after rc1 was cut, so a
// pre-release of the release that made a change is "could not be verified", never a deny.
import t from 'tap';
import { createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

function pod(image: string, args: string[], gpus = 1): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ml' },
    spec: { containers: [{ name: 'vllm', image, command: ['vllm', 'serve', 'Qwen/Qwen2.5-0.5B-Instruct', ...args], resources: { limits: { 'nvidia.com/gpu': gpus } } }] },
  };
}

/** A two-pod LeaderWorkerSet: TP 8 × PP 2 on 8 GPUs a pod, no multi-node backend. */
function group(image: string): Record<string, unknown> {
  const template = (name: string) => ({
    spec: {
      containers: [{ name, image, command: ['vllm', 'serve', 'meta-llama/Llama-3.1-405B-Instruct', '--tensor-parallel-size', '8', '--pipeline-parallel-size', '2'], resources: { limits: { 'nvidia.com/gpu': 8 } } }],
      nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
    },
  });
  return {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'big', namespace: 'ml' },
    spec: { replicas: 1, leaderWorkerTemplate: { size: 2, leaderTemplate: template('leader'), workerTemplate: template('worker') } },
  };
}

const failing = (o: Record<string, unknown>, policy: string) =>
  reviewObject(engine, o, { related: createRelatedSet([o], { scope: 'the input set' }) }).findings.filter((f) => f.policy === policy && f.outcome === 'fail');

t.test('an option removed in the final release is not denied on its release candidate', async (t) => {
  // --disable-log-requests: last in v0.16.0, removed in v0.17.0 (knowledge/vllm-options/options.json).
  for (const image of ['vllm/vllm-openai:v0.17.0-rc1', 'vllm/vllm-openai:v0.17.0-rc.1', 'vllm/vllm-openai:v0.17.0rc1', 'vllm/vllm-openai:v0.17.0-beta1', 'vllm/vllm-openai:v0.17.0.dev3']) {
    const found = failing(pod(image, ['--disable-log-requests']), 'vllm-args-valid');
    t.same(found.map((f) => f.action), ['warn'], `${image}: a warning, not a deny`);
    t.match(found[0]?.message, /^--disable-log-requests was removed in vLLM v0\.17\.0 .*Checked against any vLLM release .*\(0\.17\.0(?:rc1|b1|\.dev3) is a pre-release/, image);
  }
  // The final release and later ones still exit on it.
  t.match(failing(pod('vllm/vllm-openai:v0.17.0', ['--disable-log-requests']), 'vllm-args-valid'), [{ action: 'deny', message: /Checked against vLLM v0\.17\.0;/ }]);
});

t.test('a vendor tag that embeds a pre-release names the pre-release', async (t) => {
  const found = failing(pod('rocm/vllm:rocm7.0_vllm_0.17.0rc1_20260301', ['--disable-log-requests']), 'vllm-args-valid');
  t.notOk(found.some((f) => f.action === 'deny'), 'not denied');
  t.notMatch(found.map((f) => f.message).join('\n'), /Checked against vLLM v0\.17\.0;/);
});

t.test('an option added in the final release is not checked against the final on its release candidate', async (t) => {
  // --moe-backend arrived in v0.17.0: on v0.16.0 it is unknown; on the rc it may or may not exist.
  t.match(failing(pod('vllm/vllm-openai:v0.16.0', ['--moe-backend', 'triton']), 'vllm-args-valid'), [{ action: 'deny' }]);
  t.same(failing(pod('vllm/vllm-openai:v0.17.0-rc1', ['--moe-backend', 'triton']), 'vllm-args-valid'), []);
});

t.test('multinode-backend: a release candidate of v0.12.0 is not judged as v0.12.0', async (t) => {
  // v0.12.0 and later exit without a backend when the world is larger than the node (knowledge/checks/multinode.ts).
  t.match(failing(group('vllm/vllm-openai:v0.12.0'), 'multinode-backend'), [{ action: 'deny' }]);
  for (const image of ['vllm/vllm-openai:v0.12.0rc1', 'vllm/vllm-openai:v0.12.0-rc.1']) {
    const found = failing(group(image), 'multinode-backend');
    t.ok(found.length > 0, `${image}: still reported`);
    t.same(found.map((f) => f.action), found.map(() => 'warn'), `${image}: a warning, not a deny`);
    t.match(found[0]?.message, /some vLLM releases pick Ray by themselves/, image);
  }
  // A release candidate of a later release is after the change.
  t.match(failing(group('vllm/vllm-openai:v0.13.0-rc1'), 'multinode-backend'), [{ action: 'deny' }]);
});

t.test("the image's ENTRYPOINT is not settled by a release candidate of the release that changed it", async (t) => {
  // vllm/vllm-openai started `vllm serve` from v0.11.1 (command/entrypoints.ts); rc1 may predate the switch.
  const argsOnly = (image: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ml' },
    spec: { containers: [{ name: 'vllm', image, args: ['Qwen/Qwen2.5-0.5B-Instruct', '--model', 'Qwen/Qwen2.5-0.5B-Instruct'], resources: { limits: { 'nvidia.com/gpu': 1 } } }] },
  });
  t.match(failing(argsOnly('vllm/vllm-openai:v0.11.1'), 'vllm-args-valid'), [{ action: 'deny', message: /both name the model/ }]);
  t.same(failing(argsOnly('vllm/vllm-openai:v0.11.1-rc1'), 'vllm-args-valid').map((f) => f.action), []);
});
