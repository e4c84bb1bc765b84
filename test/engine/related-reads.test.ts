// Which policies may read the related facts: a review without a related set builds them only then.
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject } from '../../src/engine/engine.js';
import { mayReadRelatedFacts } from '../../src/engine/evaluate/related-reads.js';
import type { Policy } from '../../src/engine/types.js';
import { loadPolicies } from '../../src/policy/load.js';
import { parseDocuments } from '../../src/io/yaml.js';

const catalogue = loadPolicies(null);
const policy = (id: string) => catalogue.byId.get(id) as Policy;

/** A policy file with one rule, reading what `schema` and `message` read. */
function teamPolicy(id: string, schema: string, message: string): string {
  return [
    `id: ${id}`,
    'title: A team rule',
    'description: A team policy that does not list what it reads in uses.',
    'checklist: { phase: "Phase 2", section: "Kubernetes Manifests", item: "x" }',
    'owner: MLOps',
    'severity: low',
    'action: warn',
    'uses: [vllm.port]',
    'rules:',
    `  - schema: ${schema}`,
    `    message: "${message}"`,
    '    remediation: "add one"',
    '    path: "{{paths.pod}}"',
    '',
  ].join('\n');
}

function loadTeam(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'related-reads-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return loadPolicies(dir);
}

t.test('catalogue policies: those that judge related objects may read them, the others may not', async (t) => {
  t.equal(mayReadRelatedFacts(policy('storage-access')), true);
  t.equal(mayReadRelatedFacts(policy('autoscaler-bounds')), true);
  t.equal(mayReadRelatedFacts(policy('shm-mounted')), false);
  t.equal(mayReadRelatedFacts(policy('rollout-strategy')), false);
});

t.test('a rule that reaches every fact without naming it may read them', async (t) => {
  const set = loadTeam({
    'a.yaml': teamPolicy('root-count', '{ maxProperties: 100 }', 'too many facts'),
    'b.yaml': teamPolicy('root-any', '{ additionalProperties: { type: [object, array, string, number, boolean, "null"] } }', 'odd facts'),
    'c.yaml': teamPolicy('nested-any', '{ properties: { shm: { additionalProperties: true } } }', 'shm'),
    'd.yaml': teamPolicy('message-only', '{ properties: { shm: { properties: { mounted: { const: true } } } } }', 'no shm; Services {{related.serviceNames|none}}'),
  });
  t.equal(mayReadRelatedFacts(set.byId.get('root-count') as Policy), true);
  t.equal(mayReadRelatedFacts(set.byId.get('root-any') as Policy), true);
  t.equal(mayReadRelatedFacts(set.byId.get('nested-any') as Policy), false, 'below a named fact it reaches only that fact');
  t.equal(mayReadRelatedFacts(set.byId.get('message-only') as Policy), true, 'a template counts as a read');
});

t.test('a team policy reading related objects without saying so still gets them at admission', async (t) => {
  const set = loadTeam({ 'a.yaml': teamPolicy('team-service', '{ properties: { related: { properties: { serviceNames: { minItems: 1 } } } } }', 'no Service selects {{workload.name}}') });
  const engine = createEngine({ config: loadConfig(null).engine, policies: set });
  t.equal(engine.relatedFactsRead.server, true);
  const object = parseDocuments(readFileSync(path.resolve(import.meta.dirname, '../../bench/fixtures/deployment-pass.yaml'), 'utf8'))[0]?.value;
  const finding = reviewObject(engine, object).findings.find((f) => f.policy === 'team-service');
  t.equal(finding?.outcome, 'unknown');
  t.match(finding?.message, /^could not be verified \(related objects are not looked up at admission/);
});
