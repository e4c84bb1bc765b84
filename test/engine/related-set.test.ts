// The related set: what `check` and `audit` hand to every review of one input set or namespace.
import t from 'tap';
import { createRelatedSet, relatedOfKind, MAX_RELATED_PER_KIND } from '../../src/engine/api.js';

t.test('keeps the related kinds, ignores the rest, and matches namespaces as kubectl apply would', async (t) => {
  const set = createRelatedSet(
    [
      { kind: 'Service', metadata: { name: 'a', namespace: 'team-a' } },
      { kind: 'Service', metadata: { name: 'b' } },
      { kind: 'Service', metadata: { name: 'c', namespace: 'team-b' } },
      { kind: 'Deployment', metadata: { name: 'd' } },
      'not an object',
    ],
    { scope: 'the input set' },
  );
  t.same(relatedOfKind(set, 'Service', 'team-a').map((o) => (o.metadata as { name: string }).name), ['a', 'b']);
  t.same(relatedOfKind(set, 'Service', '').length, 3, 'a workload without a namespace sees every namespace');
  t.same(relatedOfKind(set, 'HorizontalPodAutoscaler', 'team-a'), []);
  t.equal(set.byKind.has('Deployment' as never), false);
});

t.test('a Secret keeps its key names only: no value reaches a review', async (t) => {
  const set = createRelatedSet([{ kind: 'Secret', metadata: { name: 'hf' }, data: { token: 'aGZfc2VjcmV0' }, stringData: { other: 'hf_plain' } }], { scope: 'x' });
  const [secret] = relatedOfKind(set, 'Secret', 'default');
  t.same(Object.keys(secret?.data as object).sort(), ['other', 'token']);
  t.notMatch(JSON.stringify(set.byKind.get('Secret')), /aGZfc2VjcmV0|hf_plain/);
});

t.test('beyond the per-kind bound the kind becomes a gap, and gaps given by the caller are kept', async (t) => {
  const many = Array.from({ length: MAX_RELATED_PER_KIND + 1 }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `c${i}` } }));
  const set = createRelatedSet(many, { scope: 'namespace big', gaps: [['ServiceMonitor', 'monitoring.coreos.com/v1 is not served']] });
  t.equal(set.byKind.get('ConfigMap')?.length, MAX_RELATED_PER_KIND);
  t.match(set.gaps.get('ConfigMap'), /more than 20000 ConfigMap objects in namespace big/);
  t.equal(set.gaps.get('ServiceMonitor'), 'monitoring.coreos.com/v1 is not served');
});

t.test('an object named again replaces the earlier one, as kubectl apply of both files leaves one', async (t) => {
  const svc = (name: string, namespace: string | undefined, port: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { ports: [{ port }] } });
  const set = createRelatedSet(
    [svc('vllm', 'a', 1), svc('vllm', 'b', 2), svc('other', 'a', 3), svc('vllm', 'a', 4), { kind: 'Service', metadata: { generateName: 'x-' } }, { kind: 'Service', metadata: { generateName: 'x-' } }],
    { scope: 'the input set' },
  );
  const services = set.byKind.get('Service') ?? [];
  t.equal(services.length, 5, 'vllm in a is kept once; unnamed objects are all kept');
  t.same(services.slice(0, 3).map((s) => [(s.metadata as { name: string }).name, ((s.spec as { ports: { port: number }[] }).ports[0] as { port: number }).port]), [['vllm', 4], ['vllm', 2], ['other', 3]], 'the last one applied, in the place of the first');
  const secrets = createRelatedSet([{ kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==' } }, { kind: 'Secret', metadata: { name: 's' }, data: { b: 'eA==' } }], { scope: 'x' });
  t.same(secrets.byKind.get('Secret')?.map((s) => s.data), [{ b: '' }], 'a Secret named again keeps only its key names too');
});
