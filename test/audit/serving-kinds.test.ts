// The audit and the serving CRDs (KServe, KubeRay, AIBrix, Argo Rollouts, OpenKruise, JobSet, KAITO):
// listed when their API is served, a note when it is not, a gap when the list is refused, cluster-scoped
// kinds kept out of a one-namespace audit; the kind list is the engine's own.
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ListFailure } from '../../src/audit/lister.js';
import { AUDIT_KINDS, auditKind } from '../../src/audit/kinds.js';
import { scanCluster } from '../../src/audit/scanner.js';
import { reviewedParentKinds, SERVING_KINDS, TEMPLATE_PATHS } from '../../src/engine/api.js';
import type { JsonObject } from '../../src/engine/types.js';
import { FIXTURES, fixturePages, loadEngine, memoryLister } from './helpers.js';

const engine = loadEngine();
const now = new Date('2026-01-15T10:00:00Z');

/** The fixtures plus an InferenceService and a RayCluster, and a Pod the RayCluster's controller made. */
function servingPages(): Map<string, JsonObject[]> {
  const pages = fixturePages();
  for (const plural of ['inferenceservices', 'rayclusters']) {
    pages.set(plural, [JSON.parse(readFileSync(path.join(FIXTURES, 'serving', `${plural}.page1.json`), 'utf8')) as JsonObject]);
  }
  const ray = ((pages.get('rayclusters')?.[0] as JsonObject).items as JsonObject[])[0] as JsonObject;
  const head: JsonObject = {
    metadata: { name: 'qwen-coder-7b-instruct-head-x7k2p', namespace: 'llm', uid: 'pod-ray-head', ownerReferences: [{ apiVersion: 'ray.io/v1', kind: 'RayCluster', name: 'qwen-coder-7b-instruct', uid: (ray.metadata as JsonObject).uid, controller: true }] },
    spec: { containers: [{ name: 'ray-head', image: 'vllm/vllm-openai:latest', command: ['vllm', 'serve', 'Qwen/Qwen2.5-Coder-7B-Instruct'] }] },
    status: { phase: 'Running' },
  };
  const podPages = pages.get('pods') as JsonObject[];
  const last = podPages.at(-1) as JsonObject;
  podPages[podPages.length - 1] = { ...last, items: [...(last.items as JsonObject[]), head] };
  return pages;
}

t.test('the audit lists every kind the engine reviews, the serving CRDs from the engine table', async (t) => {
  const listed = new Set(AUDIT_KINDS.map((k) => k.kind));
  for (const kind of reviewedParentKinds(Object.keys(TEMPLATE_PATHS))) t.ok(listed.has(kind), `${kind} is listed`);
  t.ok(listed.has('Pod'), 'bare Pods too');
  for (const serving of SERVING_KINDS) {
    t.match(auditKind(serving.kind, serving.group), { group: serving.group, plural: serving.resource, namespaced: serving.namespaced, optional: true }, `${serving.kind} as the engine knows it`);
  }
  t.same(auditKind('LLMInferenceService').apiVersions, ['serving.kserve.io/v1alpha2', 'serving.kserve.io/v1alpha1'], 'the newest version first');
  const order = AUDIT_KINDS.map((k) => k.kind);
  t.ok(order.indexOf('InferenceService') < order.indexOf('Deployment') && order.indexOf('RayCluster') < order.indexOf('Pod'), 'owners before what they own');
});

t.test('a cluster serving KServe and KubeRay: the InferenceService and the RayCluster are reported with their findings', async (t) => {
  const lister = memoryLister(servingPages());
  const run = await scanCluster(engine, lister, { pageSize: 500, now });
  const isvc = run.report.results.find((r) => r.kind === 'InferenceService');
  const ray = run.report.results.find((r) => r.kind === 'RayCluster');
  t.match(isvc, { source: 'cluster:llm/InferenceService/huggingface-llama3', apiVersion: 'serving.kserve.io/v1beta1', vllm: true, team: 'llm-platform' });
  t.ok(isvc?.findings.some((f) => f.policy === 'gpu-taint-toleration'), 'the predictor is checked');
  t.match(ray, { source: 'cluster:llm/RayCluster/qwen-coder-7b-instruct', apiVersion: 'ray.io/v1', vllm: true, team: 'llm' });
  t.ok(ray?.findings.some((f) => f.policy === 'image-pinned' && f.action === 'deny'), 'vllm/vllm-openai:latest in the head group is denied');
  t.notOk(run.report.results.some((r) => r.name.startsWith('qwen-coder-7b-instruct-head')), 'the Pod the RayCluster made is passed over: its parent was checked');
  t.same(
    lister.calls.filter((c) => c.kind === 'InferenceService' || c.kind === 'RayCluster').map((c) => `${c.apiVersion} ${c.kind}`),
    ['serving.kserve.io/v1beta1 InferenceService', 'ray.io/v1 RayCluster'],
  );
  t.notOk(lister.calls.some((c) => c.kind === 'StormService' || c.kind === 'Rollout'), 'groups discovery does not list are not asked for');
  t.ok(lister.calls.some((c) => c.kind === 'RayService'), 'a served group is asked for each of its kinds');
  t.ok(run.gaps.some((g) => g.message === 'ray.io/v1 RayService: not served by this cluster'), 'ray.io without RayService (a 404): a note for that kind');
  t.notOk(run.gaps.some((g) => g.incomplete), 'complete');
});

t.test('without discovery, a 404 on every version means not served', async (t) => {
  const lister = memoryLister(fixturePages(), {}, { discovery: false });
  const run = await scanCluster(engine, lister, { pageSize: 500, now });
  t.same(
    lister.calls.filter((c) => c.kind === 'LLMInferenceService').map((c) => c.apiVersion),
    ['serving.kserve.io/v1alpha2', 'serving.kserve.io/v1alpha1'],
    'each version is tried',
  );
  t.match(run.gaps.find((g) => g.kind === 'LLMInferenceService'), { message: 'serving.kserve.io/v1alpha2 LLMInferenceService: not served by this cluster (nor v1alpha1)', status: 404, incomplete: false });
  t.match(run.gaps.find((g) => g.kind === 'InferenceService'), { message: 'serving.kserve.io/v1beta1 InferenceService: not served by this cluster' });
  t.equal(run.report.summary.resources, 8, 'the built-in kinds are all reviewed');
});

t.test('a CRD is listed at the version the cluster serves', async (t) => {
  const pages = fixturePages();
  pages.set('llminferenceservices', [{ kind: 'LLMInferenceServiceList', metadata: {}, items: [] }]);
  const base = memoryLister(pages);
  const lister = { ...base, servedApiVersions: async () => new Set(['v1', 'apps/v1', 'batch/v1', 'serving.kserve.io/v1alpha1']) };
  await scanCluster(engine, lister, { pageSize: 500, now });
  t.same(base.calls.filter((c) => c.kind.startsWith('LLMInferenceService')).map((c) => `${c.apiVersion} ${c.kind}`), ['serving.kserve.io/v1alpha1 LLMInferenceService', 'serving.kserve.io/v1alpha1 LLMInferenceServiceConfig']);
});

t.test('a refused list of a served CRD is a gap with the RBAC to grant', async (t) => {
  const lister = memoryLister(servingPages(), { RayCluster: new ListFailure('forbidden', 403, '403 rayclusters.ray.io is forbidden') });
  const run = await scanCluster(engine, lister, { pageSize: 500, now });
  const gaps = run.gaps.filter((g) => g.incomplete);
  t.match(gaps, [{ kind: 'RayCluster', reason: 'forbidden', hint: /grant get and list on rayclusters\.ray\.io cluster-wide/ }]);
  t.match(run.report.errors, [{ source: 'cluster:*/RayCluster' }]);
  t.ok(run.report.results.some((r) => r.name.startsWith('qwen-coder-7b-instruct-head')), 'without its RayCluster, the Pod it made is checked on its own');
});

t.test('a cluster-scoped kind: listed cluster-wide, left out of a one-namespace audit with a note', async (t) => {
  const pages = fixturePages();
  const runtime: JsonObject = {
    metadata: { name: 'kserve-vllm', uid: 'csr-1' },
    spec: { supportedModelFormats: [{ name: 'huggingface' }], containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:latest', args: ['--model', '{{.Name}}'] }] },
  };
  pages.set('clusterservingruntimes', [{ kind: 'ClusterServingRuntimeList', metadata: {}, items: [runtime] }]);
  const all = memoryLister(pages);
  const run = await scanCluster(engine, all, { pageSize: 500, now });
  // Listed cluster-wide, once as a workload and once as a related kind (the runtime an InferenceService
  // names): never once per namespace.
  t.same(all.calls.filter((c) => c.kind === 'ClusterServingRuntime').map((c) => c.request.namespace), [null, null]);
  t.match(run.report.results.find((r) => r.kind === 'ClusterServingRuntime'), { name: 'kserve-vllm', namespace: '', vllm: true });

  const one = memoryLister(pages);
  const scoped = await scanCluster(engine, one, { namespace: 'research', pageSize: 500, now });
  t.notOk(one.calls.some((c) => c.kind === 'ClusterServingRuntime'));
  t.match(scoped.gaps.find((g) => g.kind === 'ClusterServingRuntime'), {
    reason: 'out-of-scope',
    incomplete: false,
    message: 'serving.kserve.io/v1alpha1 ClusterServingRuntime is cluster-scoped: not listed in an audit of namespace research',
    hint: 'audit without -n to list clusterservingruntimes.serving.kserve.io',
  });
});

t.test('a parent without a pod template (a KAITO preset Workspace) does not cover the Deployment its controller made', async (t) => {
  const pages = fixturePages();
  const workspace: JsonObject = { metadata: { name: 'workspace-phi-4-mini', namespace: 'kaito', uid: 'ws-1' }, resource: { instanceType: 'Standard_NC24ads_A100_v4' }, inference: { preset: { name: 'phi-4-mini-instruct' } } };
  pages.set('workspaces', [{ kind: 'WorkspaceList', metadata: {}, items: [workspace] }]);
  const deployment: JsonObject = {
    metadata: { name: 'workspace-phi-4-mini', namespace: 'kaito', uid: 'dep-ws-1', ownerReferences: [{ apiVersion: 'kaito.sh/v1beta1', kind: 'Workspace', name: 'workspace-phi-4-mini', uid: 'ws-1', controller: true }] },
    spec: { template: { spec: { containers: [{ name: 'phi', image: 'mcr.microsoft.com/aks/kaito/kaito-base:0.4.2', command: ['/bin/sh', '-c', 'python3 /workspace/vllm/inference_api.py --model=microsoft/phi-4-mini-instruct --tensor-parallel-size=2'] }] } } },
  };
  const deploymentPages = pages.get('deployments') as JsonObject[];
  deploymentPages[0] = { ...deploymentPages[0], items: [...((deploymentPages[0] as JsonObject).items as JsonObject[]), deployment] };
  const run = await scanCluster(engine, memoryLister(pages), { pageSize: 500, now });
  t.match(run.report.results.find((r) => r.kind === 'Deployment' && r.name === 'workspace-phi-4-mini'), { vllm: true }, 'the KAITO Deployment is reviewed by its wrapper command');
  t.notOk(run.report.results.some((r) => r.kind === 'Workspace'), 'the preset Workspace itself has nothing to report');
});

t.test('KServe and OME ClusterServingRuntimes of one name are two objects: both listed, both reviewed, both kept by the background index', async (t) => {
  const { createWorkloadIndex } = await import('../../src/audit/workload-index.js');
  const { parse } = await import('yaml');
  const ome = parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/kinds/ome-clusterservingruntime.yaml'), 'utf8')) as JsonObject;
  const kserve: JsonObject = {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ClusterServingRuntime',
    metadata: { name: 'vllm-deepseek-v4-flash', uid: 'kserve-1' },
    spec: { supportedModelFormats: [{ name: 'huggingface' }], containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.9.0', args: ['--model', '{{.Name}}'] }] },
  };
  t.same(AUDIT_KINDS.filter((k) => k.kind === 'ClusterServingRuntime').map((k) => k.resource), ['clusterservingruntimes.serving.kserve.io', 'clusterservingruntimes.ome.io']);
  t.equal(auditKind('ClusterServingRuntime', 'ome.io').apiVersion, 'ome.io/v1beta1');
  const index = createWorkloadIndex('team');
  index.apply(engine, 'ADDED', kserve, now);
  index.apply(engine, 'ADDED', { ...ome, metadata: { ...(ome.metadata as JsonObject), uid: 'ome-1' } }, now);
  t.same([...index.results()].map((r) => [r.apiVersion, r.kind, r.name, r.vllm]).sort(), [
    ['ome.io/v1beta1', 'ClusterServingRuntime', 'vllm-deepseek-v4-flash', true],
    ['serving.kserve.io/v1alpha1', 'ClusterServingRuntime', 'vllm-deepseek-v4-flash', true],
  ], 'was one entry: the second overwrote the first under ClusterServingRuntime/vllm-deepseek-v4-flash');
  index.apply(engine, 'DELETED', kserve, now);
  t.same([...index.results()].map((r) => r.apiVersion), ['ome.io/v1beta1'], 'deleting KServe\'s leaves OME\'s');
});
