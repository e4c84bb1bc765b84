/**
 * The `autoscaling` facts (policies/facts.schema.json): one entry per autoscaler in
 * `related.autoscalers`, with what the autoscaler policies compare and cannot compute in JSON Schema
 * (a product, a field path per kind, a text of the metrics). Domain rules, with their sources:
 * - HPA scale-down stabilization defaults to 300 s (kubernetes.io/docs/tasks/run-application/
 *   horizontal-pod-autoscale/#default-behavior); the reader in related/autoscalers.ts applies it.
 * - KEDA `cooldownPeriod` (default 300 s) only governs scaling to zero; between 1 and N replicas the
 *   HPA KEDA creates scales, with `advanced.horizontalPodAutoscalerConfig.behavior`
 *   (keda.sh/docs/2.16/reference/scaledobject-spec/#cooldownperiod).
 * - KEDA names the HPA it creates `keda-hpa-<ScaledObject name>` unless
 *   `advanced.horizontalPodAutoscalerConfig.name` says otherwise (same page, "horizontalPodAutoscalerConfig");
 *   that HPA is the ScaledObject's, not a second autoscaler, so it is left out here.
 * - Resource metrics (HPA `Resource`/`ContainerResource`, KEDA `cpu`/`memory` triggers) measure CPU
 *   and memory, which say little about a GPU server's load.
 */
import type { UnknownFact } from '../types.js';
import type { AutoscalerFact } from '../related/autoscalers.js';

/** What the autoscaler policies read per autoscaler (`each: autoscaling.autoscalers`). */
export interface AutoscalingEntry {
  kind: AutoscalerFact['kind'];
  name: string;
  /** `HorizontalPodAutoscaler NAME` or `ScaledObject NAME`, for messages. */
  label: string;
  /** `KIND/NAME`: the first segment of the finding paths, the object to edit. */
  ref: string;
  metrics: AutoscalerFact['metrics'];
  /** `Pods vllm:num_requests_waiting, Resource cpu`: the metrics as the messages show them. */
  metricsText: string;
  /** Every metric is CPU or memory (HPA Resource/ContainerResource, KEDA cpu/memory triggers). */
  resourceOnly: boolean;
  metricsField: string;
  minReplicas: number;
  minField: string;
  maxReplicas: number | null;
  maxField: string;
  /** Accelerators one replica holds (rollout.acceleratorsPerReplica); null when unknown. */
  acceleratorsPerReplica: number | null;
  /** maxReplicas × acceleratorsPerReplica; null when either is unknown. */
  maxAccelerators: number | null;
  scaleDownSeconds: number;
  scaleDownField: string;
  /** KEDA only: seconds before scaling to zero; null for an HPA. */
  cooldownPeriodSeconds: number | null;
  /** The startup budget rollout-strategy uses (rollout.startupBudgetSeconds); null when unknown. */
  startupBudgetSeconds: number | null;
  startupBudgetFrom: string | null;
}

/** At most this many characters of metrics text (a PromQL query can be long). */
const MAX_TEXT = 160;
const RESOURCE_TYPES: ReadonlySet<string> = new Set(['Resource', 'ContainerResource', 'cpu', 'memory']);

interface RolloutInput {
  acceleratorsPerReplica: number;
  startupBudgetSeconds: number | null;
  startupBudgetFrom: string | null;
}

function metricsText(metrics: AutoscalerFact['metrics']): string {
  const text = metrics.map((m) => (m.name && m.name !== m.type ? `${m.type} ${m.name}` : m.type)).join(', ');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

function entry(a: AutoscalerFact, rollout: RolloutInput, known: { accelerators: boolean; budget: boolean }): AutoscalingEntry {
  const keda = a.kind === 'ScaledObject';
  const perReplica = known.accelerators ? rollout.acceleratorsPerReplica : null;
  const behavior = keda ? 'spec.advanced.horizontalPodAutoscalerConfig.behavior' : 'spec.behavior';
  return {
    kind: a.kind,
    name: a.name,
    label: `${a.kind} ${a.name}`,
    ref: `${a.kind}/${a.name}`,
    metrics: a.metrics,
    metricsText: metricsText(a.metrics),
    resourceOnly: a.metrics.length > 0 && a.metrics.every((m) => RESOURCE_TYPES.has(m.type)),
    metricsField: keda ? 'spec.triggers' : 'spec.metrics',
    minReplicas: a.minReplicas,
    minField: keda ? 'spec.minReplicaCount' : 'spec.minReplicas',
    maxReplicas: a.maxReplicas,
    maxField: keda ? 'spec.maxReplicaCount' : 'spec.maxReplicas',
    acceleratorsPerReplica: perReplica,
    maxAccelerators: perReplica !== null && a.maxReplicas !== null ? perReplica * a.maxReplicas : null,
    scaleDownSeconds: a.scaleDownStabilizationSeconds,
    scaleDownField: `${behavior}.scaleDown.stabilizationWindowSeconds`,
    cooldownPeriodSeconds: a.cooldownPeriodSeconds,
    startupBudgetSeconds: known.budget ? rollout.startupBudgetSeconds : null,
    startupBudgetFrom: known.budget ? rollout.startupBudgetFrom : null,
  };
}

/**
 * The autoscaling facts of one workload from its related autoscalers and rollout facts. An HPA
 * named `keda-hpa-<name>` of a ScaledObject in the list is the ScaledObject's own and is dropped.
 * Values that rest on unknown facts (accelerators, the startup probe) are null, so rules that
 * compare them give no verdict. Bounded by the related readers (at most MAX_LISTED autoscalers).
 */
export function readAutoscalingFacts(autoscalers: readonly AutoscalerFact[], rollout: RolloutInput, unknowns: readonly UnknownFact[]) {
  const unknown = (path: string) => unknowns.some((u) => u.path === path);
  const known = { accelerators: !unknown('rollout.acceleratorsPerReplica'), budget: !unknown('rollout.startupBudgetSeconds') };
  const kedaHpas = new Set(autoscalers.filter((a) => a.kind === 'ScaledObject').map((a) => `keda-hpa-${a.name}`));
  const own = autoscalers.filter((a) => !(a.kind === 'HorizontalPodAutoscaler' && kedaHpas.has(a.name)));
  return { autoscalers: own.map((a) => entry(a, rollout, known)) };
}
