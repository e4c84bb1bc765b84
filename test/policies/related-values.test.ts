// Values that come from other documents of the input set (ConfigMaps, a --config file mounted from
// one, a Service named vllm), and the numbers every policy reads the same way, as a user sees them.
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, createRelatedSet, reviewObject, type Finding } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';

const engine = createEngine({ policies: loadPolicies(null), config: loadConfig(null).engine });

const CONFIG_MAP = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'vllm-config', namespace: 'llm' },
  data: { TP: '4', LAUNCHER: 'vllm', 'config.yaml': 'max-num-seqs: 64\ntensor-parallel-size: 2\n', 'bad.yaml': 'tensor-paralel-size: 2\n' },
};
const SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf', namespace: 'llm' }, data: { token: 'c2VjcmV0LXZhbHVlLW5ldmVyLXNob3du' } };
const SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'vllm', namespace: 'llm' }, spec: { ports: [{ port: 8000 }] } };

function deployment(container: Record<string, unknown>, pod: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'llm' },
    spec: {
      template: {
        spec: {
          ...pod,
          containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.1', resources: { limits: { 'nvidia.com/gpu': 2 } }, ...container }],
          volumes: [{ name: 'cfg', configMap: { name: 'vllm-config' } }],
        },
      },
    },
  };
}

function review(object: unknown, others: unknown[] | null) {
  const related = others === null ? undefined : createRelatedSet([object, ...others], { scope: 'the input set' });
  return reviewObject(engine, object, related ? { related } : {});
}
const of = (findings: Finding[], policy: string) => findings.filter((f) => f.policy === policy);

t.test('a ConfigMap of the input set resolves $(TP): the value says where it came from', async (t) => {
  const object = deployment({ args: ['m', '--tensor-parallel-size', '$(TP)'], env: [{ name: 'TP', valueFrom: { configMapKeyRef: { name: 'vllm-config', key: 'TP' } } }] });
  const [gpu] = of(review(object, [CONFIG_MAP]).findings, 'gpu-count-matches-parallelism');
  t.match(gpu, { action: 'deny', message: /^--tensor-parallel-size 4 \(from ConfigMap vllm-config key TP\) × .* needs an accelerator count of 4, but Deployment d has 2/ });
  const admission = of(review(object, null).findings, 'gpu-count-matches-parallelism');
  t.ok(admission.every((f) => f.action !== 'deny'), 'at admission the value stays unknown: never a deny');
  t.match(admission[0]?.message ?? '', /could not be verified \(TP comes from configMapKeyRef: the ConfigMap vllm-config is not looked up at admission\)/);
});

t.test('an env-held launcher from a ConfigMap starts vLLM', async (t) => {
  const object = deployment({ image: 'registry.example.com/inference/server:latest', command: ['$(LAUNCHER)', 'serve', 'meta-llama/Llama-3.1-8B-Instruct'], envFrom: [{ configMapRef: { name: 'vllm-config' } }] });
  t.equal(review(object, [CONFIG_MAP]).vllm, true, 'reviewed as vLLM with the ConfigMap');
  t.equal(review(object, null).vllm, false, 'not recognized at admission, where the ConfigMap is not looked up');
});

t.test('--config mounted from a ConfigMap: command line over file, file over defaults', async (t) => {
  const object = deployment({ args: ['m', '--config', '/etc/vllm/config.yaml', '--max-num-batched-tokens', '8192'], volumeMounts: [{ name: 'cfg', mountPath: '/etc/vllm' }] });
  const findings = review(object, [CONFIG_MAP]).findings;
  t.same(of(findings, 'gpu-count-matches-parallelism'), [], 'tensor-parallel-size 2 from the file matches 2 GPUs');
  t.same(of(findings, 'batching-explicit'), [], 'max-num-seqs from the file, max-num-batched-tokens from the command line');
  const bad = deployment({ args: ['m', '--config', '/etc/vllm/bad.yaml'], volumeMounts: [{ name: 'cfg', mountPath: '/etc/vllm' }] });
  const [typo] = of(review(bad, [CONFIG_MAP]).findings, 'vllm-args-valid');
  t.match(typo, { action: 'deny', path: 'spec.template.spec.containers[0].args[1]', message: /unknown option --tensor-paralel-size .*\(from config file \/etc\/vllm\/bad.yaml\)/ });
  const missing = deployment({ args: ['m', '--config', '/etc/vllm/none.yaml'], volumeMounts: [{ name: 'cfg', mountPath: '/etc/vllm' }] });
  t.match(of(review(missing, [CONFIG_MAP]).findings, 'vllm-args-valid')[0], { action: 'deny', message: /--config file \/etc\/vllm\/none.yaml cannot be loaded/ });
  t.same(of(review(object, null).findings, 'vllm-args-valid').filter((f) => f.action === 'deny'), [], 'at admission the file is unknown: no deny');
});

t.test('a Secret key that is not there stops the container; Secret values never show', async (t) => {
  const object = deployment({ args: ['m'], env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'hf-token' } } }] });
  const [env] = of(review(object, [SECRET]).findings, 'vllm-env');
  t.match(env, { action: 'warn', path: 'spec.template.spec.containers[0].env[0]', message: /Secret hf has no key hf-token .*CreateContainerConfigError/ });
  const ok = deployment({ args: ['m'], env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } }] });
  const text = JSON.stringify(review(ok, [SECRET]));
  t.notMatch(text, /c2VjcmV0|secret-value/, 'no Secret data in the review');
  t.same(of(review(ok, [SECRET]).findings, 'vllm-env'), []);
});

t.test('enableServiceLinks with a Service named vllm', async (t) => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>, unknown[] | null, boolean][] = [
    ['a Service named vllm in the input set warns', {}, {}, [SERVICE], true],
    ['links turned off', {}, { enableServiceLinks: false }, [SERVICE], false],
    ['the container sets VLLM_PORT itself', { env: [{ name: 'VLLM_PORT', value: '5000' }] }, {}, [SERVICE], false],
    ['no such Service in the input set', {}, {}, [CONFIG_MAP], false],
    ['admission: Services not looked up, no finding', {}, {}, null, false],
  ];
  for (const [name, container, pod, others, warns] of cases) {
    const found = of(review(deployment({ args: ['m'], ...container }, pod), others).findings, 'vllm-env');
    if (warns) t.match(found[0], { action: 'warn', path: 'spec.template.spec.enableServiceLinks', message: /the input set has a Service named vllm and enableServiceLinks is on .*VLLM_PORT=tcp:\/\//, remediation: 'set enableServiceLinks: false in the pod spec' }, name);
    else t.same(found, [], name);
  }
});

t.test('--max-model-len reads the same for every policy, per release', async (t) => {
  const NATIVE = /full native context/;
  // [image tag, value, max-model-len message (null: none), vllm-args-valid denies]
  const cases: [string, string, RegExp | null, boolean][] = [
    ['v0.14.0', 'auto', /^--max-model-len auto in container vllm: vLLM \(v0.14.0 on\) fits the context to the KV cache memory/, false],
    ['v0.14.0', '-1', /^--max-model-len -1 in container vllm: vLLM \(v0.14.0 on\) fits the context/, false],
    ['latest', 'auto', /fits the context to the KV cache memory/, false],
    ['v0.11.1', 'auto', null, true],
    ['v0.11.1', '-1', /^--max-model-len -1 in container vllm is not a context length/, false],
    ['v0.11.1', '0', /^--max-model-len 0 in container vllm is not a context length/, false],
    ['v0.11.1', '128kb', null, true],
    ['v0.11.1', 'abc', null, true],
    ['v0.11.1', '32k', null, false],
  ];
  for (const [tag, value, message, denied] of cases) {
    const object = deployment({ image: `vllm/vllm-openai:${tag}`, args: ['Qwen/Qwen3-8B', '--max-model-len', value] });
    const findings = review(object, []).findings;
    const mml = of(findings, 'max-model-len').filter((f) => !/VLLM_ALLOW_LONG|does not match/.test(f.message));
    const name = `${tag} --max-model-len ${value}`;
    if (message) t.match(mml[0]?.message, message, name);
    else t.same(mml.map((f) => f.message), [], `${name}: max-model-len says nothing`);
    t.notOk(mml.some((f) => NATIVE.test(f.message)), `${name}: never "full native context"`);
    t.equal(of(findings, 'vllm-args-valid').some((f) => f.action === 'deny'), denied, `${name}: vllm-args-valid ${denied ? 'denies' : 'accepts'}`);
    const fit = of(findings, 'context-within-model').concat(of(findings, 'model-fits-memory'));
    t.notOk(fit.some((f) => f.action === 'deny'), `${name}: no fit deny from a value that is not a length`);
  }
});

t.test('the ENTRYPOINT follows the release the tag names', async (t) => {
  const deny = (image: string, args: string[]) => of(review(deployment({ image, args }), []).findings, 'vllm-args-valid').filter((f) => f.action === 'deny').map((f) => f.message);
  t.same(deny('vllm/vllm-openai:v0.10.1.1', ['--model', 'm']), [], 'v0.10.1.1 runs the api_server module: --model is right');
  t.match(deny('vllm/vllm-openai:v0.10.1.1', ['m'])[0], /m is an extra positional argument/, 'and a positional model is refused');
  t.same(deny('vllm/vllm-openai:v0.11.1', ['m']), [], 'v0.11.1 runs vllm serve: the positional model is right');
  t.match(deny('vllm/vllm-openai:v0.11.1', ['m', '--model', 'm']).join('\n'), /--model and the positional m both name the model/, 'the positional-model rules judge a release tag again');
  t.same(deny('vllm/vllm-openai:latest', ['--model', 'm']), [], 'a floating tag: the ENTRYPOINT is a guess, no verdict on where the model is');
});

t.test('an unread --config file leaves every option the command line omits unknown; a read one settles them', async (t) => {
  const withConfig = deployment({ args: ['Qwen/Qwen2.5-7B-Instruct', '--config', '/etc/vllm/config.yaml'], volumeMounts: [{ name: 'cfg', mountPath: '/etc/vllm' }] });
  // The ConfigMap is not in the set: the file may set --tensor-parallel-size, so the GPU count is not a fault.
  const unread = of(review(withConfig, []).findings, 'gpu-count-matches-parallelism');
  t.ok(unread.length > 0, 'the policy still speaks');
  for (const f of unread) t.match(f, { outcome: 'unknown', action: 'warn', message: /^could not be verified \(the --config file \/etc\/vllm\/config\.yaml comes from ConfigMap vllm-config/ });
  t.same(of(review(withConfig, []).findings, 'max-model-len').map((f) => f.outcome), ['unknown'], 'nor is a missing --max-model-len a fact');
  // Read from the ConfigMap: tensor-parallel-size 2 on 2 GPUs, and nothing about the file is unknown.
  const read = review(withConfig, [CONFIG_MAP]).findings;
  t.same(of(read, 'gpu-count-matches-parallelism'), [], 'TP 2 from the file fits the 2 GPUs');
  t.notOk(read.some((f) => /--config file/.test(f.message)), 'no finding says the file could not be read');
});
