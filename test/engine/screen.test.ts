// The per-role screen (src/engine/evaluate/screen.ts) only decides which rules reach evaluateRule:
// every review must be the same with it and without it, over the examples and the policy fixtures,
// under configs that turn policies off (everywhere and per namespace) and change their params.
import t from 'tap';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, createRelatedSet, reviewObject, type Engine } from '../../src/engine/api.js';
import type { EngineConfig, PolicyOverride } from '../../src/engine/types.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { compilePolicySet } from '../../src/policy/compile.js';
import { BUNDLED_POLICY_DIR, readMetaSchema, readSources } from '../../src/policy/load.js';
import { precompiledModuleCode } from '../../src/policy/precompile.js';
import { openPrecompiled } from '../../src/policy/precompiled.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = t.testdir({ 'builtin-policies.cjs': precompiledModuleCode() });
const table = openPrecompiled(path.join(dir, 'builtin-policies.cjs'));
if (!table) throw new Error('the generated module did not open');
const built = compilePolicySet(readSources(BUNDLED_POLICY_DIR, table), readMetaSchema(), 'built');
const runtime = compilePolicySet(readSources(BUNDLED_POLICY_DIR), readMetaSchema(), 'runtime');
const base = loadConfig(null).engine;

function yamlFiles(at: string): string[] {
  return readdirSync(at).flatMap((name) => {
    const file = path.join(at, name);
    return statSync(file).isDirectory() ? yamlFiles(file) : /\.ya?ml$/.test(name) ? [file] : [];
  });
}
const files = ['examples', 'test/fixtures/policies', 'bench/fixtures'].flatMap((d) => yamlFiles(path.join(ROOT, d)));
const inputs = files.map((file) => {
  let objects: unknown[] = [];
  try {
    objects = parseDocuments(readFileSync(file, 'utf8')).map((d) => d.value).filter((v) => typeof v === 'object' && v !== null);
  } catch {
    // A fixture that is not YAML on purpose.
  }
  return { name: path.relative(ROOT, file), objects };
});

/** The same engine with no screens: every rule goes through evaluateRule, as before the screen. */
function unscreened(engine: Engine): Engine {
  const none = { server: null, 'ray-worker': null, generic: null };
  return { ...engine, screens: { plan: none, withoutRelated: none } };
}

/** Every policy off in namespace team-a and denying in team-b; every third off; some params changed. */
function overridden(): EngineConfig {
  const policies: Record<string, PolicyOverride> = {};
  built.policies.forEach((policy, i) => {
    policies[policy.id] = { namespaces: { 'team-a': 'off', 'team-b': 'deny' }, ...(i % 3 === 2 ? { action: 'off' as const } : {}) };
  });
  const params: Record<string, PolicyOverride['params']> = {
    'gpu-node-selection': { nodeLabelKeys: ['example.com/gpu'] },
    'phase0-annotations': { required: ['precision', 'latency-slo'] },
    'rollout-strategy': { minTerminationGraceSeconds: 5 },
    'autoscaler-bounds': { gpuBudget: 2 },
  };
  for (const [id, value] of Object.entries(params)) if (policies[id]) policies[id] = { ...policies[id], params: value };
  return { ...base, policies };
}

t.test('the built engine screens every role; a policy set compiled at run time has no screen', async (t) => {
  const engine = createEngine({ policies: built, config: base });
  for (const role of ['server', 'ray-worker', 'generic'] as const) {
    const screen = engine.screens.plan[role];
    t.ok(screen, role);
    t.equal(screen?.policyOf.length, engine.plan[role].flatMap((p) => p.rules).length, `${role}: every rule numbered`);
  }
  const other = createEngine({ policies: runtime, config: base });
  t.same(other.screens.plan, { server: null, 'ray-worker': null, generic: null });
  t.same(other.screens.withoutRelated, { server: null, 'ray-worker': null, generic: null });
});

t.test('a passing Deployment: the screen holds back most rules', async (t) => {
  const engine = createEngine({ policies: built, config: base });
  const screen = engine.screens.withoutRelated.server;
  if (!screen) throw new Error('no screen');
  const through: number[][] = [];
  const watched = { ...screen, run: (facts: Parameters<typeof screen.run>[0], guard: boolean, out: number[]) => (screen.run(facts, guard, out), void through.push([...out])) };
  const probe: Engine = { ...engine, screens: { ...engine.screens, withoutRelated: { ...engine.screens.withoutRelated, server: watched } } };
  const pass = parseDocuments(readFileSync(path.join(ROOT, 'bench/fixtures/deployment-pass.yaml'), 'utf8'))[0]?.value;
  const review = reviewObject(probe, structuredClone(pass), { detection: false });
  t.same(review, reviewObject(unscreened(engine), structuredClone(pass), { detection: false }));
  t.equal(through.length, 1, 'one container, one screen run');
  t.ok((through[0]?.length ?? 0) < screen.policyOf.length / 4, `${through[0]?.length} of ${screen.policyOf.length} rules let through`);
  const order = (through[0] ?? []).map((code) => (code < 0 ? ~code : code));
  t.same(order, [...order].sort((a, b) => a - b), 'in plan order');
  t.ok(through[0]?.some((code) => code < 0), 'the rules it found failing are marked so');
});

t.test('every review is the same with and without the screen', async (t) => {
  const now = new Date('2026-11-29T00:00:00Z');
  t.ok(inputs.length > 100, `${inputs.length} files`);
  // What the screen depends on: the plan (the config, and per namespace what is off), the facts, and
  // whether related objects were looked up (plan or planWithoutRelated). The default config acts the
  // same in every namespace; `modeCap` and `detection` act after evaluation, so they are not varied.
  const cases = [
    ['default config', base, [undefined]],
    ['policies off, per-namespace actions, params', overridden(), [undefined, 'team-a', 'team-b']],
  ] as const;
  for (const [label, config, namespaces] of cases) {
    const engine = createEngine({ policies: built, config });
    const plain = unscreened(engine);
    let reviews = 0;
    let findings = 0;
    let differ = 0;
    for (const { name, objects } of inputs) {
      const related = createRelatedSet(objects, { scope: 'input' });
      for (const object of objects) {
        for (const namespace of namespaces) {
          for (const options of [{ now }, { now, related }]) {
            const copy = structuredClone(object) as { metadata?: { namespace?: string } };
            if (namespace !== undefined && copy.metadata) copy.metadata.namespace = namespace;
            const screened = reviewObject(engine, structuredClone(copy), options);
            reviews++;
            findings += screened.findings.length;
            if (JSON.stringify(screened) !== JSON.stringify(reviewObject(plain, structuredClone(copy), options))) {
              differ++;
              if (differ <= 5) t.fail(`${label}: ${name} ${namespace ?? ''} differs`);
            }
          }
        }
      }
    }
    t.equal(differ, 0, `${label}: ${reviews} reviews (${findings} findings), none differs`);
    t.ok(findings > 500, `${label}: the reviews find things (${findings})`);
  }
});

t.test('a rule the screen found failing, in a review with unknown facts, is judged on fresh errors', async (t) => {
  // The rule reads all of `vllm` (where --dtype, from a ConfigMap not in the input, is unknown) and
  // fails at workload.kind: only the validator's errors of this very review say that the failure is
  // not about the unknown value (unknown-behind.ts), so it must run even when the screen decided.
  const policy = [
    'id: kind-check',
    'title: A test rule',
    'description: Reads the whole vllm map and fails elsewhere.',
    'checklist: { phase: Phase 1, section: Test, item: test }',
    'owner: MLOps',
    'severity: low',
    'action: deny',
    'rules:',
    '  - schema: { properties: { vllm: { type: object }, workload: { properties: { kind: { const: StatefulSet } } } } }',
    '    message: "the workload is a {{workload.kind}}"',
    '    remediation: "make it a StatefulSet"',
    '    path: "kind"',
  ].join('\n');
  const testDir = t.testdir({ policies: { 'kind-check.yaml': `${policy}\n` } });
  const policyDir = path.join(testDir, 'policies');
  writeFileSync(path.join(testDir, 'builtin-policies.cjs'), precompiledModuleCode(policyDir));
  const ownTable = openPrecompiled(path.join(testDir, 'builtin-policies.cjs'));
  if (!ownTable) throw new Error('the generated module did not open');
  const engine = createEngine({ policies: compilePolicySet(readSources(policyDir, ownTable), readMetaSchema(), policyDir), config: base });
  t.ok(engine.screens.plan.server, 'the rule is screened');
  const container = { name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', args: ['--model', 'Qwen/Qwen2.5-7B-Instruct', '--dtype', '$(DTYPE)'], env: [{ name: 'DTYPE', valueFrom: { configMapKeyRef: { name: 'vllm-config', key: 'dtype' } } }] };
  const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'llm', namespace: 'ml' }, spec: { template: { spec: { containers: [container] } } } };
  const outcomes = (e: Engine) => reviewObject(e, structuredClone(object)).findings.map((f) => [f.policy, f.outcome, f.action]);
  t.same(outcomes(engine), [['kind-check', 'fail', 'deny']], 'a known fault: the failure is not where the unknown value is');
  t.same(outcomes(unscreened(engine)), outcomes(engine));
});
