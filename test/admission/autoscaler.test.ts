/**
 * An autoscaler's admission answer (src/admission/autoscaler.ts) with the lookups given as plain
 * functions: denied only where a carried policy denies, with the workload named; an UPDATE that
 * leaves the spec alone is never denied; a non-vLLM target passes silently.
 */
import t from 'tap';
import { decideAdmission } from '../../src/admission/handler.js';
import type { AdmissionRequest } from '../../src/admission/review.js';
import { createRelatedSet } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const loaded = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'qwen', namespace: 'ml' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'qwen' } },
    template: {
      metadata: { labels: { app: 'qwen' } },
      spec: {
        containers: [{
          name: 'vllm', image: 'vllm/vllm-openai:v0.20.1', args: ['Qwen/Qwen3-8B'],
          resources: { limits: { 'nvidia.com/gpu': 1, memory: '32Gi' } },
          volumeMounts: [{ name: 'cache', mountPath: '/root/.cache/huggingface' }],
        }],
        volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'models' } }],
      },
    },
  },
};
const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'models', namespace: 'ml' }, spec: { accessModes: ['ReadWriteOnce'] } };
const hpa = {
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'qwen-hpa', namespace: 'ml' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'qwen' }, minReplicas: 1, maxReplicas: 3,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'vllm:num_requests_waiting' }, target: { type: 'AverageValue', averageValue: '5' } } }],
  },
};

function request(object: unknown, oldObject: unknown = null): AdmissionRequest {
  return {
    uid: 'u', kind: { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' }, operation: oldObject === null ? 'CREATE' : 'UPDATE',
    namespace: 'ml', name: 'qwen-hpa', username: 'dev', object, oldObject, dryRun: false,
  };
}

const ctx = (target: unknown) => ({
  engine: loaded.engine,
  settings: loaded.config.server,
  related: (ns: string) => createRelatedSet([claim], { scope: `namespace ${ns} (lookup cache)` }),
  workload: (_ns: string, kind: string, name: string) => (kind === 'Deployment' && name === 'qwen' ? target : undefined),
});

t.test('an HPA that scales a ReadWriteOnce mount past one replica is denied, naming the workload', async (t) => {
  const outcome = decideAdmission(request(hpa), ctx(deployment));
  t.equal(outcome.decision, 'deny');
  t.match(outcome.response.status?.message, /^vllm-guard denied HorizontalPodAutoscaler ml\/qwen-hpa \(it scales Deployment ml\/qwen; the findings are that workload's, with paths into it\): 1 policy failed\n- storage-access: Deployment qwen can scale to 3 replicas/);
  t.same(outcome.findings.filter((f) => f.action === 'deny').map((f) => f.policy), ['storage-access']);
});

t.test('the same HPA with maxReplicas 1 is not denied; storage-access without it is not carried', async (t) => {
  const outcome = decideAdmission(request({ ...hpa, spec: { ...hpa.spec, maxReplicas: 1 } }), ctx(deployment));
  t.equal(outcome.response.allowed, true);
  t.notOk(outcome.findings.some((f) => f.policy === 'storage-access'));
});

t.test('an UPDATE that leaves the spec alone is never denied', async (t) => {
  const relabeled = { ...hpa, metadata: { ...hpa.metadata, labels: { team: 'ml' } } };
  const outcome = decideAdmission(request(relabeled, hpa), ctx(deployment));
  t.equal(outcome.response.allowed, true);
  t.equal(outcome.decision, 'warn');
  t.ok(outcome.response.warnings?.some((w) => w.startsWith('storage-access: Deployment qwen can scale to 3 replicas (HorizontalPodAutoscaler qwen-hpa)')), 'the denial comes as a warning');
});

t.test('a target that is not a vLLM workload passes silently', async (t) => {
  const web = { ...deployment, spec: { ...deployment.spec, template: { ...deployment.spec.template, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } };
  const outcome = decideAdmission(request(hpa), ctx(web));
  t.same([outcome.response, outcome.decision], [{ allowed: true }, 'skip']);
});
