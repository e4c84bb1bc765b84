// The audit's plain requests to the API server (src/audit/kube-http.ts) against the HTTPS stand-in:
// gzip bodies, a 410 Gone on an expired continue token, a wrong token, and the PolicyReport
// store reading metadata only (PartialObjectMetadata), with whole objects from a server that does
// not serve metadata-only answers.
import { readFileSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { auditCli as cli, kubeconfigFor } from './helpers.js';
import { startKubeStandIn, type KubeStandIn } from './kube-stand-in.js';

const LWS = ['leaderworkerset.x-k8s.io/v1'];

async function standIn(t: { teardown: (fn: () => Promise<void>) => void }, options: Parameters<typeof startKubeStandIn>[0]): Promise<KubeStandIn> {
  const s = await startKubeStandIn(options);
  t.teardown(() => s.close());
  return s;
}

const sources = (stdout: string): string[] => (JSON.parse(stdout) as { results: { source: string }[] }).results.map((r) => r.source);

t.test('gzip list bodies are read as the plain ones', async (t) => {
  const plain = await cli(['--kubeconfig', kubeconfigFor(await standIn(t, { missingGroups: LWS }), t.testdir({})), '-o', 'json']);
  const zipped = await standIn(t, { missingGroups: LWS, gzip: true });
  const run = await cli(['--kubeconfig', kubeconfigFor(zipped, t.testdir({})), '-o', 'json']);
  t.equal(run.code, plain.code);
  t.same(sources(run.stdout), sources(plain.stdout));
  t.equal(sources(run.stdout).length, 6, 'the six vLLM workloads of the fixtures');
  t.same(JSON.parse(run.stdout), JSON.parse(plain.stdout), 'the same report');
});

t.test('an expired continue token (410 Gone) is a gap naming the kind, after the objects of the first page', async (t) => {
  const s = await standIn(t, { missingGroups: LWS, expiredContinue: ['pods'] });
  const run = await cli(['--kubeconfig', kubeconfigFor(s, t.testdir({})), '-o', 'json']);
  t.equal(run.code, 2, 'exit 2: incomplete');
  t.match(run.stderr, /^gap: cannot list Pod cluster-wide: 410 The provided continue parameter is too old/m);
  t.match(run.stderr, /run the audit again/);
  t.match(JSON.parse(run.stdout), { errors: [{ source: 'cluster:*/Pod' }] });
  t.ok(sources(run.stdout).includes('cluster:research/Pod/debug-vllm'), 'the first page of Pods was checked');
});

t.test('a token the API server refuses: 401, one gap, nothing more asked', async (t) => {
  const s = await standIn(t, { missingGroups: LWS });
  const file = kubeconfigFor(s, t.testdir({}));
  writeFileSync(file, readFileSync(file, 'utf8').replace(/token: \S+/, 'token: not-the-token'));
  const run = await cli(['--kubeconfig', file, '-o', 'json']);
  t.equal(run.code, 2);
  t.match(run.stderr, /^gap: cannot list InferenceService cluster-wide: 401 HTTP 401$/m);
  t.equal(s.requests.filter((r) => r.path !== '/apis').length, 1, 'the kinds after it are not listed');
});

const labels = { 'app.kubernetes.io/managed-by': 'vllm-guard' };
const stale = (s: KubeStandIn): void => {
  s.objects.set('wgpolicyk8s.io/policyreports/ml-serving/vllm-guard', { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'vllm-guard', namespace: 'ml-serving', labels, resourceVersion: '7' }, results: [] });
  s.objects.set('wgpolicyk8s.io/policyreports/old-team/vllm-guard', { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'vllm-guard', namespace: 'old-team', labels, resourceVersion: '3' }, results: [] });
  s.objects.set('wgpolicyk8s.io/policyreports/old-team/not-ours', { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'not-ours', namespace: 'old-team', resourceVersion: '3' }, results: [] });
};

for (const whole of [false, true]) {
  t.test(`--write-reports reads report versions and our reports' names${whole ? ' from a server without metadata-only answers' : ' as metadata only'}`, async (t) => {
    const s = await standIn(t, { missingGroups: LWS, ...(whole ? { wholeObjectsOnly: true } : {}) });
    stale(s);
    const run = await cli(['--kubeconfig', kubeconfigFor(s, t.testdir({})), '-o', 'json', '--write-reports']);
    t.equal(run.code, 1);
    t.match(run.stderr, /PolicyReports: 2 created \(batch, research\), 1 updated \(ml-serving\), 1 stale deleted \(old-team\)/);
    t.notOk(s.objects.has('wgpolicyk8s.io/policyreports/old-team/vllm-guard'), 'the stale report is deleted');
    t.ok(s.objects.has('wgpolicyk8s.io/policyreports/old-team/not-ours'), 'a report without our label is left alone');
    t.equal((s.objects.get('wgpolicyk8s.io/policyreports/ml-serving/vllm-guard') as { metadata: { resourceVersion: string } }).metadata.resourceVersion, '8', 'replaced at the version read');
    const reads = s.requests.filter((r) => r.method === 'GET' && r.path.includes('/policyreports'));
    const gets = reads.filter((r) => /\/policyreports\/[^/]+$/.test(r.path));
    const lists = reads.filter((r) => r.path.endsWith('/policyreports'));
    t.equal(gets.length, 3, 'one read per namespace written');
    t.ok(gets.every((r) => r.accept.startsWith('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,')), 'each asks for the metadata only');
    t.same(lists.map((r) => [r.query.get('labelSelector'), r.query.get('limit')]), [['app.kubernetes.io/managed-by=vllm-guard', '50']]);
    t.ok(lists.every((r) => r.accept.startsWith('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,')));
  });
}

t.test('the prune list pages: 50 first, then 500 names a page once the server answers with metadata only', async (t) => {
  for (const whole of [false, true]) {
    const s = await standIn(t, { missingGroups: LWS, ...(whole ? { wholeObjectsOnly: true } : {}) });
    for (let i = 0; i < 120; i++) {
      const namespace = `gone-${String(i).padStart(3, '0')}`;
      s.objects.set(`wgpolicyk8s.io/policyreports/${namespace}/vllm-guard`, { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'vllm-guard', namespace, labels, resourceVersion: '1' }, results: [] });
    }
    const run = await cli(['--kubeconfig', kubeconfigFor(s, t.testdir({})), '-o', 'json', '--write-reports']);
    t.match(run.stderr, /3 created \(batch, ml-serving, research\), 0 updated, 120 stale deleted/);
    const limits = s.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/policyreports')).map((r) => r.query.get('limit'));
    t.same(limits, whole ? ['50', '50', '50'] : ['50', '500'], whole ? 'whole reports: 50 a page' : 'metadata: 500 after the first page');
  }
});
