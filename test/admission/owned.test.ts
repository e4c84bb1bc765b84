// Controller-made children (issue 10, shared/cases/admission/): only the identity that really creates a
// child from a reviewed parent passes it as owned; the cases' verdicts are in test/fixtures/cases/README.md.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decideAdmission } from '../../src/admission/handler.js';
import { controllerMadeChild } from '../../src/admission/owned.js';
import { parseAdmissionReview, type AdmissionRequest } from '../../src/admission/review.js';
import { loadEngine } from '../../src/load-engine.js';

const CASES = fileURLToPath(new URL('../fixtures/cases/admission/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/admission/', import.meta.url));

function requestOf(file: string): AdmissionRequest {
  const parsed = parseAdmissionReview(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error.message}`);
  return parsed.review.request;
}

const loaded = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });
const ctx = { engine: loaded.engine, settings: loaded.config.server };
const reviewed = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'LeaderWorkerSet']);

t.test('the StatefulSet the LeaderWorkerSet controller makes from a reviewed group passes as owned', async (t) => {
  const request = requestOf(`${CASES}lws-controller-leader-statefulset.json`);
  t.equal(controllerMadeChild(request, reviewed), 'LeaderWorkerSet');
  const outcome = decideAdmission(request, ctx);
  t.equal(outcome.response.allowed, true, 'allowed: it belongs to a group that was already reviewed');
  t.same([outcome.decision, outcome.skipReason], ['skip', 'owned-child']);
});

t.test('a Pod with a ReplicaSet owner from any other kube-system account is reviewed', async (t) => {
  const request = requestOf(`${CASES}owned-pod-by-any-kube-system-sa.json`);
  t.equal(controllerMadeChild(request, reviewed), undefined);
  const outcome = decideAdmission(request, ctx);
  t.not(outcome.decision, 'skip', 'reviewed, not skipped');
  t.equal(outcome.response.allowed, false, 'and denied on its own findings (TP 4 on 2 GPUs, :latest)');
});

t.test('the replicaset-controller still passes the Pods of a reviewed ReplicaSet; a forged owner does not', async (t) => {
  t.equal(controllerMadeChild(requestOf(`${FIXTURES}pod-owned-by-replicaset.json`), reviewed), 'ReplicaSet');
  t.equal(controllerMadeChild(requestOf(`${FIXTURES}pod-forged-owner.json`), reviewed), undefined);
});

t.test('a controller may pass only the child kind it creates, from a parent kind vllm-guard reviews', async (t) => {
  const base = requestOf(`${FIXTURES}pod-owned-by-replicaset.json`);
  const withOwner = (kind: string, apiVersion: string, username: string, child = { group: '', version: 'v1', kind: 'Pod' }): AdmissionRequest => ({
    ...base,
    kind: child,
    username,
    object: { metadata: { ownerReferences: [{ apiVersion, kind, name: 'p', uid: 'u', controller: true }] } },
  });
  t.equal(controllerMadeChild(withOwner('ReplicaSet', 'apps/v1', 'system:serviceaccount:kube-system:deployment-controller'), reviewed), undefined, 'the deployment controller makes ReplicaSets, not Pods');
  t.equal(
    controllerMadeChild(withOwner('Deployment', 'apps/v1', 'system:serviceaccount:kube-system:deployment-controller', { group: 'apps', version: 'v1', kind: 'ReplicaSet' }), reviewed),
    'Deployment',
    'a ReplicaSet of a reviewed Deployment is never judged as a standalone workload',
  );
  t.equal(controllerMadeChild(withOwner('RayCluster', 'ray.io/v1', 'system:serviceaccount:default:kuberay-operator'), reviewed), undefined, 'a parent the engine does not read yet keeps its children reviewed');
  t.equal(controllerMadeChild({ ...withOwner('ReplicaSet', 'apps/v1', 'system:serviceaccount:kube-system:replicaset-controller'), operation: 'UPDATE' }, reviewed), undefined, 'only CREATE');
});

t.test('a Pod KubeRay creates from a RayCluster passes as owned; the same Pod from a user is reviewed', async (t) => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'llm-worker-0', namespace: 'default',
      ownerReferences: [{ apiVersion: 'ray.io/v1', kind: 'RayCluster', name: 'llm', uid: 'u', controller: true }],
    },
    spec: { containers: [{ name: 'ray-worker', image: 'vllm/vllm-openai:latest', command: ['ray', 'start', '--address=llm-head:6379', '--block'], resources: { limits: { 'nvidia.com/gpu': 1 } } }] },
  };
  const request = (username: string): AdmissionRequest => ({
    uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' },
    namespace: 'default', name: 'llm-worker-0', operation: 'CREATE', userInfo: { username }, username, object: pod, oldObject: null,
  } as unknown as AdmissionRequest);
  const byOperator = decideAdmission(request('system:serviceaccount:default:kuberay-operator'), ctx);
  t.same([byOperator.decision, byOperator.skipReason], ['skip', 'owned-pod'], 'judged at its RayCluster');
  const byUser = decideAdmission(request('alice'), ctx);
  t.not(byUser.decision, 'skip', 'a user who writes the owner reference is reviewed');
});

t.test('kinds of one name from two APIs: a Deployment owned by OME\'s ome.io InferenceService is not KServe\'s child, even from the KServe controller', async (t) => {
  const { reviewedParentKinds, TEMPLATE_PATHS } = await import('../../src/engine/api.js');
  const parents = reviewedParentKinds(Object.keys(TEMPLATE_PATHS));
  t.ok(parents.has('ClusterServingRuntime') && parents.has('ModelServing'), 'OME runtimes and kthena ModelServing are reviewed parents');
  const deployment = (apiVersion: string): AdmissionRequest => ({
    uid: 'u1',
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    operation: 'CREATE',
    namespace: 'llm',
    name: 'qwen-engine',
    username: 'system:serviceaccount:kserve:kserve-controller-manager',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'qwen-engine', ownerReferences: [{ apiVersion, kind: 'InferenceService', name: 'qwen', uid: 'p1', controller: true }] } },
    oldObject: undefined,
    dryRun: false,
  });
  t.equal(controllerMadeChild(deployment('serving.kserve.io/v1beta1'), parents), 'InferenceService', 'KServe\'s own child passes');
  t.equal(controllerMadeChild(deployment('ome.io/v1beta1'), parents), undefined, 'the same kind name in ome.io is not KServe\'s parent: reviewed');
});
