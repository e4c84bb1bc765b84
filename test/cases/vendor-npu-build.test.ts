// A vendor's vLLM build for an NPU no table knows (Rebellions' vllm-rbln, for `rebellions.ai/ATOM`) was not reviewed
// at all: its image is a weak signal alone and its args (--model, --port, --served-model-name) are no vLLM-only flags,
// so a server without a readinessProbe passed in silence. llm-d's modelservice chart runs it with the image's own
// command and vLLM args (charts/llm-d-modelservice/templates/_helpers.tpl, chart v0.4.12, imageDefaultModelCommand).
// The manifest below is an anonymised Deployment of that kind.
import t from 'tap';
import { reviewObject } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

const npuServer = (readinessProbe?: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'npu-chat', namespace: 'ml' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'npu-chat' } },
    template: {
      metadata: { labels: { app: 'npu-chat' } },
      spec: {
        containers: [{
          name: 'vllm',
          image: 'repo.rebellions.ai/rebellions/vllm-rbln-rhel9:3.3',
          args: ['--model', 'Qwen/Qwen3-0.6B', '--port', '8000', '--served-model-name', 'qwen'],
          ports: [{ containerPort: 8000 }],
          resources: { limits: { 'rebellions.ai/ATOM': '1', memory: '24Gi' } },
          ...(readinessProbe ? { readinessProbe } : {}),
        }],
      },
    },
  },
});

t.test("Rebellions' vLLM build is reviewed as a vLLM server", async (t) => {
  const review = reviewObject(engine, npuServer());
  t.same(review.detection?.map((d) => d.role), ['server']);
  t.match(review.findings.filter((f) => f.policy === 'readiness-model-aware' && f.outcome === 'fail'), [{
    action: 'deny',
    message: /container vllm has no readinessProbe/,
    path: 'spec.template.spec.containers[0].readinessProbe',
  }]);
  // Its NPU is a resource no table knows: the device rules could not be verified, never "no GPU".
  const gpu = review.findings.filter((f) => f.policy === 'gpu-resource-present');
  t.match(gpu, [{ outcome: 'unknown', message: /rebellions\.ai\/ATOM is not a resource vllm-guard knows/ }]);
  t.notOk(review.findings.some((f) => f.action === 'deny' && f.outcome === 'fail' && f.policy.startsWith('gpu-')), 'no GPU deny');
});

t.test('with a readiness probe on /health it is not denied', async (t) => {
  const review = reviewObject(engine, npuServer({ httpGet: { path: '/health', port: 8000 } }));
  t.same(review.findings.filter((f) => f.action === 'deny' && f.outcome === 'fail').map((f) => f.policy), []);
});
