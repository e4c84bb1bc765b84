// One bad value, one finding. dtype-explicit and quantization-valid check --dtype, -q and --kv-cache-dtype
// against one list for every release; vllm-args-valid checks the same arguments against the option table
// of the image's vLLM release and quotes vLLM's own error. When both deny the same field, the user saw
// each fault twice, with two different lists of choices (examples/bad/invalid-dtype-quantization.yaml:
// six denials for three values). The generic rules now name vllm-args-valid in `supersededBy`: their
// finding is left out when vllm-args-valid reports the same field at least as strongly, after the
// config, waivers and the mode. A softened, waived or disabled vllm-args-valid never silences them.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseConfig } from '../../src/config/load.js';
import { compilePolicySet } from '../../src/policy/compile.js';
import { readMetaSchema, loadPolicies } from '../../src/policy/load.js';
import { createEngine, reviewObject, type Finding } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';

const policies = loadPolicies(null);
const engineWith = (configText: string) => createEngine({ policies, config: parseConfig(configText, 'test-config.yaml').engine });
const enforce = engineWith('mode: enforce\n');
const example = parseDocuments(readFileSync(new URL('../../examples/bad/invalid-dtype-quantization.yaml', import.meta.url), 'utf8'))[0]?.value;

const ARGUMENTS = ['dtype-explicit', 'quantization-valid', 'vllm-args-valid'];
const about = (findings: Finding[]) => findings.filter((f) => ARGUMENTS.includes(f.policy)).map((f) => `${f.action} ${f.policy} ${f.path.replace('spec.template.spec.containers[0].', '')}`);

t.test('the example with three bad values is three denials, each quoting vLLM v0.7.1', async (t) => {
  const review = reviewObject(enforce, example);
  t.same(about(review.findings), ['deny vllm-args-valid command[15]', 'deny vllm-args-valid command[17]', 'deny vllm-args-valid command[19]']);
  const messages = review.findings.filter((f) => f.policy === 'vllm-args-valid').map((f) => f.message);
  t.match(messages, [/--dtype bf16 is not a value vLLM v0\.7\.1 accepts/, /-q int4 is not a value vLLM v0\.7\.1 accepts/, /--kv-cache-dtype fp16 is not a value vLLM v0\.7\.1 accepts/]);
});

t.test('a softer, waived or disabled vllm-args-valid leaves the generic denials standing', async (t) => {
  const denied = ['deny dtype-explicit command[15]', 'deny quantization-valid command[17]', 'deny quantization-valid command[19]'];
  const warned = engineWith('mode: enforce\npolicies:\n  vllm-args-valid: { action: warn }\n');
  t.same(about(reviewObject(warned, example).findings).sort(), [...denied, 'warn vllm-args-valid command[15]', 'warn vllm-args-valid command[17]', 'warn vllm-args-valid command[19]'].sort(), 'config action warn');
  const waived = engineWith('mode: enforce\nwaivers:\n  - { policies: [vllm-args-valid], namespaces: ["*"], names: ["*"], reason: "vendor fork, PLAT-12" }\n');
  const review = reviewObject(waived, example);
  t.same(about(review.findings).filter((f) => f.startsWith('deny')), denied, 'a waiver of vllm-args-valid');
  t.ok(review.findings.filter((f) => f.policy === 'vllm-args-valid').every((f) => f.action === 'audit' && f.waived), 'its own findings are waived records');
  const off = engineWith('mode: enforce\npolicies:\n  vllm-args-valid: { action: off }\n');
  t.same(about(reviewObject(off, example).findings), denied, 'vllm-args-valid off');
});

t.test('in warn mode both are warnings of the same field: one finding each field', async (t) => {
  const review = reviewObject(engineWith('mode: warn\n'), example);
  t.same(about(review.findings), ['warn vllm-args-valid command[15]', 'warn vllm-args-valid command[17]', 'warn vllm-args-valid command[19]']);
});

t.test('without a known release the generic list decides: deny, and vllm-args-valid only warns', async (t) => {
  const object = structuredClone(example) as { spec: { template: { spec: { containers: { image: string }[] } } } };
  const container = object.spec.template.spec.containers[0];
  if (container) container.image = 'registry.example.com/ml/vllm-serving:2025-11';
  const review = reviewObject(enforce, object);
  const found = about(review.findings);
  t.ok(found.includes('deny dtype-explicit command[15]'), found.join('\n'));
  t.ok(found.includes('deny quantization-valid command[19]'), found.join('\n'));
  t.notOk(found.some((f) => f.startsWith('deny vllm-args-valid')), 'vllm-args-valid cannot be sure of the release');
});

t.test('another field is not covered: a different fault at another path stands', async (t) => {
  const object = structuredClone(example) as { spec: { template: { spec: { containers: { command: string[] }[] } } } };
  const container = object.spec.template.spec.containers[0];
  // --dtype fixed; -q and --kv-cache-dtype stay wrong: only those two fields are covered.
  if (container) container.command = container.command.map((word) => (word === 'bf16' ? 'bfloat16' : word));
  const found = about(reviewObject(enforce, object).findings);
  t.same(found, ['deny vllm-args-valid command[17]', 'deny vllm-args-valid command[19]']);
});

t.test('a supersededBy id that is not loaded is a load warning, and the rule stands', async (t) => {
  const text = readFileSync(new URL('../../policies/dtype-explicit.yaml', import.meta.url), 'utf8').replace('supersededBy: [vllm-args-valid]', 'supersededBy: [vllm-args-vaild]');
  const doc = parseDocuments(text)[0];
  if (!doc) throw new Error('no document');
  const set = compilePolicySet([{ file: 'team/dtype-explicit.yaml', value: doc.value, lineOf: (p) => doc.keyLineOf(p) }], readMetaSchema(), 'team');
  const engine = createEngine({ policies: set, config: parseConfig('mode: enforce\n', 'test-config.yaml').engine });
  t.match(engine.warnings, [/^team\/dtype-explicit\.yaml:\d+: rules\[0\]\.supersededBy names policy vllm-args-vaild, which is not loaded: the rule's findings always stand$/]);
  t.same(about(reviewObject(engine, example).findings), ['deny dtype-explicit command[15]']);
});
