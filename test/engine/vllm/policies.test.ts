/**
 * vllm-args-valid and vllm-env through the whole engine (createEngine, reviewObject): messages say
 * how the version was found and what the arguments were checked against, nothing is cut short,
 * and the policies' own examples give the verdicts they promise.
 */
import t from 'tap';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/load.js';
import { createEngine, reviewObject } from '../../../src/engine/api.js';
import { loadPolicies } from '../../../src/policy/load.js';

const policies = loadPolicies(null);
const engine = createEngine({ policies, config: loadConfig(null).engine });
const OURS = new Set(['vllm-args-valid', 'vllm-env']);

interface Snippet {
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
}

function review(snippet: Snippet) {
  const container = { name: 'vllm', image: snippet.image ?? 'vllm/vllm-openai:v0.11.1', ...snippet, resources: { limits: { 'nvidia.com/gpu': 1 } } };
  // Policy snippets write `args: [serve, <model>, …]` for an image whose ENTRYPOINT is `vllm`.
  if (container.args?.[0] === 'serve' && !container.command) container.command = ['vllm'];
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [container] } };
  return reviewObject(engine, object)
    .findings.filter((f) => OURS.has(f.policy))
    .map((f) => ({ policy: f.policy, action: f.action, message: f.message, remediation: f.remediation }));
}

t.test('the policies are loaded with their actions', async (t) => {
  t.equal(policies.byId.get('vllm-args-valid')?.action, 'deny');
  t.equal(policies.byId.get('vllm-args-valid')?.waivable, false, 'not waivable: vLLM does not start');
  t.equal(policies.byId.get('vllm-env')?.action, 'warn');
});

t.test("each policy's own examples", async (t) => {
  for (const id of OURS) {
    const policy = policies.byId.get(id);
    t.same(review(parse(policy?.example?.good ?? '') as Snippet).filter((f) => f.policy === id), [], `${id}: the good example passes`);
    t.equal(review(parse(policy?.example?.bad ?? '') as Snippet).filter((f) => f.policy === id).length, 1, `${id}: the bad example fails`);
  }
});

t.test('vllm-args-valid messages', async (t) => {
  const [typo] = review({ image: 'vllm/vllm-openai:v0.10.1.1', command: ['vllm', 'serve'], args: ['m', '--tensor-paralel-size', '4'] });
  t.equal(typo?.action, 'deny');
  t.match(typo?.message, /^unknown option --tensor-paralel-size \(did you mean --tensor-parallel-size\?\) \(container vllm\): vLLM exits: "unrecognized arguments: --tensor-paralel-size"/);
  t.match(typo?.message, /Checked against vLLM v0\.10\.1\.1; version from tag v0\.10\.1\.1 of vllm\/vllm-openai/, 'says how the version was found');
  t.notMatch(typo?.message, /…/, 'nothing is cut short');
  t.equal(typo?.remediation, 'use --tensor-parallel-size');

  const latest = review({ image: 'vllm/vllm-openai:latest', command: ['vllm', 'serve'], args: ['m', '--frobnicate', '1'] });
  t.same(latest.map((f) => f.action), ['warn'], 'an unsettled problem only warns');
  t.match(latest[0]?.message, /Checked against any vLLM release v0\.6\.0–v0\.20\.1 \(the image does not name its vLLM version\)/);

  const deprecated = review({ image: 'vllm/vllm-openai:v0.9.0', command: ['vllm', 'serve'], args: ['m', '--enable-reasoning', '--reasoning-parser', 'deepseek_r1'] });
  t.match(deprecated[0], { action: 'warn', remediation: 'use --reasoning-parser' });

  const unknownValue = review({
    image: 'vllm/vllm-openai:v0.20.1',
    command: ['vllm', 'serve'],
    args: ['m', '--max-model-len', '$(LEN)'],
    env: [{ name: 'LEN', valueFrom: { configMapKeyRef: { name: 'c', key: 'len' } } }],
  });
  t.same(unknownValue, [], 'an unknown value is not judged');
});

t.test('vllm-env messages', async (t) => {
  const [typo] = review({ env: [{ name: 'VLLM_LOGGING_LEVLE', value: 'DEBUG' }], command: ['vllm', 'serve'], args: ['m'] });
  t.match(typo, { policy: 'vllm-env', action: 'warn', message: /^unknown VLLM_LOGGING_LEVLE \(did you mean VLLM_LOGGING_LEVEL\?\) in container vllm: vLLM ignores it/, remediation: 'rename it to VLLM_LOGGING_LEVEL' });
  const [port] = review({ env: [{ name: 'VLLM_PORT', value: 'tcp://10.0.0.3:8000' }], command: ['vllm', 'serve'], args: ['m'] });
  t.match(port, { message: /^VLLM_PORT is a URI, not a port in container vllm: vLLM raises ValueError at start/, remediation: /enableServiceLinks: false/ });
  t.notMatch(port?.message, /10\.0\.0\.3/, 'the value is not echoed');
});
