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
