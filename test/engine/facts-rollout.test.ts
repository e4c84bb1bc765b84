/**
 * Rollout facts as the controllers compute them: Deployment (deployment_util.go ResolveFenceposts:
 * 25%/25% by default, surge rounds up, unavailable down, both 0 → unavailable 1; an explicit null is
 * defaulted by the API server like an absent field), StatefulSet (one at a time, percent down, at
 * least 1), LeaderWorkerSet (maxSurge 0, maxUnavailable 1). Replicas default to 1 when absent; a value
 * that is not an integer (a Helm or envsubst placeholder) is unknown, never 1.
 */
import t from 'tap';
import { readRollout } from '../../src/engine/facts/rollout.js';

function facts(kind: string, spec: Record<string, unknown>) {
  return readRollout({ object: { kind, spec }, kind, podSpec: {}, acceleratorsPerReplica: 2, startupWindowSeconds: null, coldStartSeconds: null });
}

const rolling = (maxSurge: unknown, maxUnavailable: unknown) => ({ type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } });

const cases: { name: string; kind: string; spec: Record<string, unknown>; want: Record<string, unknown> }[] = [
  { name: 'Deployment defaults, no replicas', kind: 'Deployment', spec: {}, want: { replicas: 1, surgeReplicas: 1, unavailableReplicas: 0, surgeAccelerators: 2, allAtOnce: false } },
  { name: 'Deployment 4 replicas, defaults', kind: 'Deployment', spec: { replicas: 4 }, want: { surgeReplicas: 1, unavailableReplicas: 1, maxSurge: '25%', maxUnavailable: '25%' } },
  { name: 'Deployment 3 replicas, 50%/50%: surge up, unavailable down', kind: 'Deployment', spec: { replicas: 3, strategy: rolling('50%', '50%') }, want: { surgeReplicas: 2, unavailableReplicas: 1, allAtOnce: false } },
  { name: 'Deployment 2 replicas, 0%/0%: unavailable becomes 1', kind: 'Deployment', spec: { replicas: 2, strategy: rolling('0%', '0%') }, want: { surgeReplicas: 0, unavailableReplicas: 1, allAtOnce: false } },
  { name: 'Deployment 2 replicas, integers 0 and 2', kind: 'Deployment', spec: { replicas: 2, strategy: rolling(0, 2) }, want: { surgeReplicas: 0, unavailableReplicas: 2, allAtOnce: true, allAtOnceBecause: 'maxUnavailable 2' } },
  { name: 'Deployment Recreate, 3 replicas', kind: 'Deployment', spec: { replicas: 3, strategy: { type: 'Recreate' } }, want: { surgeReplicas: 0, unavailableReplicas: 3, allAtOnce: true, allAtOnceBecause: 'strategy Recreate' } },
  { name: 'Deployment Recreate, 1 replica: not "all at once" (nothing else could serve)', kind: 'Deployment', spec: { strategy: { type: 'Recreate' } }, want: { allAtOnce: false } },
  { name: 'Deployment maxSurge 200% (no upper bound for surge)', kind: 'Deployment', spec: { replicas: 3, strategy: rolling('200%', 0) }, want: { surgeReplicas: 6, surgeAccelerators: 12 } },
  { name: 'Deployment explicit nulls are defaulted to 25%', kind: 'Deployment', spec: { replicas: 4, strategy: rolling(null, null) }, want: { maxSurge: '25%', maxUnavailable: '25%', surgeReplicas: 1, unavailableReplicas: 1 } },
  { name: 'Deployment replicas placeholder: unknown, not 1', kind: 'Deployment', spec: { replicas: '{{ .Values.replicaCount }}', strategy: { type: 'Recreate' } }, want: { replicas: null, allAtOnce: null, surgeAccelerators: null } },
  { name: 'StatefulSet 3 replicas, defaults: one at a time', kind: 'StatefulSet', spec: { replicas: 3 }, want: { unavailableReplicas: 1, surgeReplicas: 0, allAtOnce: false, podManagementPolicy: 'OrderedReady' } },
  { name: 'StatefulSet 3 replicas, 10% rounds down to 0, then at least 1', kind: 'StatefulSet', spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } } }, want: { unavailableReplicas: 1 } },
  { name: 'StatefulSet 3 replicas, 100%', kind: 'StatefulSet', spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%' } } }, want: { unavailableReplicas: 3, allAtOnce: true } },
  { name: 'StatefulSet 100% with a partition keeps the pods below it', kind: 'StatefulSet', spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%', partition: 1 } } }, want: { partition: 1, allAtOnce: false } },
  { name: 'StatefulSet OnDelete: the controller replaces nothing', kind: 'StatefulSet', spec: { replicas: 3, updateStrategy: { type: 'OnDelete' } }, want: { strategy: 'OnDelete', allAtOnce: null } },
  { name: 'LeaderWorkerSet defaults', kind: 'LeaderWorkerSet', spec: { replicas: 2 }, want: { unit: 'group', surgeReplicas: 0, unavailableReplicas: 1, allAtOnce: false } },
  { name: 'LeaderWorkerSet 3 groups, maxSurge 50% rounds up', kind: 'LeaderWorkerSet', spec: { replicas: 3, rolloutStrategy: { type: 'RollingUpdate', rollingUpdateConfiguration: { maxSurge: '50%', maxUnavailable: 0 } } }, want: { surgeReplicas: 2, unavailableReplicas: 0 } },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.match(facts(c.kind, c.spec), c.want);
  });
}
