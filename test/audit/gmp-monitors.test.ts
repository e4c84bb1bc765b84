// Google Cloud Managed Service for Prometheus scrapes with PodMonitoring (pods of its namespace) and
// ClusterPodMonitoring (pods of every namespace), monitoring.googleapis.com/v1 (GoogleCloudPlatform/
// prometheus-engine). `check` read them from its input set (engine related/monitors.ts), but the audit
// never listed them, so a workload scraped by one was "nothing scrapes /metrics" in the audit only.
import t from 'tap';
import { createRelatedSet, reviewObject, type JsonObject } from '../../src/engine/api.js';
import { auditStandIn, collection, loadEngine } from './helpers.js';

const engine = loadEngine();
const now = new Date('2026-01-15T10:00:00Z');
const NS = 'gmp-demo';

function deployment(name: string): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, uid: `uid-${name}` },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1.1', command: ['vllm', 'serve', 'Qwen/Qwen3-8B'], ports: [{ name: 'http', containerPort: 8000 }], resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
      },
    },
  };
}

const monitoring = (kind: 'PodMonitoring' | 'ClusterPodMonitoring', app: string): JsonObject => ({
  apiVersion: 'monitoring.googleapis.com/v1',
  kind,
  metadata: { name: `${app}-metrics`, ...(kind === 'PodMonitoring' ? { namespace: NS } : {}), uid: `uid-${kind}-${app}` },
  spec: { selector: { matchLabels: { app } }, endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }] },
});

const DEPLOYMENTS = [deployment('scraped-ns'), deployment('scraped-cluster'), deployment('unscraped')];
const POD_MONITORINGS = [monitoring('PodMonitoring', 'scraped-ns')];
const CLUSTER_POD_MONITORINGS = [monitoring('ClusterPodMonitoring', 'scraped-cluster')];

t.test('the audit lists PodMonitoring and ClusterPodMonitoring, and says what check says', async (t) => {
  const { run } = await auditStandIn(t, engine, {
    generated: { deployments: collection(DEPLOYMENTS), podmonitorings: collection(POD_MONITORINGS), clusterpodmonitorings: collection(CLUSTER_POD_MONITORINGS) },
  }, now);
  const scraped = (name: string) => run.report.results.filter((r) => r.name === name).flatMap((r) => r.findings.filter((f) => f.policy === 'metrics-scraped'));
  t.same(scraped('scraped-ns'), [], 'a PodMonitoring of the namespace scrapes it');
  t.same(scraped('scraped-cluster'), [], 'a ClusterPodMonitoring scrapes it');
  t.match(scraped('unscraped'), [{ outcome: 'fail', message: /^nothing in namespace gmp-demo scrapes \/metrics of Deployment unscraped/ }]);
  // check, given the same objects, agrees.
  const related = createRelatedSet([...DEPLOYMENTS, ...POD_MONITORINGS, ...CLUSTER_POD_MONITORINGS], { scope: 'the input set' });
  for (const name of ['scraped-ns', 'scraped-cluster']) {
    const object = DEPLOYMENTS.find((d) => (d.metadata as JsonObject).name === name) as JsonObject;
    t.same(reviewObject(engine, object, { related }).findings.filter((f) => f.policy === 'metrics-scraped'), [], `check: ${name} scraped`);
  }
  t.same(run.report.errors, []);
});
