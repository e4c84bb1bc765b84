import t, { type Test } from 'tap';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { loadPolicies } from '../../src/policy/load.js';
import { createEngine } from '../../src/engine/api.js';

const MINIMAL = path.resolve(import.meta.dirname, '../fixtures/policies/minimal');
const engineConfig = () => loadConfig(null).engine;

function dirWith(t: Test, files: Record<string, string | Record<string, string>>): string {
  return t.testdir(files);
}

t.test('a directory of YAML and JSON policies loads and compiles', async (t) => {
  const set = loadPolicies(MINIMAL);
  t.same(set.policies.map((p) => p.id), ['needs-shm', 'team-label']);
  const shm = set.byId.get('needs-shm');
  t.equal(shm?.rules.length, 2);
  t.same(shm?.appliesTo, ['server'], 'appliesTo defaults to the server');
  t.equal(shm?.waivable, false, 'not waivable unless said');
  t.equal(set.byId.get('team-label')?.waivable, true);
  t.equal(set.source, MINIMAL);
  t.same(set.warnings, []);
});

t.test('config params override file params; unknown ids in the config are warned about', async (t) => {
  const base = engineConfig();
  const config = { ...base, policies: { 'needs-shm': { params: { minGroup: 4 } }, 'no-such-policy': { action: 'off' as const } } };
  const set = loadPolicies(MINIMAL);
  const engine = createEngine({ policies: set, config });
  t.same(set.byId.get('needs-shm')?.params, { minGroup: 2 }, 'the compiled set keeps the file defaults: it does not depend on a config');
  t.same(engine.plan.server.find((p) => p.policy.id === 'needs-shm')?.params, { minGroup: 4 });
  t.same(engine.warnings, ['the config sets policies.no-such-policy, but no policy has that id']);
});

const GOOD = `id: ok-policy
title: A fine policy
description: Exists to be next to a broken one.
checklist: { phase: P, section: S, item: I }
owner: SRE
severity: low
action: warn
rules:
  - schema: true
    message: msg
    remediation: fix
    path: spec
`;

const broken: [string, Record<string, string>, RegExp][] = [
  ['invalid YAML', { 'a.yaml': 'id: [oops\n' }, /a\.yaml:\d+: /],
  ['a missing field', { 'a.yaml': GOOD.replace('owner: SRE\n', '') }, /a\.yaml:1: owner is required/],
  ['a wrong enum', { 'a.yaml': GOOD.replace('owner: SRE', 'owner: Everyone') }, /a\.yaml:5: owner must be one of ML Engineer, MLOps, SRE, Platform, Security/],
  ['an unknown field', { 'a.yaml': `${GOOD}colour: blue\n` }, /a\.yaml:\d+: colour is not a known field/],
  ['a bad rule field', { 'a.yaml': GOOD.replace('path: spec', 'path: ""') }, /a\.yaml:12: rules\[0\]\.path must NOT have fewer than 1 characters/],
  ['a schema that does not compile', { 'a.yaml': GOOD.replace('schema: true', 'schema: { type: 12 }') }, /a\.yaml:9: rules\[0\]\.schema: the JSON Schema does not compile/],
  ['a duplicate id', { 'a.yaml': GOOD, 'b.yaml': GOOD }, /b\.yaml: policy id ok-policy is already defined in .*a\.yaml/],
  ['two documents in one file', { 'a.yaml': `${GOOD}---\n${GOOD}` }, /a\.yaml:\d+: one policy per file, found 2 documents/],
  ['an empty file', { 'a.yaml': '' }, /a\.yaml: the file is empty/],
  ['no policy files', { 'README.md': '# hi' }, /no policy files/],
];

t.test('a bad policy file is a clear error naming the file, line and field', async (t) => {
  for (const [name, files, want] of broken) {
    const dir = dirWith(t, files);
    t.throws(() => loadPolicies(dir), { code: 'ERR_POLICY', message: want }, name);
  }
});

t.test('a missing directory says so', async (t) => {
  t.throws(() => loadPolicies('/nonexistent/policies'), { code: 'ERR_POLICY', message: /\/nonexistent\/policies: cannot read the policy directory/ });
});

t.test('ConfigMap mount entries and published schemas are not read as policies', async (t) => {
  const dir = dirWith(t, { 'ok.yaml': GOOD, '..data': {}, 'facts.schema.json': '{}', '.hidden.yaml': 'nonsense: [' });
  t.same(loadPolicies(dir).policies.map((p) => p.id), ['ok-policy']);
});

t.test('the bundled catalogue loads with the default config', async (t) => {
  const set = loadPolicies(null);
  t.ok(set.policies.length >= 25, `${set.policies.length} policies`);
  t.same(set.warnings, []);
});
