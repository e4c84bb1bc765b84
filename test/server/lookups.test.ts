/**
 * Admission lookups against the HTTPS API stand-in: the watch-backed cache lists and watches the
 * related kinds; an HPA added through the watch becomes visible to the next review; kinds not yet
 * listed, forbidden or not served are gaps, so their related facts are unknown (never a deny).
 */
import t, { type Test } from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { decideAdmission } from '../../src/admission/handler.js';
import type { AdmissionRequest } from '../../src/admission/review.js';
import { loadEngine } from '../../src/load-engine.js';
import { startLookupCache, type LookupCache } from '../../src/server/lookups.js';
import { startKubeStandIn, type KubeStandIn } from '../audit/kube-stand-in.js';

const RELATED_POLICIES = new Set(['api-auth', 'autoscaler-ml-signal', 'autoscaler-bounds', 'autoscaler-cooldown']);
const loaded = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

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
          ports: [{ name: 'http', containerPort: 8000 }],
          resources: { limits: { 'nvidia.com/gpu': 1, memory: '32Gi' } },
        }],
      },
    },
  },
};

const request: AdmissionRequest = {
  uid: 'u1', kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, operation: 'CREATE', namespace: 'ml', name: 'qwen',
  username: 'dev', object: deployment, oldObject: null, dryRun: false,
};

const service = { metadata: { name: 'qwen', namespace: 'ml' }, spec: { selector: { app: 'qwen' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
const cpuHpa = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'qwen-cpu', namespace: 'ml' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'qwen' }, minReplicas: 1, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
};

/** Polls (bounded) until `done` holds: the cache fills in the background. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

t.test('an HPA added through the watch reaches the next review; forbidden and unserved kinds are gaps', async (t) => {
  const standIn = await startKubeStandIn({
    onlyGenerated: true,
    generated: { services: { count: 1, item: () => service } },
    forbidden: ['poddisruptionbudgets'],
    // KEDA's CRD is optional (none exists when it is not served); an HTTPRoute version not served may
    // hide objects of another version, so it stays a gap.
    missingGroups: ['keda.sh/v1alpha1', 'gateway.networking.k8s.io/v1'],
  });
  const config = new KubeConfig();
  config.loadFromString(standIn.kubeconfig());
  const errors: string[] = [];
  const cache = startLookupCache(config, { retryMs: 60_000, onError: (kind) => errors.push(kind) });
  try {
    await reviewAround(t, cache, standIn, errors);
  } finally {
    // The watches first, then the server (closing the server under open watches waits on them).
    await cache.stop();
    await standIn.close();
  }
});

async function reviewAround(t: Test, cache: LookupCache, standIn: KubeStandIn, errors: string[]): Promise<void> {

  // Right after the start nothing is listed: every related fact is unknown, and the review does not wait.
  const early = decideAdmission(request, { engine: loaded.engine, settings: loaded.config.server, related: (ns) => cache.relatedFor(ns) });
  const earlyAuth = early.findings?.find((f) => f.policy === 'api-auth');
  t.match(earlyAuth, { outcome: 'unknown', action: 'warn', message: /could not be verified \(\w+ objects are not listed yet \(the lookup cache is starting\)\)/ });
  t.same(early.findings?.filter((f) => f.action === 'deny' && RELATED_POLICIES.has(f.policy)), [], 'nothing related denies');

  await until(() => cache.synced().includes('HorizontalPodAutoscaler') && standIn.watching('horizontalpodautoscalers') === 1, 'the HPA watch');
  await until(() => errors.includes('PodDisruptionBudget') && errors.includes('ScaledObject') && errors.includes('HTTPRoute'), 'the forbidden and missing kinds to fail');
  const before = cache.relatedFor('ml');
  t.equal(before.scope, 'namespace ml (lookup cache)');
  t.same(before.byKind.get('Service')?.map((s) => s.kind), ['Service'], 'list items get their kind back');
  t.match(before.gaps.get('PodDisruptionBudget'), /PodDisruptionBudget lookup failed/);
  t.match(before.gaps.get('HTTPRoute'), /HTTPRoute lookup failed/);
  t.notOk(before.gaps.has('ScaledObject'), 'KEDA not served: no ScaledObject exists, which is known');
  t.match(before.gaps.get('Secret'), /not watched/);
  t.notOk(before.gaps.has('HorizontalPodAutoscaler'));

  const ctx = { engine: loaded.engine, settings: loaded.config.server, related: (ns: string) => cache.relatedFor(ns) };
  t.same(decideAdmission(request, ctx).findings?.filter((f) => f.policy === 'autoscaler-ml-signal'), [], 'no HPA yet');

  standIn.change('horizontalpodautoscalers', 'ADDED', cpuHpa);
  await until(() => (cache.relatedFor('ml').byKind.get('HorizontalPodAutoscaler')?.length ?? 0) === 1, 'the watched HPA in the cache');
  const outcome = decideAdmission(request, ctx);
  const signal = outcome.findings?.find((f) => f.policy === 'autoscaler-ml-signal');
  t.match(signal, { outcome: 'fail', action: 'warn', path: 'HorizontalPodAutoscaler/qwen-cpu.spec.metrics', message: /HorizontalPodAutoscaler qwen-cpu scales Deployment qwen on Resource cpu only/ });
  t.same(cache.relatedFor('other').byKind.get('HorizontalPodAutoscaler') ?? [], [], 'another namespace does not see it');
}

t.test('a cache that throws is the same as no lookups: the workload is still reviewed, never failed', async (t) => {
  const outcome = decideAdmission(request, {
    engine: loaded.engine,
    settings: loaded.config.server,
    related: () => {
      throw new Error('cache broken');
    },
  });
  t.not(outcome.decision, 'fail-open', 'answered by the engine, not failed open');
  t.ok(outcome.findings?.length, 'the workload was reviewed');
  t.notOk(outcome.findings?.some((f) => f.policy === 'api-auth'), 'the related-object policies are not run without a set');
});

/** An autoscaler admission request in namespace ml. */
function autoscalerRequest(object: { kind: string; metadata: { name: string } }, operation: 'CREATE' | 'UPDATE' = 'CREATE'): AdmissionRequest {
  const group = object.kind === 'ScaledObject' ? { group: 'keda.sh', version: 'v1alpha1' } : { group: 'autoscaling', version: 'v2' };
  return {
    uid: 'u2', kind: { ...group, kind: object.kind }, operation, namespace: 'ml', name: object.metadata.name,
    username: 'dev', object, oldObject: operation === 'UPDATE' ? object : null, dryRun: false,
  };
}

t.test('an applied HPA is reviewed through the cached workload it scales', async (t) => {
  const vllmHpa = {
    ...cpuHpa,
    spec: { ...cpuHpa.spec, metrics: [{ type: 'Pods', pods: { metric: { name: 'vllm:num_requests_waiting' }, target: { type: 'AverageValue', averageValue: '5' } } }] },
  };
  const standIn = await startKubeStandIn({
    onlyGenerated: true,
    generated: {
      deployments: { count: 1, item: () => deployment },
      // A cached copy of the same name: the incoming HPA replaces it.
      horizontalpodautoscalers: { count: 1, item: () => vllmHpa },
    },
  });
  const config = new KubeConfig();
  config.loadFromString(standIn.kubeconfig());
  const cache = startLookupCache(config, { retryMs: 60_000 });
  try {
    const ctx = {
      engine: loaded.engine,
      settings: loaded.config.server,
      related: (ns: string) => cache.relatedFor(ns),
      workload: (ns: string, kind: string, name: string) => cache.workload(ns, kind, name),
    };
    await until(() => cache.synced().includes('Deployment') && cache.synced().includes('HorizontalPodAutoscaler'), 'the Deployment and HPA lists');
    t.match(cache.workload('ml', 'Deployment', 'qwen'), { kind: 'Deployment', metadata: { name: 'qwen' } }, 'the cache holds the workload, kind given back');

    const onCpu = decideAdmission(autoscalerRequest(cpuHpa), ctx);
    t.equal(onCpu.response.allowed, true, 'autoscaler-ml-signal warns, it does not deny');
    t.equal(onCpu.decision, 'warn');
    t.match(onCpu.response.warnings, [/^autoscaler-ml-signal: HorizontalPodAutoscaler qwen-cpu scales Deployment qwen on Resource cpu only/]);
    t.ok(onCpu.response.warnings?.some((w) => w === 'vllm-guard reviewed Deployment ml/qwen, which HorizontalPodAutoscaler ml/qwen-cpu scales'), 'says which workload');
    t.same(onCpu.findings.map((f) => f.policy).filter((p) => !['autoscaler-ml-signal', 'autoscaler-bounds', 'autoscaler-cooldown', 'storage-access', 'disruption-budget'].includes(p)), [], 'only what an autoscaler changes');
    t.same(onCpu.workload, { kind: 'HorizontalPodAutoscaler', namespace: 'ml', name: 'qwen-cpu' });

    // The cached qwen-cpu scales on the queue; the incoming one on CPU wins (and the other way round).
    t.notOk(decideAdmission(autoscalerRequest(vllmHpa, 'UPDATE'), ctx).findings.some((f) => f.policy === 'autoscaler-ml-signal'), 'an HPA on vllm:num_requests_waiting is fine');

    const keda = {
      apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'qwen-keda', namespace: 'ml' },
      spec: { scaleTargetRef: { name: 'qwen' }, minReplicaCount: 1, maxReplicaCount: 3, triggers: [{ type: 'cpu', metadata: { type: 'Utilization', value: '80' } }] },
    };
    t.match(decideAdmission(autoscalerRequest(keda), ctx).findings.find((f) => f.policy === 'autoscaler-ml-signal'), { action: 'warn', message: /ScaledObject qwen-keda/ }, 'a ScaledObject without a kind targets a Deployment');

    const elsewhere = { ...cpuHpa, metadata: { name: 'other', namespace: 'ml' }, spec: { ...cpuHpa.spec, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'not-cached' } } };
    const unknown = decideAdmission(autoscalerRequest(elsewhere), ctx);
    t.same([unknown.response, unknown.decision, unknown.skipReason], [{ allowed: true }, 'skip', 'no-target'], 'an unknown target: allowed, no warning');

    const noLookups = decideAdmission(autoscalerRequest(cpuHpa), { engine: loaded.engine, settings: loaded.config.server });
    t.same([noLookups.response, noLookups.decision], [{ allowed: true }, 'skip'], 'without lookups: allowed, no warning');
  } finally {
    await cache.stop();
    await standIn.close();
  }
});
