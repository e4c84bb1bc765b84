/**
 * The autoscaler and auth policies beyond their fixtures: the gpuBudget param, the HPA KEDA creates
 * for a ScaledObject, what the webhook says without a related set, and gaps in the set.
 */
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';

const base = loadConfig(null).engine;
const policies = loadPolicies(null);
const IDS = new Set(['autoscaler-ml-signal', 'autoscaler-bounds', 'autoscaler-cooldown', 'api-auth']);

function engineWith(id: string, params: Record<string, unknown>) {
  return createEngine({ policies, config: { ...base, policies: { [id]: { params } } } });
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'qwen', namespace: 'ml' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'qwen' } },
    template: {
      metadata: { labels: { app: 'qwen' } },
      spec: {
        containers: [{
          name: 'vllm',
          image: 'vllm/vllm-openai:v0.20.1',
          args: ['Qwen/Qwen3-8B'],
          resources: { limits: { 'nvidia.com/gpu': 2, memory: '64Gi' } },
          startupProbe: { httpGet: { path: '/health', port: 8000 }, periodSeconds: 10, failureThreshold: 60 },
        }],
      },
    },
  },
};

function hpa(name: string, spec: Record<string, unknown>) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'ml' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'qwen' }, ...spec },
  };
}

const queue = [{ type: 'Pods', pods: { metric: { name: 'vllm:num_requests_waiting' }, target: { type: 'AverageValue', averageValue: '5' } } }];
const window = { scaleDown: { stabilizationWindowSeconds: 900 } };

function findings(engine: ReturnType<typeof createEngine>, objects: unknown[] | null, gaps: [string, string][] = []) {
  const related = objects === null ? undefined : createRelatedSet(objects, { scope: 'namespace ml', gaps: gaps as never });
  return reviewObject(engine, deployment, { related }).findings.filter((f) => IDS.has(f.policy));
}

/** The autoscaler findings' messages (the deployment has no API key: api-auth speaks too). */
function scaling(found: ReturnType<typeof findings>): string[] {
  return found.filter((f) => f.policy.startsWith('autoscaler')).map((f) => f.message);
}

t.test('maxReplicas × GPUs per replica above the gpuBudget param warns; within it, or with no budget, nothing', async (t) => {
  const objects = [deployment, hpa('qwen', { minReplicas: 1, maxReplicas: 6, metrics: queue, behavior: window })];
  const over = findings(engineWith('autoscaler-bounds', { gpuBudget: 8 }), objects).filter((f) => f.policy === 'autoscaler-bounds');
  t.equal(over.length, 1);
  t.match(over[0], { action: 'warn', path: 'HorizontalPodAutoscaler/qwen.spec.maxReplicas', message: /HorizontalPodAutoscaler qwen may scale Deployment qwen to 6 replicas × 2 nvidia.com\/gpu = 12 accelerators, above the budget of 8/ });
  t.same(scaling(findings(engineWith('autoscaler-bounds', { gpuBudget: 12 }), objects)), [], '12 fits a budget of 12');
  t.same(scaling(findings(engineWith('autoscaler-bounds', {}), objects)), [], 'no budget stated: no verdict');
});

t.test("the HPA KEDA creates for a ScaledObject is not judged as a second autoscaler", async (t) => {
  const scaled = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'qwen', namespace: 'ml' },
    spec: {
      scaleTargetRef: { name: 'qwen' },
      minReplicaCount: 1,
      maxReplicaCount: 4,
      advanced: { horizontalPodAutoscalerConfig: { behavior: window } },
      triggers: [{ type: 'prometheus', metadata: { query: 'sum(rate(vllm:generation_tokens_total[1m]))', threshold: '500' } }],
    },
  };
  const kedaHpa = hpa('keda-hpa-qwen', { minReplicas: 1, maxReplicas: 4, metrics: [{ type: 'External', external: { metric: { name: 's0-prometheus' }, target: { type: 'AverageValue', averageValue: '500' } } }] });
  const engine = engineWith('autoscaler-bounds', {});
  t.same(scaling(findings(engine, [deployment, scaled, kedaHpa])), []);
});

t.test('without a related set (the webhook without lookups) neither the autoscaler policies nor api-auth run', async (t) => {
  t.same(findings(engineWith('autoscaler-bounds', { gpuBudget: 1 }), null), []);
});

t.test('a configured auth annotation on the pod template counts as an auth layer', async (t) => {
  const annotated = structuredClone(deployment) as typeof deployment & { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
  annotated.spec.template.metadata.annotations = { 'example.com/oauth2-proxy': 'enabled' };
  const engine = engineWith('api-auth', { authAnnotations: ['example.com/oauth2-proxy'] });
  const related = createRelatedSet([annotated], { scope: 'namespace ml' });
  t.same(reviewObject(engine, annotated, { related }).findings.filter((f) => f.policy === 'api-auth'), []);
  const plain = createEngine({ policies, config: base });
  t.equal(reviewObject(plain, annotated, { related }).findings.filter((f) => f.policy === 'api-auth').length, 1, 'not without the param');
});

t.test('an autoscaler kind the search could not cover gives no verdict from that kind', async (t) => {
  const found = findings(engineWith('autoscaler-bounds', {}), [deployment], [['HorizontalPodAutoscaler', 'horizontalpodautoscalers is forbidden']]);
  t.same(scaling(found), []);
});
