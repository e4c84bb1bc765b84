import t from 'tap';
import { extractWorkload, TEMPLATE_PATHS } from '../../src/engine/workload/extract.js';

const podSpec = { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.8.5' }] };
const template = { metadata: { labels: { app: 'x' } }, spec: podSpec };

const cases: { kind: string; object: Record<string, unknown>; want: { path: string; specPath: string; role: string; groupSize: number }[] }[] = [
  { kind: 'Pod', object: { spec: podSpec }, want: [{ path: '', specPath: 'spec', role: 'pod', groupSize: 1 }] },
  ...['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'ReplicationController'].map((kind) => ({
    kind,
    object: { spec: { replicas: 1, template } },
    want: [{ path: 'spec.template', specPath: 'spec.template.spec', role: 'pod', groupSize: 1 }],
  })),
  {
    kind: 'CronJob',
    object: { spec: { schedule: '@daily', jobTemplate: { spec: { template } } } },
    want: [{ path: 'spec.jobTemplate.spec.template', specPath: 'spec.jobTemplate.spec.template.spec', role: 'pod', groupSize: 1 }],
  },
  {
    kind: 'LeaderWorkerSet',
    object: { spec: { leaderWorkerTemplate: { size: 2, leaderTemplate: template, workerTemplate: template } } },
    want: [
      { path: 'spec.leaderWorkerTemplate.leaderTemplate', specPath: 'spec.leaderWorkerTemplate.leaderTemplate.spec', role: 'leader', groupSize: 2 },
      { path: 'spec.leaderWorkerTemplate.workerTemplate', specPath: 'spec.leaderWorkerTemplate.workerTemplate.spec', role: 'worker', groupSize: 2 },
    ],
  },
  {
    kind: 'LeaderWorkerSet',
    object: { spec: { leaderWorkerTemplate: { size: 4, workerTemplate: template } } },
    want: [{ path: 'spec.leaderWorkerTemplate.workerTemplate', specPath: 'spec.leaderWorkerTemplate.workerTemplate.spec', role: 'worker', groupSize: 4 }],
  },
];

t.test('every kind yields its pod templates with their paths', async (t) => {
  for (const c of cases) {
    const w = extractWorkload({ apiVersion: 'v1', kind: c.kind, metadata: { name: 'm', namespace: 'ns', labels: { a: 'b' } }, ...c.object });
    t.equal(w.skipped, undefined, `${c.kind} is not skipped`);
    t.same(
      w.templates.map((x) => ({ path: x.path, specPath: x.specPath, role: x.role, groupSize: x.groupSize })),
      c.want,
      `${c.kind} templates`,
    );
    t.equal(w.templates[0]?.spec, podSpec, `${c.kind} spec is the object's own (not a copy)`);
    t.same([w.name, w.namespace, w.labels], ['m', 'ns', { a: 'b' }]);
  }
});

t.test('every kind in the table is covered by the cases above', async (t) => {
  t.same(new Set(Object.keys(TEMPLATE_PATHS)), new Set(cases.map((c) => c.kind)));
});

t.test('unknown kinds and malformed objects are skipped with a reason, never thrown', async (t) => {
  const skipped: [unknown, RegExp][] = [
    [{ kind: 'ConfigMap', metadata: { name: 'c' } }, /kind ConfigMap creates no pods/],
    [{ metadata: { name: 'x' } }, /has no kind/],
    ['a string', /not an object/],
    [null, /not an object/],
    [[1, 2], /not an object/],
    [{ kind: 'Deployment', metadata: { name: 'd' } }, /Deployment has no pod spec at spec\.template\.spec/],
    [{ kind: 'Deployment', spec: { template: 'nope' } }, /no pod spec/],
    [{ kind: 'LeaderWorkerSet', spec: { leaderWorkerTemplate: {} } }, /leaderTemplate\.spec or .*workerTemplate\.spec/],
    [{ kind: 'toString', metadata: {} }, /kind toString creates no pods/],
  ];
  for (const [object, reason] of skipped) {
    const w = extractWorkload(object);
    t.match(w.skipped, reason, JSON.stringify(object));
    t.same(w.templates, []);
  }
});

t.test('metadata with wrong types does not leak into labels', async (t) => {
  const w = extractWorkload({ kind: 'Pod', metadata: { name: 5, labels: { ok: 'y', bad: 3 }, annotations: 'x' }, spec: podSpec });
  t.equal(w.name, '');
  t.same(w.labels, { ok: 'y' });
  t.same(w.annotations, {});
});

t.test('a LeaderWorkerSet with a bad size is one pod per group', async (t) => {
  const w = extractWorkload({ kind: 'LeaderWorkerSet', spec: { leaderWorkerTemplate: { size: 'two', workerTemplate: template } } });
  t.equal(w.templates[0]?.groupSize, 1);
});
