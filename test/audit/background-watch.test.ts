// The background audit follows the cluster with watches (list+watch from the list's
// resourceVersion) against the STAND-IN kube-apiserver's `?watch=true`: after the first full list,
// a change to one namespace rewrites that namespace's PolicyReport only, a namespace that gains
// its first vLLM workload gets a report, one that loses its last loses it, and nothing is listed again.
import t from 'tap';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { startBackgroundAudit, type AuditLogger } from '../../src/audit/background.js';
import { createKubeLister } from '../../src/audit/kube-lister.js';
import { createKubeReportStore } from '../../src/audit/kube-report-store.js';
import { createKubeWatcher } from '../../src/audit/kube-watcher.js';
import { loadKubeConfig } from '../../src/audit/kubeconfig.js';
import { createKubeLeaseApi } from '../../src/audit/lease.js';
import { createAuditMetrics } from '../../src/audit/metrics.js';
import { FIXTURES, loadEngine } from './helpers.js';
import { startKubeStandIn } from './kube-stand-in.js';
import { readFileSync } from 'node:fs';

type Json = Record<string, unknown>;
const engine = loadEngine();

function fixtureItem(file: string, name: string): Json {
  const list = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as { items: Json[] };
  const item = list.items.find((i) => (i.metadata as Json).name === name);
  if (!item) throw new Error(`${name} not in ${file}`);
  return structuredClone(item);
}

async function until(condition: () => boolean, step: () => Promise<unknown>): Promise<boolean> {
  for (let i = 0; i < 100 && !condition(); i++) {
    await sleep(50);
    await step();
  }
  return condition();
}

t.test('after the first list, watches update only the PolicyReports of namespaces that changed', async (t) => {
  const standIn = await startKubeStandIn({ missingGroups: ['leaderworkerset.x-k8s.io/v1'] });
  t.teardown(() => standIn.close());
  const file = path.join(t.testdir({}), 'kubeconfig');
  writeFileSync(file, standIn.kubeconfig());
  const kube = loadKubeConfig({ kubeconfig: file }, false);
  const lines: string[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, message: string) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
  const logger: AuditLogger = { info: log('info'), warn: log('warn'), error: log('error') };
  const registry = new Registry();
  const audit = startBackgroundAudit({
    intervalSeconds: 3600,
    getEngine: () => engine,
    lister: createKubeLister(kube),
    watcher: createKubeWatcher(kube),
    lease: createKubeLeaseApi(kube, 'vllm-guard', 'vllm-guard-audit'),
    identity: 'replica-a',
    metrics: createAuditMetrics(registry),
    logger,
    pageSize: 500,
    reports: createKubeReportStore(kube),
  });
  t.teardown(() => audit.stop());
  const report = (ns: string) => standIn.objects.get(`wgpolicyk8s.io/policyreports/${ns}/vllm-guard`) as { metadata: { resourceVersion: string }; results: { policy: string; result: string; resources: { name: string }[] }[] } | undefined;

  t.equal(await audit.tick(), 'audited', 'the first tick lists everything');
  t.match(lines.join('\n'), /PolicyReports written \{"created":3,/);
  t.ok(await until(() => standIn.watching('deployments') > 0 && standIn.watching('pods') > 0, () => Promise.resolve()), 'watches are open');
  const before = { batch: report('batch')?.metadata.resourceVersion, ml: report('ml-serving')?.metadata.resourceVersion };
  t.ok(report('ml-serving')?.results.some((r) => r.policy === 'image-pinned' && r.result === 'fail' && r.resources[0]?.name === 'llama-70b'), 'llama-70b runs :latest');
  const listsAfterFirst = standIn.requests.filter((r) => r.method === 'GET' && !r.query.has('watch') && /\/(deployments|pods|statefulsets)$/.test(r.path)).length;

  // ml-serving: llama-70b pinned; web: a vLLM Pod appears; research: its vLLM workloads go away.
  const llama = fixtureItem('deployments.page1.json', 'llama-70b');
  const containers = ((((llama.spec as Json).template as Json).spec as Json).containers as Json[]);
  (containers[0] as Json).image = 'vllm/vllm-openai:v0.8.5';
  standIn.change('deployments', 'MODIFIED', llama);
  const debug = fixtureItem('pods.page1.json', 'debug-vllm');
  standIn.change('pods', 'ADDED', { ...debug, metadata: { ...(debug.metadata as Json), namespace: 'web', name: 'try-vllm', uid: 'uid-try-vllm' } });
  standIn.change('pods', 'DELETED', debug);
  standIn.change('statefulsets', 'DELETED', fixtureItem('statefulsets.page1.json', 'mistral-7b'));

  t.ok(await until(() => report('web') !== undefined && report('research') === undefined, () => audit.tick()), 'the changed namespaces were written');
  t.match(lines.join('\n'), /background audit updated from watches \{"events":\d+,"changedNamespaces":3\}/);
  t.match(lines.join('\n'), /PolicyReports written \{"changedNamespaces":3,"created":1,"updated":1,"deleted":1,/);
  t.not(report('ml-serving')?.metadata.resourceVersion, before.ml, 'ml-serving rewritten');
  t.notOk(report('ml-serving')?.results.some((r) => r.policy === 'image-pinned' && r.result === 'fail' && r.resources[0]?.name === 'llama-70b'), 'llama-70b is pinned now');
  t.equal(report('batch')?.metadata.resourceVersion, before.batch, 'batch, unchanged, was not written again');
  const listsNow = standIn.requests.filter((r) => r.method === 'GET' && !r.query.has('watch') && /\/(deployments|pods|statefulsets)$/.test(r.path)).length;
  t.equal(listsNow, listsAfterFirst, 'nothing was listed again');
  t.match(await registry.metrics(), /vllm_guard_audit_findings\{policy="image-pinned",namespace="web",action="deny"\} 1/);

  t.equal(await audit.tick(), 'updated');
  t.match(lines.at(-1), /background audit updated from watches \{"events":0,"changedNamespaces":0\}/, 'a quiet cluster writes nothing');
});
