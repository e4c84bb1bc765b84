/**
 * The draft policies (policies/drafts/vllm-args-valid.yaml, vllm-env.yaml) loaded and evaluated by
 * the real policy loader and evaluator, on facts from readVllmArgFacts: their own examples give the
 * verdicts they promise, and the messages show how the version was found.
 */
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/load.js';
import { evaluatePolicies, planPolicies } from '../../../src/engine/evaluate.js';
import type { Facts } from '../../../src/engine/types.js';
import { loadPolicySet } from '../../../src/policy/load.js';
import { bundledVendorImages, loadBundledOptionTable } from '../../../src/engine/vllm/bundled.js';
import { readVllmArgFacts } from '../../../src/engine/vllm/facts-args.js';
import type { EnvEntry } from '../../../src/engine/vllm/validate-env.js';

const DRAFTS = join(import.meta.dirname, '../../../policies/drafts');
const config = loadConfig(null).engine;
const set = loadPolicySet(DRAFTS, config);
const plan = planPolicies(set, config);
const knowledge = { table: loadBundledOptionTable(), vendors: bundledVendorImages() };

interface Snippet {
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
}

/** A facts document with the parts these policies read; `vllm` from the builder under test. */
function factsFor(snippet: Snippet): Facts {
  const image = snippet.image ?? 'vllm/vllm-openai:latest';
  const command = [...(snippet.command ?? ['vllm']), ...(snippet.args ?? [])].map((text) => ({ text }));
  const env: EnvEntry[] = (snippet.env ?? []).map((e) => ({ name: e.name, value: e.value ?? null }));
  const vllm = readVllmArgFacts({ command, image, env }, knowledge);
  return { container: { name: 'vllm' }, paths: { container: 'spec.containers[0]' }, vllm, unknowns: [], params: {} } as unknown as Facts;
}

function review(snippet: Snippet) {
  return evaluatePolicies(plan.server, 'default', factsFor(snippet)).map((f) => ({
    policy: f.policy.id,
    action: f.rule.action ?? f.policy.action,
    message: f.message,
    remediation: f.remediation,
  }));
}

t.test('the drafts load with the real loader and schema', async (t) => {
  t.same(set.policies.map((p) => p.id).sort(), ['vllm-args-valid', 'vllm-env']);
  t.same(set.warnings, []);
  const args = set.policies.find((p) => p.id === 'vllm-args-valid');
  t.equal(args?.action, 'deny');
  t.equal(args?.waivable, false, 'not waivable: vLLM does not start');
  t.equal(set.policies.find((p) => p.id === 'vllm-env')?.action, 'warn');
});

t.test("each draft's own examples", async (t) => {
  for (const policy of set.policies) {
    const good = parse(policy.example?.good ?? '') as Snippet;
    const bad = parse(policy.example?.bad ?? '') as Snippet;
    t.same(review(good).filter((f) => f.policy === policy.id), [], `${policy.id}: the good example passes`);
    const found = review(bad).filter((f) => f.policy === policy.id);
    t.equal(found.length, 1, `${policy.id}: the bad example fails`);
  }
});

t.test('vllm-args-valid messages', async (t) => {
  const [typo] = review({ image: 'vllm/vllm-openai:v0.10.1.1', args: ['serve', 'm', '--tensor-paralel-size', '4'] });
  t.equal(typo?.action, 'deny');
  t.match(typo?.message, /^unknown option --tensor-paralel-size \(did you mean --tensor-parallel-size\?\) \(container vllm\): vLLM exits: "unrecognized arguments: --tensor-paralel-size"/);
  t.match(typo?.message, /Checked against vLLM v0\.10\.1\.1; version from tag v0\.10\.1\.1 of vllm\/vllm-openai/, 'says how the version was found');
  t.notMatch(typo?.message, /…/, 'nothing is cut short');
  t.equal(typo?.remediation, 'use --tensor-parallel-size');

  const latest = review({ image: 'vllm/vllm-openai:latest', args: ['serve', 'm', '--frobnicate', '1'] });
  t.same(latest.map((f) => f.action), ['warn'], 'an unsettled problem only warns');
  t.match(latest[0]?.message, /Checked against any vLLM release v0\.6\.0–v0\.20\.1 \(the image does not name its vLLM version\); version from tag latest of vllm\/vllm-openai is not a release tag/);

  const removed = review({ image: 'vllm/vllm-openai:v0.20.1', args: ['serve', 'm', '--disable-log-requests'] });
  t.match(removed[0], { action: 'deny', message: /removed in vLLM v0\.17\.0/, remediation: 'remove --disable-log-requests' });

  const deprecated = review({ image: 'vllm/vllm-openai:v0.9.0', args: ['serve', 'm', '--enable-reasoning'] });
  t.match(deprecated[0], { action: 'warn', remediation: 'use --reasoning-parser' });

  const unknownValue = review({ image: 'vllm/vllm-openai:v0.20.1', command: ['sh', '-c'], args: ['vllm serve m'] });
  t.same(unknownValue, [], 'a command the builder does not see as vllm serve gives no finding');
});

t.test('vllm-env messages', async (t) => {
  const [typo] = review({ env: [{ name: 'VLLM_LOGGING_LEVLE', value: 'DEBUG' }], args: ['serve', 'm'] });
  t.match(typo, { policy: 'vllm-env', action: 'warn', message: /^VLLM_LOGGING_LEVLE is not read by vLLM \(did you mean VLLM_LOGGING_LEVEL\?\) \(container vllm\)/, remediation: 'rename it to VLLM_LOGGING_LEVEL' });
  const [port] = review({ env: [{ name: 'VLLM_PORT', value: 'tcp://10.0.0.3:8000' }], args: ['serve', 'm'] });
  t.match(port, { message: /^VLLM_PORT is a URI, not a port/, remediation: /enableServiceLinks: false/ });
  t.notMatch(port?.message, /10\.0\.0\.3/, 'the value is not echoed');
});
