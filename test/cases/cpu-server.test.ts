// A vLLM server on a CPU build is a server: probes, model, Service, metrics and secrets rules apply to it as to
// any vLLM server; only asking for an accelerator does not (it needs none). It used to get the generic rules only,
// so a CPU server without a readinessProbe went unflagged (public manifests in test/fixtures/recognition/cpu-server-rules.yaml).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });
const fixture = (): Record<string, unknown> =>
  parse(readFileSync(fileURLToPath(new URL('../fixtures/recognition/cpu-server-rules.yaml', import.meta.url)), 'utf8')) as Record<string, unknown>;
const container = (o: Record<string, unknown>) => (o.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0] as Record<string, unknown>;
const denied = (o: unknown) => [...new Set(reviewObject(engine, o).findings.filter((f) => f.outcome === 'fail' && f.action === 'deny').map((f) => f.policy))].sort();

t.test('a CPU vLLM server is reviewed as a server, without being asked for a GPU', async (t) => {
  const object = fixture();
  const review = reviewObject(engine, object, { related: createRelatedSet([object], { scope: 'the input set' }) });
  t.same(review.detection?.map((d) => d.role), ['server']);
  t.same(denied(fixture()), ['no-literal-secrets', 'readiness-model-aware'], 'its missing readinessProbe and literal token are denied');
  const policies = new Set(review.findings.map((f) => f.policy));
  for (const p of ['startup-probe-budget', 'service-exposes-server', 'metrics-scraped', 'api-auth', 'model-reference']) t.ok(policies.has(p), `${p} speaks`);
  t.notOk(policies.has('gpu-resource-present'), 'no "vLLM finds no GPU"');
});

t.test('--device cpu on an image of no known family is a CPU server too; a CUDA build without a GPU is still denied', async (t) => {
  const own = fixture();
  container(own).image = 'registry.example.com/team/vllm-server:1.4.2';
  container(own).command = ['vllm', 'serve'];
  container(own).args = ['Qwen/Qwen2.5-0.5B-Instruct', '--device', 'cpu', '--max-model-len', '4096'];
  t.notOk(denied(own).includes('gpu-resource-present'));
  t.ok(denied(own).includes('readiness-model-aware'));
  const cuda = fixture();
  container(cuda).image = 'vllm/vllm-openai:v0.9.2';
  t.ok(denied(cuda).includes('gpu-resource-present'), 'a GPU build finds no GPU and exits');
});

t.test('a CPU build given a GPU is told it cannot use it', async (t) => {
  const o = fixture();
  container(o).resources = { limits: { 'nvidia.com/gpu': 1, memory: '32Gi' } };
  t.match(reviewObject(engine, o).findings.filter((f) => f.policy === 'gpu-resource-present'), [{ outcome: 'fail', message: /a vLLM build for cpu,/ }]);
});
