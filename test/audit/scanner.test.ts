// The scanner against an in-memory Lister over the fixtures: paging, owners, finished pods, gaps.
import t from 'tap';
import { RELATED_AUDIT_KINDS } from '../../src/audit/related-kinds.js';
import { ListFailure } from '../../src/audit/lister.js';
import { scanCluster } from '../../src/audit/scanner.js';
import type { JsonObject } from '../../src/engine/types.js';
import { fixturePages, loadEngine, memoryLister } from './helpers.js';
import { AUDIT_KINDS, auditKind } from '../../src/audit/kinds.js';
import { SERVING_KINDS } from '../../src/engine/api.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocuments } from '../../src/io/yaml.js';

const engine = loadEngine();
// The objects around vLLM workloads (audit/related-lister.ts) are listed too; test/audit/related.test.ts covers them.
// Kinds listed only as related objects (ServingRuntime is also a workload kind: its notes are the scan's).
// By API version and kind: Knative's Service is a workload kind, the core Service a related one.
const RELATED = new Set(RELATED_AUDIT_KINDS.flat().map((k) => `${k.apiVersion} ${k.kind}`));
/** Related kinds the audit lists only as related (their gaps are not workload CRDs). */
const RELATED_ONLY = new Set(RELATED_AUDIT_KINDS.flat().map((k) => k.kind as string).filter((kind) => !AUDIT_KINDS.some((a) => a.kind === kind)));
const now = new Date('2026-01-15T10:00:00Z');

t.test('a full scan: owners skipped, pages followed, teams resolved', async (t) => {
  const lister = memoryLister(fixturePages());
  const run = await scanCluster(engine, lister, { pageSize: 2, now });
  t.same(run.stats.namespaces, ['batch', 'kube-system', 'ml-serving', 'research', 'web']);
  t.equal(run.stats.listed, 17, 'every object the fixtures hold');
  t.equal(run.stats.evaluated, 8, 'controllers and unowned pods');
  t.equal(run.stats.skippedOwned, 9, 'ReplicaSets, the CronJob’s Job and owned Pods');
  t.equal(run.stats.pages, 10, 'two pages for Deployments and Pods, one per other built-in kind; no CRD is served');
  t.same(lister.calls.filter((c) => !RELATED.has(`${c.apiVersion} ${c.kind}`)).map((c) => c.kind).filter((k, i, all) => all.indexOf(k) === i), ['CronJob', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet', 'ReplicationController', 'Pod'], 'only what the cluster serves is listed');
  t.ok(lister.calls.every((c) => c.request.limit === 2), 'the page size is sent on every call');
  t.same(
    lister.calls.filter((c) => c.kind === 'Pod').map((c) => Boolean(c.request.continueToken)),
    [false, true],
    'the continue token of page 1 fetches page 2',
  );
  t.same(
    run.report.results.map((r) => `${r.namespace}/${r.kind}/${r.name}@${r.team}`),
    [
      'batch/CronJob/nightly-eval@batch',
      'batch/Job/bench-once@batch',
      'ml-serving/Deployment/llama-70b@inference',
      'ml-serving/Deployment/qwen-7b@inference',
      'research/Pod/debug-vllm@research',
      'research/StatefulSet/mistral-7b@research',
    ],
    'only vLLM workloads are kept; team from the label, the template label, else the namespace',
  );
  t.equal(run.report.summary.resources, 8);
  t.equal(run.report.summary.vllm, 6);
  t.same(
    run.gaps.filter((g) => !RELATED_ONLY.has(g.kind)).map((g) => g.message),
    [...SERVING_KINDS.map((k) => auditKind(k.kind, k.group)), auditKind('LeaderWorkerSet')].map((k) => `${k.apiVersion} ${k.kind}: not served by this cluster${k.apiVersions.length > 1 ? ` (nor ${k.apiVersions.slice(1).map((v) => v.split('/')[1]).join(', ')})` : ''}`),
    'one line per CRD the cluster does not serve',
  );
  t.ok(run.gaps.every((g) => !g.incomplete && g.hint === ''), 'a CRD that is not installed is a note: nothing was missed');
  t.same(run.report.errors, []);
  const llama = run.report.results.find((r) => r.name === 'llama-70b');
  t.ok(llama?.findings.some((f) => f.policy === 'image-pinned' && f.action === 'deny'), 'the :latest image is denied');
  t.ok(llama?.findings.some((f) => f.policy === 'gpu-count-matches-parallelism' && f.action === 'deny'), 'TP 4 on 2 GPUs is denied');
  t.equal(llama?.source, 'cluster:ml-serving/Deployment/llama-70b');
  t.equal(llama?.uid, '3f0c7f4e-0002-4c1a-9b1e-000000000002');
});

t.test('a 403 on one kind is a gap; the rest is still scanned and the owned Pods are checked instead', async (t) => {
  const lister = memoryLister(fixturePages(), {
    Deployment: new ListFailure('forbidden', 403, '403 deployments.apps is forbidden'),
    LeaderWorkerSet: new ListFailure('missing-api', 404, '404 the server could not find the requested resource'),
  });
  const run = await scanCluster(engine, lister, { pageSize: 500, now });
  const incomplete = run.gaps.filter((g) => g.incomplete);
  t.same(incomplete.map((g) => [g.kind, g.reason]), [['Deployment', 'forbidden']]);
  t.match(run.gaps.find((g) => g.kind === 'LeaderWorkerSet'), { reason: 'missing-api', incomplete: false, message: 'leaderworkerset.x-k8s.io/v1 LeaderWorkerSet: not served by this cluster' });
  t.match(incomplete[0]?.hint, /grant get and list on deployments\.apps cluster-wide/);
  t.equal(run.report.errors.length, 1, 'only the 403 makes the report incomplete');
  t.match(run.report.errors[0], { source: 'cluster:*/Deployment', message: /forbidden.*grant get and list/ });
  const names = run.report.results.map((r) => `${r.kind}/${r.name}`);
  t.ok(names.includes('ReplicaSet/llama-70b-7c9b6d5f8'), 'without their Deployment, ReplicaSets are checked');
  t.notOk(names.some((n) => n.startsWith('Pod/llama')), 'and their Pods are still covered by the ReplicaSet');
});

t.test('an unreachable API server stops the scan after the first call', async (t) => {
  const lister = memoryLister(fixturePages(), { CronJob: new ListFailure('unreachable', null, 'no answer from the API server (connect ECONNREFUSED 127.0.0.1:1)') });
  const run = await scanCluster(engine, lister, { pageSize: 500, now });
  t.equal(lister.calls.length, 1, 'no point asking for seven more kinds');
  const incomplete = run.gaps.filter((g) => g.incomplete);
  t.equal(incomplete.length, 1);
  t.match(incomplete[0], { kind: 'CronJob', reason: 'unreachable', hint: /server address in the kubeconfig/ });
  t.equal(run.stats.listed, 0);
});

t.test('a failure on page 2 keeps page 1 and says how far it got', async (t) => {
  const pages = fixturePages();
  const base = memoryLister(pages);
  let podCalls = 0;
  const lister = {
    list: async (...args: Parameters<typeof base.list>) => {
      if (args[0].kind === 'Pod' && ++podCalls === 2) throw new ListFailure('expired', 410, '410 The provided continue parameter is too old');
      return base.list(...args);
    },
  };
  const run = await scanCluster(engine, lister, { pageSize: 500, now });
  t.match(run.gaps.filter((g) => g.incomplete), [{ kind: 'Pod', reason: 'expired', listedBefore: 4, hint: /run the audit again/ }]);
  t.ok(run.report.results.some((r) => r.name === 'debug-vllm'), 'the bare pod of page 1 is reported');
});

t.test('-n lists one namespace; a LeaderWorkerSet covers the StatefulSets it owns', async (t) => {
  const pages = fixturePages();
  const lws: JsonObject = {
    metadata: { name: 'deepseek', namespace: 'research', uid: 'lws-1', labels: { team: 'frontier' } },
    spec: {
      replicas: 1,
      leaderWorkerTemplate: {
        size: 2,
        workerTemplate: {
          metadata: {},
          spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.8.5', args: ['--model', 'x/y', '--tensor-parallel-size', '8', '--pipeline-parallel-size', '2'] }] },
        },
      },
    },
  };
  const owned = { ...(pages.get('statefulsets')?.[0]?.items as JsonObject[])[0] };
  owned.metadata = { name: 'deepseek-0', namespace: 'research', uid: 'sts-lws', ownerReferences: [{ kind: 'LeaderWorkerSet', name: 'deepseek', uid: 'lws-1', controller: true }] };
  pages.set('leaderworkersets', [{ kind: 'LeaderWorkerSetList', metadata: {}, items: [lws] }]);
  pages.set('statefulsets', [{ kind: 'StatefulSetList', metadata: {}, items: [...((pages.get('statefulsets')?.[0]?.items as JsonObject[]) ?? []), owned] }]);
  const lister = memoryLister(pages);
  const progress: string[] = [];
  const run = await scanCluster(engine, lister, { namespace: 'research', pageSize: 100, now, onProgress: (p) => progress.push(`${p.kind}:${p.objects}:${p.namespaces}`) });
  t.ok(lister.calls.every((c) => c.request.namespace === 'research'));
  t.equal(run.scope, 'research');
  t.same(run.stats.namespaces, ['research']);
  t.same(
    run.report.results.map((r) => `${r.kind}/${r.name}@${r.team}`),
    ['LeaderWorkerSet/deepseek@frontier', 'Pod/debug-vllm@research', 'StatefulSet/mistral-7b@research'],
    'the LWS-owned StatefulSet is not reported twice',
  );
  t.equal(progress.at(-1), 'Pod:5:1', 'progress counts objects and namespaces');
});

t.test('KServe: an InferenceService is audited with the ServingRuntime of its namespace, as the pod KServe makes', async (t) => {
  const pair = parseDocuments(readFileSync(fileURLToPath(new URL('../fixtures/recognition/kserve-isvc-runtime-tp-too-few-gpus.yaml', import.meta.url)), 'utf8')).map((d) => d.value as JsonObject);
  const page = (items: JsonObject[]) => [{ metadata: {}, items }];
  const pages = new Map([['inferenceservices', page([pair[1]!])], ['servingruntimes', page([pair[0]!])], ['clusterservingruntimes', page([])]]);
  const run = await scanCluster(engine, memoryLister(pages), { pageSize: 500, now });
  const isvc = run.report.results.find((r) => r.kind === 'InferenceService');
  t.match(isvc?.findings.find((f) => f.policy === 'gpu-count-matches-parallelism'), { action: 'deny', message: /needs an accelerator count of 2, but InferenceService qwen-chat has 1/ });
  t.same(isvc?.findings.filter((f) => f.outcome === 'unknown').map((f) => f.policy), [], 'image, command and probes from the runtime');
  // OME's runtimes (ome.io) share the kind names and are not served here: only KServe's must be complete.
  t.equal(run.gaps.filter((g) => (g.kind === 'ServingRuntime' || g.kind === 'ClusterServingRuntime') && !g.message.includes('ome.io')).length, 0);
  t.ok(run.gaps.filter((g) => g.kind === 'ServingRuntime' || g.kind === 'ClusterServingRuntime').every((g) => !g.incomplete), 'OME runtimes not served: a note, nothing missed');
  // An audit of one namespace lists no cluster-scoped kind: its RBAC may not allow it.
  const lister = memoryLister(pages);
  const one = await scanCluster(engine, lister, { pageSize: 500, now, namespace: 'llm' });
  t.notOk(lister.calls.some((c) => c.kind === 'ClusterServingRuntime'), 'ClusterServingRuntimes are not listed in a -n audit');
  t.match(one.report.results.find((r) => r.kind === 'InferenceService')?.findings.find((f) => f.policy === 'gpu-count-matches-parallelism'), { action: 'deny' });
  t.equal(one.report.errors.length, 0, 'the audit stays complete');
});
