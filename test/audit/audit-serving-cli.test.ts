// `vllm-guard audit` and the serving CRDs against the HTTPS STAND-IN for the kube-apiserver
// (kube-stand-in.ts): a cluster with KServe and KubeRay, one without them, one that refuses a list,
// one that refuses API discovery. What is checked is what a user sees: the report, stderr, the exit status.
import t from 'tap';
import { auditCli, kubeconfigFor } from './helpers.js';
import { SERVING_FIXTURES, startKubeStandIn } from './kube-stand-in.js';
import { AUDIT_KINDS } from '../../src/audit/kinds.js';

interface JsonReport {
  results: { source: string; kind: string; findings: { policy: string; action: string }[] }[];
  errors: { source: string; message: string }[];
  summary: Record<string, number>;
}

const CRDS = AUDIT_KINDS.filter((k) => k.optional);

t.test('a cluster serving KServe and KubeRay: the InferenceService and the RayCluster are audited', async (t) => {
  const standIn = await startKubeStandIn({ fixtureDirs: [SERVING_FIXTURES] });
  t.teardown(() => standIn.close());
  const run = await auditCli(['--kubeconfig', kubeconfigFor(standIn, t.testdir({})), '-o', 'json']);
  t.equal(run.code, 1, 'complete; the :latest image in the RayCluster is denied');
  const report = JSON.parse(run.stdout) as JsonReport;
  const isvc = report.results.find((r) => r.source === 'cluster:llm/InferenceService/huggingface-llama3');
  const ray = report.results.find((r) => r.source === 'cluster:llm/RayCluster/qwen-coder-7b-instruct');
  t.ok(isvc?.findings.some((f) => f.policy === 'gpu-taint-toleration'), 'the InferenceService with its findings');
  t.ok(ray?.findings.some((f) => f.policy === 'image-pinned' && f.action === 'deny'), 'the RayCluster with its deny');
  t.match(report.summary, { resources: 10, vllm: 8 }, 'the 8 built-in workloads and the two CRDs');
  t.notMatch(run.stderr, / (InferenceService|RayCluster): not served/, 'the two served kinds have no note');
  t.match(run.stderr, /^note: ray\.io\/v1 RayService: not served by this cluster$/m, 'ray.io is served, but not RayService');
  t.match(run.stderr, /^note: orchestration\.aibrix\.ai\/v1alpha1 StormService: not served by this cluster$/m);
  t.match(run.stderr, /audit of all namespaces: 19 objects listed in 6 namespaces, 10 workloads reviewed, 8 vLLM;.*complete;/);
  const paths = standIn.requests.map((r) => r.path);
  t.ok(paths.includes('/apis/serving.kserve.io/v1beta1/inferenceservices') && paths.includes('/apis/ray.io/v1/rayclusters'));
  t.notOk(paths.some((p) => p.startsWith('/apis/orchestration.aibrix.ai/')), 'a group discovery does not list is not asked for');
});

t.test('a cluster without the KServe API: one note per kind, the audit complete', async (t) => {
  const standIn = await startKubeStandIn({ missingGroups: ['serving.kserve.io/v1beta1'] });
  t.teardown(() => standIn.close());
  const run = await auditCli(['--kubeconfig', kubeconfigFor(standIn, t.testdir({})), '-o', 'json']);
  t.equal(run.code, 1, 'not incomplete: something would be denied, nothing was missed');
  // The optional CRDs around vLLM workloads (KEDA, monitors, routes, pools) have notes of their own.
  const notes = run.stderr.split('\n').filter((line) => line.startsWith('note: ') && !/ (ScaledObject|ServiceMonitor|PodMonitor|PodMonitoring|ClusterPodMonitoring|HTTPRoute|InferencePool):/.test(line));
  t.same(
    notes.filter((line) => line.includes('serving.kserve.io')),
    [
      'note: serving.kserve.io/v1beta1 InferenceService: not served by this cluster',
      'note: serving.kserve.io/v1alpha1 ServingRuntime: not served by this cluster',
      'note: serving.kserve.io/v1alpha1 ClusterServingRuntime: not served by this cluster',
      'note: serving.kserve.io/v1alpha2 LLMInferenceService: not served by this cluster (nor v1alpha1)',
      'note: serving.kserve.io/v1alpha2 LLMInferenceServiceConfig: not served by this cluster (nor v1alpha1)',
    ],
  );
  t.equal(notes.length, CRDS.length, 'one line for each CRD the audit knows, LeaderWorkerSet included');
  t.same(JSON.parse(run.stdout).errors, [], 'the report has no errors');
  t.notOk(standIn.requests.some((r) => r.path.includes('kserve')), 'no list is sent for an API that is not served');
});

t.test('a refused list of a served CRD: a gap naming the RBAC to grant, exit 2', async (t) => {
  const standIn = await startKubeStandIn({ fixtureDirs: [SERVING_FIXTURES], forbidden: ['rayclusters'] });
  t.teardown(() => standIn.close());
  const run = await auditCli(['--kubeconfig', kubeconfigFor(standIn, t.testdir({})), '-o', 'json']);
  t.equal(run.code, 2, 'the audit is incomplete');
  t.match(run.stderr, /^gap: cannot list RayCluster cluster-wide: 403 rayclusters\.ray\.io is forbidden: User "system:serviceaccount:ci:auditor" cannot list resource "rayclusters" in API group "ray\.io" at the cluster scope\n {2}grant get and list on rayclusters\.ray\.io cluster-wide/m);
  t.match(run.stderr, /INCOMPLETE \(1 gap\)/);
  const report = JSON.parse(run.stdout) as JsonReport;
  t.match(report.errors, [{ source: 'cluster:*/RayCluster', message: /forbidden/ }]);
  t.ok(report.results.some((r) => r.kind === 'InferenceService'), 'the rest is still audited');
});

t.test('API discovery refused: every CRD is asked for once per version, a 404 is "not served"', async (t) => {
  const standIn = await startKubeStandIn({ refuseDiscovery: true });
  t.teardown(() => standIn.close());
  const run = await auditCli(['--kubeconfig', kubeconfigFor(standIn, t.testdir({})), '-o', 'json']);
  t.equal(run.code, 1, 'complete');
  t.match(run.stderr, /^note: serving\.kserve\.io\/v1beta1 InferenceService: not served by this cluster$/m);
  const crdLists = standIn.requests.filter((r) => r.path !== '/apis' && CRDS.some((k) => r.path.includes(`/${k.plural}`) && r.path.includes(k.group)));
  t.equal(crdLists.length, CRDS.reduce((n, k) => n + k.apiVersions.length, 0), 'one list per version of each CRD');
});
