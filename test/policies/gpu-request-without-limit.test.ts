// An accelerator requested with no limit was denied as "request 2 and limit 0 differ": the manifest
// has no limit 0. The API server's own words are "Limit must be set for non overcommitable resources"
// (kubernetes pkg/apis/core/validation/validation.go); the finding now says that, and a request that
// differs from a real limit keeps its message.
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject, type Finding } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';

const engine = createEngine({ config: loadConfig(null, { mode: 'enforce' }).engine, policies: loadPolicies(null) });

/** The gpu-request-equals-limit findings that fail for a Pod with these resources. */
function failures(resources: object): Finding[] {
  const r = reviewObject(engine, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ai' },
    spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1.1', args: ['--model', 'Qwen/Qwen2.5-1.5B-Instruct'], resources }] },
  });
  return r.findings.filter((f) => f.policy === 'gpu-request-equals-limit' && f.outcome === 'fail');
}

t.test('a request with no limit: one deny that says no limit, never "limit 0"', async (t) => {
  const found = failures({ requests: { 'nvidia.com/gpu': 2 } });
  t.equal(found.length, 1);
  t.equal(found[0]?.action, 'deny');
  t.match(found[0]?.message, /nvidia\.com\/gpu on container vllm is requested \(2\) with no limit/);
  t.notMatch(found[0]?.message, /limit 0/);
  t.equal(found[0]?.path, 'spec.containers[0].resources');
});

t.test('a request with an empty limits map is the same fault', async (t) => {
  const found = failures({ requests: { 'nvidia.com/gpu': 1 }, limits: { memory: '16Gi' } });
  t.match(found[0]?.message, /is requested \(1\) with no limit/);
});

t.test('a request that differs from its limit keeps its own message', async (t) => {
  const found = failures({ requests: { 'nvidia.com/gpu': 2 }, limits: { 'nvidia.com/gpu': 1 } });
  t.equal(found.length, 1);
  t.match(found[0]?.message, /request 2 and limit 1 differ/);
});

t.test('a limit alone passes', async (t) => {
  t.same(failures({ limits: { 'nvidia.com/gpu': 1 } }), []);
});
