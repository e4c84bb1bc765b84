// Kinds of faults found by running `check` over public vLLM manifests (kubernetes-sigs/lws,
// GoogleCloudPlatform/kubernetes-engine-samples, rh-aiservices-bu/llm-on-openshift, …): each fixture
// under test/fixtures/recognition/ names the public file it is modeled on. What a user of `check` sees.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { loadPolicies } from '../../src/policy/load.js';

const engine = createEngine({ config: loadConfig(null, { mode: 'enforce' }).engine, policies: loadPolicies(null) });
const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/recognition/${name}`, import.meta.url)), 'utf8');

/** Reviews every document of a fixture as `check` does: the other documents are the input set. */
function reviewAll(name: string): WorkloadReview[] {
  const objects = parseDocuments(fixture(name)).map((d) => d.value);
  const related = createRelatedSet(objects, { scope: 'the input set' });
  return objects.map((o) => reviewObject(engine, o, { related }));
}
const failing = (r: WorkloadReview | undefined, action?: string): string[] =>
  [...new Set((r?.findings ?? []).filter((f) => f.outcome === 'fail' && (action === undefined || f.action === action)).map((f) => f.policy))].sort();

t.test('LeaderWorkerSet: a Service and a NetworkPolicy selecting the name label the controller adds do select the leader', async (t) => {
  const [lws] = reviewAll('lws-service-selects-set-name.yaml');
  t.equal(lws?.vllm, true);
  t.notOk(failing(lws).includes('service-exposes-server'), 'the leader Service selects leaderworkerset.sigs.k8s.io/name: vllm, role: leader');
  t.notOk(failing(lws).includes('network-policy-covers'), 'the NetworkPolicy selects leaderworkerset.sigs.k8s.io/name: vllm');
});

t.test('LeaderWorkerSet: a selector on a label neither the template nor the controller sets still selects nothing', async (t) => {
  const objects = parseDocuments(fixture('lws-service-selects-set-name.yaml')).map((d) => d.value) as { kind: string; spec: { selector?: Record<string, string> } }[];
  const service = objects.find((o) => o.kind === 'Service')!;
  service.spec.selector = { 'leaderworkerset.sigs.k8s.io/name': 'another-set', role: 'leader' };
  const related = createRelatedSet(objects, { scope: 'the input set' });
  const lws = reviewObject(engine, objects[0], { related });
  t.ok(failing(lws).includes('service-exposes-server'), 'another set’s name does not select these pods');
});
