import t from 'tap';
import { createsChild, groupOf } from '../../../src/engine/knowledge/controllers.js';

const pod = { group: '', kind: 'Pod' };
const rs = { group: 'apps', kind: 'ReplicaSet' };
const sts = { group: 'apps', kind: 'StatefulSet' };
const lws = { group: 'leaderworkerset.x-k8s.io', kind: 'LeaderWorkerSet' };

t.test('only the identity that creates a child from that parent may pass it as owned', async (t) => {
  t.ok(createsChild('system:serviceaccount:kube-system:replicaset-controller', rs, pod));
  t.ok(createsChild('system:kube-controller-manager', rs, pod));
  t.ok(createsChild('system:serviceaccount:lws-system:lws-controller-manager', lws, sts), 'the LWS controller makes the group StatefulSets');
  t.notOk(createsChild('system:serviceaccount:kube-system:my-addon-operator', rs, pod), 'any other kube-system account is reviewed');
  t.notOk(createsChild('system:serviceaccount:kube-system:deployment-controller', rs, pod), 'the deployment controller makes ReplicaSets, not Pods');
  t.notOk(createsChild('system:serviceaccount:lws-system:lws-controller-manager', rs, pod));
  t.notOk(createsChild('alice@example.com', rs, pod));
});

t.test('installs elsewhere are added by config, never replacing the built-ins', async (t) => {
  const elsewhere = [{ username: 'system:serviceaccount:ray:kuberay-operator', creates: [{ parent: { group: 'ray.io', kind: 'RayCluster' }, child: pod }], source: 'config' }];
  t.ok(createsChild('system:serviceaccount:ray:kuberay-operator', { group: 'ray.io', kind: 'RayCluster' }, pod, elsewhere));
  t.ok(createsChild('system:serviceaccount:kube-system:statefulset-controller', sts, pod, elsewhere));
});

t.test('groupOf reads the API group of an apiVersion', async (t) => {
  t.equal(groupOf('apps/v1'), 'apps');
  t.equal(groupOf('v1'), '');
  t.equal(groupOf('leaderworkerset.x-k8s.io/v1'), 'leaderworkerset.x-k8s.io');
});
