// vLLM's demo server (python -m vllm.entrypoints.api_server: /health and /generate, no key, no /metrics;
// vllm/entrypoints/api_server.py, commit 03f861174cf6) was judged as the OpenAI server: a VLLM_API_KEY from a
// Secret passed api-auth though the demo server reads no key, metrics-exposed passed though it serves no
// /metrics, and a readiness probe of /v1/models (404 there) passed. KServe's 0.11 vLLM guide ran it
// (kserve/kserve#3446); the manifest below is an anonymised Deployment of that kind.
import t from 'tap';
import { createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

function deployment(module: string, probePath = '/health'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'ml' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'chat' } },
      template: {
        metadata: { labels: { app: 'chat' } },
        spec: {
          containers: [{
            name: 'server',
            image: 'vllm/vllm-openai:v0.10.1.1',
            command: ['python3', '-m', module],
            args: ['--model', 'Qwen/Qwen3-8B', '--port', '8000', '--max-model-len', '8192'],
            env: [{ name: 'VLLM_API_KEY', valueFrom: { secretKeyRef: { name: 'api-key', key: 'key' } } }],
            ports: [{ containerPort: 8000 }],
            resources: { limits: { 'nvidia.com/gpu': 1 } },
            readinessProbe: { httpGet: { path: probePath, port: 8000 } },
          }],
        },
      },
    },
  };
}

const review = (o: Record<string, unknown>) => reviewObject(engine, o, { related: createRelatedSet([o], { scope: 'the input set' }) });
const failing = (o: Record<string, unknown>, policy: string) => review(o).findings.filter((f) => f.policy === policy && f.outcome === 'fail');

t.test('a key in VLLM_API_KEY does not protect the demo server', async (t) => {
  t.match(failing(deployment('vllm.entrypoints.api_server'), 'api-auth'), [{
    action: 'warn',
    message: /runs vLLM's demo server \(python -m vllm\.entrypoints\.api_server\), which has no authentication: it reads neither --api-key nor VLLM_API_KEY/,
    path: 'spec.template.spec.containers[0].command',
  }]);
  t.same(failing(deployment('vllm.entrypoints.openai.api_server'), 'api-auth'), [], 'the OpenAI server with the same key passes');
});

t.test('the demo server serves no /metrics', async (t) => {
  t.match(failing(deployment('vllm.entrypoints.api_server'), 'metrics-exposed'), [{ message: /demo server .* serves no \/metrics/ }]);
  t.same(failing(deployment('vllm.entrypoints.api_server'), 'metrics-scraped'), [], 'no advice to scrape a /metrics that does not exist');
  t.same(failing(deployment('vllm.entrypoints.openai.api_server'), 'metrics-exposed'), []);
});

t.test('a readiness probe of /v1/models never succeeds on the demo server', async (t) => {
  const demo = review(deployment('vllm.entrypoints.api_server', '/v1/models')).findings.filter((f) => f.outcome === 'fail');
  t.match(demo.filter((f) => f.policy === 'readiness-model-aware'), [{
    message: /checks \/v1\/models, but vLLM's demo server .* answers GET only on \/health: the probe gets 404/,
    path: 'spec.template.spec.containers[0].readinessProbe.httpGet.path',
  }]);
  t.notOk(demo.some((f) => f.policy === 'probe-port-host' && /401/.test(f.message)), 'no "401": the demo server requires no key');
  t.same(failing(deployment('vllm.entrypoints.openai.api_server', '/health'), 'readiness-model-aware'), []);
  t.same(failing(deployment('vllm.entrypoints.api_server', '/health'), 'readiness-model-aware'), [], '/health is answered');
});
