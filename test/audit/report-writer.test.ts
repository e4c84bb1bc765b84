// The PolicyReport writer against an in-memory store: create, replace (stale results gone), prune.
import t from 'tap';
import type { PolicyReport } from '../../src/audit/policy-report.js';
import { writePolicyReports, type ReportRef, type ReportStore } from '../../src/audit/report-writer.js';

function report(namespace: string, results: string[]): PolicyReport {
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: { name: 'vllm-guard', namespace, labels: { 'app.kubernetes.io/managed-by': 'vllm-guard' } },
    summary: { pass: 0, fail: results.length, warn: 0, error: 0, skip: 0 },
    results: results.map((policy) => ({
      policy,
      rule: policy,
      result: 'fail',
      severity: 'high',
      message: 'm',
      category: 'c',
      scored: true,
      source: 'vllm-guard',
      timestamp: { seconds: 1, nanos: 0 },
      resources: [],
    })),
  };
}

function memoryStore(failWith?: Error): ReportStore & { stored: Map<string, PolicyReport & { version: string }>; log: string[] } {
  const stored = new Map<string, PolicyReport & { version: string }>();
  const log: string[] = [];
  const key = (r: ReportRef) => `${r.namespace}/${r.name}`;
  return {
    stored,
    log,
    async getVersion(ref) {
      if (failWith) throw failWith;
      return stored.get(key(ref))?.version ?? null;
    },
    async create(r) {
      log.push(`create ${r.metadata.namespace}`);
      stored.set(key(r.metadata), { ...r, version: '1' });
    },
    async replace(r, version) {
      log.push(`replace ${r.metadata.namespace}@${version}`);
      stored.set(key(r.metadata), { ...r, version: String(Number(version) + 1) });
    },
    async listManaged(namespace) {
      return [...stored.values()].filter((r) => namespace === null || r.metadata.namespace === namespace).map((r) => ({ namespace: r.metadata.namespace, name: r.metadata.name }));
    },
    async remove(ref) {
      log.push(`delete ${ref.namespace}`);
      stored.delete(key(ref));
    },
  };
}

t.test('create, then replace the whole results list, then prune namespaces that are gone', async (t) => {
  const store = memoryStore();
  let outcome = await writePolicyReports(store, [report('a', ['p1', 'p2']), report('b', ['p1'])], { namespace: null, prune: true });
  t.same(outcome, { created: ['a', 'b'], updated: [], deleted: [], failures: [] });
  outcome = await writePolicyReports(store, [report('a', ['p2'])], { namespace: null, prune: true });
  t.same(outcome, { created: [], updated: ['a'], deleted: ['b'], failures: [] });
  t.same(store.stored.get('a/vllm-guard')?.results.map((r) => r.policy), ['p2'], 'the stale p1 result is gone');
  t.same(store.log, ['create a', 'create b', 'replace a@1', 'delete b'], 'the update carries the stored resourceVersion');
});

t.test('no pruning after an incomplete audit, or outside the namespace audited', async (t) => {
  const store = memoryStore();
  await writePolicyReports(store, [report('a', ['p']), report('b', ['p'])], { namespace: null, prune: true });
  await writePolicyReports(store, [report('a', ['p'])], { namespace: null, prune: false });
  t.ok(store.stored.has('b/vllm-guard'), 'an audit with gaps may have missed b: keep it');
  await writePolicyReports(store, [report('a', ['p'])], { namespace: 'a', prune: true });
  t.ok(store.stored.has('b/vllm-guard'), '-n a does not touch b');
});

t.test('a missing CRD fails every namespace the same way: reported twice at most', async (t) => {
  const store = memoryStore(new Error('creating PolicyReport: 404 the server could not find the requested resource — the PolicyReport CRD is not installed'));
  const outcome = await writePolicyReports(store, ['a', 'b', 'c', 'd'].map((ns) => report(ns, ['p'])), { namespace: null, prune: true });
  t.equal(outcome.failures.length, 2);
  t.match(outcome.failures[0], { namespace: 'a', message: /CRD is not installed/ });
});
