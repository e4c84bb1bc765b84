/**
 * `serve --lookups` watches Google Cloud Managed Service for Prometheus' PodMonitoring and
 * ClusterPodMonitoring (monitoring.googleapis.com/v1) as it watches ServiceMonitors and PodMonitors:
 * before, a Deployment scraped by one was "nothing scrapes /metrics" at admission, and a
 * ClusterPodMonitoring, which has no namespace, belongs to the related set of every namespace.
 */
import t from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { decideAdmission } from '../../src/admission/handler.js';
import type { AdmissionRequest } from '../../src/admission/review.js';
import { loadEngine } from '../../src/load-engine.js';
import { startLookupCache } from '../../src/server/lookups.js';
import { startKubeStandIn } from '../audit/kube-stand-in.js';

const loaded = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ml' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.20.1', args: ['Qwen/Qwen3-8B'], ports: [{ name: 'http', containerPort: 8000 }], resources: { limits: { 'nvidia.com/gpu': 1 } } }] },
    },
  },
});

const request = (name: string): AdmissionRequest => ({
  uid: `u-${name}`, kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, operation: 'CREATE', namespace: 'ml', name,
  username: 'dev', object: deployment(name), oldObject: null, dryRun: false,
});

const monitoring = (kind: string, app: string, namespace?: string) => ({
  apiVersion: 'monitoring.googleapis.com/v1',
  kind,
  metadata: { name: `${app}-metrics`, ...(namespace ? { namespace } : {}) },
  spec: { selector: { matchLabels: { app } }, endpoints: [{ port: 'http', path: '/metrics' }] },
});

async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

t.test('PodMonitoring and ClusterPodMonitoring are watched and scrape the workload at admission', async (t) => {
  const standIn = await startKubeStandIn({
    onlyGenerated: true,
    generated: {
      podmonitorings: { count: 1, item: () => monitoring('PodMonitoring', 'by-namespace', 'ml') },
      clusterpodmonitorings: { count: 1, item: () => monitoring('ClusterPodMonitoring', 'by-cluster') },
    },
  });
  const config = new KubeConfig();
  config.loadFromString(standIn.kubeconfig());
  const cache = startLookupCache(config, { retryMs: 60_000 });
  try {
    await until(() => cache.synced().includes('PodMonitoring') && cache.synced().includes('ClusterPodMonitoring'), 'the GMP watches');
    const related = cache.relatedFor('ml');
    t.same(related.byKind.get('PodMonitoring')?.map((m) => m.kind), ['PodMonitoring']);
    t.same(cache.relatedFor('other').byKind.get('ClusterPodMonitoring')?.map((m) => m.kind), ['ClusterPodMonitoring'], 'cluster-scoped: in every namespace\'s set');
    const ctx = { engine: loaded.engine, settings: loaded.config.server, related: (ns: string) => cache.relatedFor(ns) };
    const scraped = (name: string) => decideAdmission(request(name), ctx).findings?.filter((f) => f.policy === 'metrics-scraped') ?? [];
    t.same(scraped('by-namespace'), [], 'a PodMonitoring of its namespace scrapes it');
    t.same(scraped('by-cluster'), [], 'a ClusterPodMonitoring scrapes it');
    t.match(scraped('unscraped'), [{ outcome: 'fail', message: /^nothing in namespace ml \(lookup cache\) scrapes \/metrics of Deployment unscraped/ }]);
  } finally {
    await cache.stop();
    await standIn.close();
  }
});

t.test('a cluster without GMP: its kinds are no gap, and the scrape facts stay known', async (t) => {
  // The common case: Prometheus Operator's kinds are served, monitoring.googleapis.com is not (404).
  const standIn = await startKubeStandIn({ onlyGenerated: true, generated: {}, missingGroups: ['monitoring.googleapis.com/v1'] });
  t.teardown(() => standIn.close());
  const config = new KubeConfig();
  config.loadFromString(standIn.kubeconfig());
  const cache = startLookupCache(config, { retryMs: 60_000 });
  try {
    await until(() => cache.synced().includes('ServiceMonitor') && cache.synced().includes('PodMonitor'), 'the Prometheus Operator watches');
    await until(() => !cache.relatedFor('ml').gaps.has('PodMonitoring') && !cache.relatedFor('ml').gaps.has('ClusterPodMonitoring'), 'the GMP lists to answer 404');
    t.notOk(cache.synced().includes('PodMonitoring'), 'not watching: the API is not served');
    const ctx = { engine: loaded.engine, settings: loaded.config.server, related: (ns: string) => cache.relatedFor(ns) };
    const scraped = decideAdmission(request('unscraped'), ctx).findings?.filter((f) => f.policy === 'metrics-scraped') ?? [];
    t.match(scraped, [{ outcome: 'fail', message: /^nothing in namespace ml \(lookup cache\) scrapes \/metrics of Deployment unscraped/ }], 'known: nothing scrapes it, not "could not be verified"');
  } finally {
    await cache.stop();
  }
});

t.test('a cluster with no monitoring CRD at all: none of them exists, as the audit reads it', async (t) => {
  const standIn = await startKubeStandIn({ onlyGenerated: true, generated: {}, missingGroups: ['monitoring.googleapis.com/v1', 'monitoring.coreos.com/v1', 'keda.sh/v1alpha1'] });
  t.teardown(() => standIn.close());
  const config = new KubeConfig();
  config.loadFromString(standIn.kubeconfig());
  const cache = startLookupCache(config, { retryMs: 60_000 });
  try {
    const optional = ['ServiceMonitor', 'PodMonitor', 'PodMonitoring', 'ClusterPodMonitoring', 'ScaledObject'] as const;
    await until(() => cache.synced().includes('Service') && optional.every((kind) => !cache.relatedFor('ml').gaps.has(kind)), 'the optional CRDs to answer 404');
    t.same(optional.filter((kind) => cache.synced().includes(kind)), [], 'none is watched');
    const ctx = { engine: loaded.engine, settings: loaded.config.server, related: (ns: string) => cache.relatedFor(ns) };
    const scraped = decideAdmission(request('unscraped'), ctx).findings?.filter((f) => f.policy === 'metrics-scraped') ?? [];
    t.match(scraped, [{ outcome: 'fail' }], 'nothing scrapes it: known, as audit and check say');
  } finally {
    await cache.stop();
  }
});
