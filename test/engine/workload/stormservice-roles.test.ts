/**
 * A StormService role is its own vLLM deployment (vllm-project/aibrix RoleSpec: `replicas` role
 * instances of `podGroupSize` pods each). The prefill and decode roles of the 1p1d sample each hold one
 * GPU and run without parallel flags: the GPU rules judge each role alone, never the sum of the roles.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { createEngine, reviewObject } from '../../../src/engine/api.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { parseDocuments } from '../../../src/io/yaml.js';

const engine = createEngine({ policies: loadPolicies(null), config: loadConfig(null).engine });
const FILE = path.resolve(import.meta.dirname, '../../fixtures/kinds/stormservice.yaml');

function fixture(): Record<string, unknown> {
  const [doc] = parseDocuments(readFileSync(FILE, 'utf8'));
  return structuredClone(doc?.value) as Record<string, unknown>;
}

function roles(object: Record<string, unknown>): Record<string, unknown>[] {
  return ((object.spec as Record<string, unknown>).template as { spec: { roles: Record<string, unknown>[] } }).spec.roles;
}

function gpuCount(object: unknown) {
  return reviewObject(engine, object).findings.filter((f) => f.policy === 'gpu-count-matches-parallelism' || f.policy === 'multinode-backend');
}

const cases: { name: string; edit: (o: Record<string, unknown>) => void }[] = [
  { name: 'the 1p1d sample: one GPU per role', edit: () => undefined },
  { name: 'three prefill instances and one decode', edit: (o) => { const [prefill] = roles(o); if (prefill) prefill.replicas = 3; } },
];

for (const c of cases) {
  t.test(`${c.name}: no role is told it has idle accelerators`, async (t) => {
    const object = fixture();
    c.edit(object);
    t.equal(reviewObject(engine, object).vllm, true, 'the roles are vLLM servers');
    t.same(gpuCount(object).map((f) => f.message), []);
  });
}
