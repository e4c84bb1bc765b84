// Which module `python … -m MODULE` runs was read four ways: detect.ts grouped options (`-um dynamo.vllm`)
// and skipped `--check-hash-based-pycs VALUE`, while the Dynamo-worker and demo-server tests had their own
// loops that did neither. So `python3 -um dynamo.vllm` was a vLLM server that served the vLLM API (a Dynamo
// worker serves none: its health is on Dynamo's system port), and was denied for having no readinessProbe;
// and the demo server behind `--check-hash-based-pycs never` was taken for the OpenAI server (a /v1/models
// probe "gets 401" from a key the demo server never reads). Both now read the module as detect.ts does
// (src/engine/vllm/python-module.ts; CPython's command line: docs.python.org/3/using/cmdline.html).
import t from 'tap';
import { createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

function deployment(image: string, command: string[], container: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'engine', namespace: 'ml' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'engine' } },
      template: {
        metadata: { labels: { app: 'engine' } },
        spec: { containers: [{ name: 'server', image, command, resources: { limits: { 'nvidia.com/gpu': 1 } }, ...container }] },
      },
    },
  };
}

const failing = (o: Record<string, unknown>) =>
  reviewObject(engine, o, { related: createRelatedSet([o], { scope: 'the input set' }) }).findings.filter((f) => f.outcome === 'fail');

t.test('a Dynamo worker with grouped interpreter options (-um) serves no vLLM API', async (t) => {
  const dynamo = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.4.0';
  for (const command of [['python3', '-um', 'dynamo.vllm', '--model', 'Qwen/Qwen3-0.6B'], ['python3', '-u', '-m', 'dynamo.vllm', '--model', 'Qwen/Qwen3-0.6B']]) {
    const findings = failing(deployment(dynamo, command));
    t.same(findings.filter((f) => ['readiness-model-aware', 'api-auth', 'metrics-exposed', 'service-exposes-server'].includes(f.policy)).map((f) => f.message), [], command.join(' '));
  }
});

t.test('the demo server after --check-hash-based-pycs is the demo server', async (t) => {
  const command = ['python3', '--check-hash-based-pycs', 'never', '-m', 'vllm.entrypoints.api_server', '--model', 'Qwen/Qwen3-0.6B'];
  const findings = failing(deployment('vllm/vllm-openai:v0.10.1.1', command, {
    env: [{ name: 'VLLM_API_KEY', valueFrom: { secretKeyRef: { name: 'api-key', key: 'key' } } }],
    ports: [{ containerPort: 8000 }],
    readinessProbe: { httpGet: { path: '/v1/models', port: 8000 } },
  }));
  t.notOk(findings.some((f) => /401|Authorization header/.test(f.message)), 'no "401": the demo server reads no key');
  t.match(findings.filter((f) => f.policy === 'readiness-model-aware'), [{ message: /vLLM's demo server .* answers GET only on \/health/ }]);
  t.match(findings.filter((f) => f.policy === 'api-auth'), [{ message: /runs vLLM's demo server .* which has no authentication/ }]);
});
