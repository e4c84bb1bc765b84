/**
 * Rollout facts of a workload: how an update replaces its replicas (surge, unavailability, all at
 * once), the accelerators a surge needs, the Deployment progress deadline against the startup
 * budget, and the termination grace period. Domain rules, with their sources:
 * - Deployment (kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go,
 *   ResolveFenceposts): strategy RollingUpdate by default, maxSurge and maxUnavailable 25% each;
 *   a percentage of replicas rounds up for maxSurge and down for maxUnavailable; when both resolve
 *   to 0, maxUnavailable is 1. Recreate stops every old pod first. progressDeadlineSeconds
 *   defaults to 600 (Deployment API reference).
 * - StatefulSet (pkg/controller/statefulset/stateful_set_control.go, getStatefulSetMaxUnavailable):
 *   updateStrategy RollingUpdate by default, one pod at a time; rollingUpdate.maxUnavailable
 *   (honoured where the MaxUnavailableStatefulSet feature gate is on) rounds down, at least 1;
 *   pods below `partition` are not updated. podManagementPolicy affects scaling, not updates
 *   (kubernetes.io/docs/concepts/workloads/controllers/statefulset/#parallel-pod-management).
 * - LeaderWorkerSet (kubernetes-sigs/lws api/leaderworkerset/v1/leaderworkerset_types.go,
 *   RollingUpdateConfiguration): maxUnavailable 1 (percent rounds down), maxSurge 0 (percent
 *   rounds up), partition 0; each replica is a whole group.
 * - terminationGracePeriodSeconds defaults to 30 (Pod API reference, PodSpec).
 */
import { isObject, numberAt, objectAt, stringAt } from '../util/json.js';
import type { JsonObject } from '../types.js';

/** The rollout facts (policies/facts.schema.json `rollout`). */
export interface RolloutFacts {
  /** Replicas (pods, or groups for a LeaderWorkerSet) as written, 1 when absent; null for kinds without replicas. */
  replicas: number | null;
  /** `pod` or `group` (LeaderWorkerSet): what one replica is. */
  unit: 'pod' | 'group';
  /** Deployment strategy.type, StatefulSet updateStrategy.type or LWS rolloutStrategy.type, defaults applied. */
  strategy: string | null;
  /** Dotted path of the strategy field in the object, for findings. */
  strategyPath: string | null;
  /** maxSurge / maxUnavailable as written (or the default), as text: `25%`, `1`. */
  maxSurge: string | null;
  maxUnavailable: string | null;
  /** Replicas added above `replicas` during an update (resolved against replicas). */
  surgeReplicas: number | null;
  /** Replicas that may be down at once during an update (resolved against replicas). */
  unavailableReplicas: number | null;
  /** Accelerators one replica holds: the pod's containers, or the whole LWS group. */
  acceleratorsPerReplica: number;
  /** surgeReplicas × acceleratorsPerReplica: spare accelerators an update needs. */
  surgeAccelerators: number | null;
  /** LWS / StatefulSet partition (0 when absent). */
  partition: number | null;
  podManagementPolicy: string | null;
  /** True when an update takes every replica (at least 2) down together. */
  allAtOnce: boolean | null;
  /** Why allAtOnce holds, in the manifest's words (`strategy Recreate`, `maxUnavailable 100%`). */
  allAtOnceBecause: string | null;
  /** Deployment progressDeadlineSeconds with the default (600) applied; null for other kinds. */
  progressDeadlineSeconds: number | null;
  /** Time a new pod may take to start: the startup probe's window, else the cold-start-seconds annotation. */
  startupBudgetSeconds: number | null;
  startupBudgetFrom: string | null;
  /** terminationGracePeriodSeconds with the default (30) applied. */
  terminationGracePeriodSeconds: number;
}

/**
 * An int-or-percent field resolved against `total` (Kubernetes intstr.GetScaledValueFromIntOrPercent):
 * an integer as is, `N%` of total rounded up or down; null for anything the API would refuse.
 */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^(\d{1,3})%$/.exec(value);
  if (!m) return null;
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

function textOf(value: unknown): string | null {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : null;
}

function intAt(object: unknown, key: string): number | null {
  const n = numberAt(object, key);
  return n !== undefined && Number.isInteger(n) ? n : null;
}

interface Update {
  strategy: string | null;
  strategyPath: string | null;
  maxSurge: unknown;
  maxUnavailable: unknown;
  surgeReplicas: number | null;
  unavailableReplicas: number | null;
  partition: number | null;
  because: string | null;
}

const NO_UPDATE: Update = { strategy: null, strategyPath: null, maxSurge: null, maxUnavailable: null, surgeReplicas: null, unavailableReplicas: null, partition: null, because: null };

function deploymentUpdate(spec: JsonObject | undefined, replicas: number): Update {
  const strategy = objectAt(spec, 'strategy');
  const type = stringAt(strategy, 'type') ?? 'RollingUpdate';
  if (type === 'Recreate') {
    return { ...NO_UPDATE, strategy: type, strategyPath: 'spec.strategy', surgeReplicas: 0, unavailableReplicas: replicas, because: 'strategy Recreate' };
  }
  const rolling = objectAt(strategy, 'rollingUpdate');
  const maxSurge = rolling && 'maxSurge' in rolling ? rolling.maxSurge : '25%';
  const maxUnavailable = rolling && 'maxUnavailable' in rolling ? rolling.maxUnavailable : '25%';
  const surge = scaledValue(maxSurge, replicas, true);
  let unavailable = scaledValue(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { strategy: type, strategyPath: 'spec.strategy', maxSurge, maxUnavailable, surgeReplicas: surge, unavailableReplicas: unavailable, partition: null, because: `maxUnavailable ${textOf(maxUnavailable) ?? ''}` };
}

function statefulSetUpdate(spec: JsonObject | undefined, replicas: number): Update {
  const strategy = objectAt(spec, 'updateStrategy');
  const type = stringAt(strategy, 'type') ?? 'RollingUpdate';
  if (type !== 'RollingUpdate') return { ...NO_UPDATE, strategy: type, strategyPath: 'spec.updateStrategy' };
  const rolling = objectAt(strategy, 'rollingUpdate');
  const maxUnavailable = rolling && 'maxUnavailable' in rolling ? rolling.maxUnavailable : 1;
  const resolved = scaledValue(maxUnavailable, replicas, false);
  return {
    strategy: type,
    strategyPath: 'spec.updateStrategy',
    maxSurge: null,
    maxUnavailable,
    surgeReplicas: 0,
    unavailableReplicas: resolved === null ? null : Math.max(1, resolved),
    partition: intAt(rolling, 'partition') ?? 0,
    because: `rollingUpdate.maxUnavailable ${textOf(maxUnavailable) ?? ''} where MaxUnavailableStatefulSet is on`,
  };
}

function leaderWorkerSetUpdate(spec: JsonObject | undefined, replicas: number): Update {
  const strategy = objectAt(spec, 'rolloutStrategy');
  const rolling = objectAt(strategy, 'rollingUpdateConfiguration');
  const maxSurge = rolling && 'maxSurge' in rolling ? rolling.maxSurge : 0;
  const maxUnavailable = rolling && 'maxUnavailable' in rolling ? rolling.maxUnavailable : 1;
  return {
    strategy: stringAt(strategy, 'type') ?? 'RollingUpdate',
    strategyPath: 'spec.rolloutStrategy',
    maxSurge,
    maxUnavailable,
    surgeReplicas: scaledValue(maxSurge, replicas, true),
    unavailableReplicas: scaledValue(maxUnavailable, replicas, false),
    partition: intAt(rolling, 'partition') ?? 0,
    because: `rollingUpdateConfiguration.maxUnavailable ${textOf(maxUnavailable) ?? ''}`,
  };
}

/** What readRollout needs besides the object: the kind, the pod spec, accelerators and the startup inputs. */
export interface RolloutInput {
  object: unknown;
  kind: string;
  podSpec: JsonObject;
  acceleratorsPerReplica: number;
  /** The startup probe's window (s), null without a startup probe. */
  startupWindowSeconds: number | null;
  /** The cold-start-seconds annotation (s), null when absent. */
  coldStartSeconds: number | null;
}

/** The rollout facts of one workload (see the module comment for the defaults and their sources). */
export function readRollout(input: RolloutInput): RolloutFacts {
  const { kind } = input;
  const spec = isObject(input.object) ? objectAt(input.object, 'spec') : undefined;
  const hasReplicas = kind === 'Deployment' || kind === 'StatefulSet' || kind === 'LeaderWorkerSet';
  const replicas = hasReplicas ? (intAt(spec, 'replicas') ?? 1) : null;
  let update = NO_UPDATE;
  if (replicas !== null && kind === 'Deployment') update = deploymentUpdate(spec, replicas);
  else if (replicas !== null && kind === 'StatefulSet') update = statefulSetUpdate(spec, replicas);
  else if (replicas !== null && kind === 'LeaderWorkerSet') update = leaderWorkerSetUpdate(spec, replicas);
  const allAtOnce =
    replicas === null || update.unavailableReplicas === null ? null : replicas >= 2 && (update.partition ?? 0) === 0 && update.unavailableReplicas >= replicas;
  const budgetFromProbe = input.startupWindowSeconds;
  const budget = budgetFromProbe ?? (input.coldStartSeconds !== null && input.coldStartSeconds > 0 ? input.coldStartSeconds : null);
  return {
    replicas,
    unit: kind === 'LeaderWorkerSet' ? 'group' : 'pod',
    strategy: update.strategy,
    strategyPath: update.strategyPath,
    maxSurge: textOf(update.maxSurge),
    maxUnavailable: textOf(update.maxUnavailable),
    surgeReplicas: update.surgeReplicas,
    unavailableReplicas: update.unavailableReplicas,
    acceleratorsPerReplica: input.acceleratorsPerReplica,
    surgeAccelerators: update.surgeReplicas === null ? null : update.surgeReplicas * input.acceleratorsPerReplica,
    partition: update.partition,
    podManagementPolicy: kind === 'StatefulSet' ? (stringAt(spec, 'podManagementPolicy') ?? 'OrderedReady') : null,
    allAtOnce,
    allAtOnceBecause: allAtOnce ? update.because : null,
    progressDeadlineSeconds: kind === 'Deployment' ? (intAt(spec, 'progressDeadlineSeconds') ?? 600) : null,
    startupBudgetSeconds: budget,
    startupBudgetFrom: budget === null ? null : budgetFromProbe !== null ? 'the startupProbe window' : 'the cold-start-seconds annotation',
    terminationGracePeriodSeconds: intAt(input.podSpec, 'terminationGracePeriodSeconds') ?? 30,
  };
}
