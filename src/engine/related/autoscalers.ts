/**
 * Autoscalers whose scale target is the workload (kind and name): HorizontalPodAutoscalers
 * (autoscaling/v2, and v1's targetCPUUtilizationPercentage) and KEDA ScaledObjects
 * (keda.sh/v1alpha1, scaleTargetRef.kind defaults to Deployment). Defaults applied as the APIs
 * document them: HPA minReplicas 1, no metrics = CPU at 80 %, scaleDown stabilization 300 s,
 * scaleUp 0 s (kubernetes.io "Horizontal Pod Autoscaling", "Default Behavior"); KEDA
 * minReplicaCount 0, maxReplicaCount 100, cooldownPeriod 300 s (keda.sh "ScaledObject specification").
 */
import type { JsonObject } from '../types.js';
import { numberAt, objectAt, stringAt } from '../util/json.js';
import { itemsAt, MAX_LISTED, nameOf, type RelatedContext } from './context.js';
import { relatedOfKind } from './related-set.js';

export interface MetricFact {
  /** HPA: Resource, ContainerResource, Pods, Object, External. KEDA: the trigger type (prometheus, cpu, …). */
  type: string;
  /** cpu / memory for resources, the metric name, or a KEDA trigger's metricName or query. */
  name: string;
}

export interface ScalingPolicyFact {
  type: string;
  value: number | null;
  periodSeconds: number | null;
}

export interface AutoscalerFact {
  kind: 'HorizontalPodAutoscaler' | 'ScaledObject';
  name: string;
  minReplicas: number;
  maxReplicas: number | null;
  metrics: MetricFact[];
  scaleDownStabilizationSeconds: number;
  scaleUpStabilizationSeconds: number;
  scaleUpPolicies: ScalingPolicyFact[];
  /** KEDA only: seconds after the last active trigger before scaling to zero; null for an HPA. */
  cooldownPeriodSeconds: number | null;
}

/** Longest metric name or query kept (a PromQL query can be long). */
const MAX_NAME = 200;

function targets(ref: JsonObject | undefined, ctx: RelatedContext, defaultKind: string | null): boolean {
  return stringAt(ref, 'name') === ctx.name && (stringAt(ref, 'kind') ?? defaultKind) === ctx.kind;
}

function hpaMetric(metric: unknown): MetricFact {
  const type = stringAt(metric, 'type') ?? 'Unknown';
  const key = type.charAt(0).toLowerCase() + type.slice(1);
  const source = objectAt(metric, key);
  const name = type === 'Resource' || type === 'ContainerResource' ? stringAt(source, 'name') : stringAt(objectAt(source, 'metric'), 'name');
  return { type, name: (name ?? '').slice(0, MAX_NAME) };
}

function readBehavior(behavior: JsonObject | undefined) {
  const down = objectAt(behavior, 'scaleDown');
  const up = objectAt(behavior, 'scaleUp');
  return {
    scaleDownStabilizationSeconds: numberAt(down, 'stabilizationWindowSeconds') ?? 300,
    scaleUpStabilizationSeconds: numberAt(up, 'stabilizationWindowSeconds') ?? 0,
    scaleUpPolicies: itemsAt(up, 'policies').map((p) => ({
      type: stringAt(p, 'type') ?? 'Unknown',
      value: numberAt(p, 'value') ?? null,
      periodSeconds: numberAt(p, 'periodSeconds') ?? null,
    })),
  };
}

function readHpa(hpa: JsonObject): AutoscalerFact {
  const spec = objectAt(hpa, 'spec');
  let metrics = itemsAt(spec, 'metrics').map(hpaMetric);
  if (metrics.length === 0) metrics = [{ type: 'Resource', name: 'cpu' }];
  return {
    kind: 'HorizontalPodAutoscaler',
    name: nameOf(hpa),
    minReplicas: numberAt(spec, 'minReplicas') ?? 1,
    maxReplicas: numberAt(spec, 'maxReplicas') ?? null,
    metrics,
    ...readBehavior(objectAt(spec, 'behavior')),
    cooldownPeriodSeconds: null,
  };
}

function kedaMetric(trigger: unknown): MetricFact {
  const type = stringAt(trigger, 'type') ?? 'Unknown';
  const metadata = objectAt(trigger, 'metadata');
  const name = stringAt(metadata, 'metricName') ?? stringAt(metadata, 'query') ?? stringAt(trigger, 'name') ?? type;
  return { type, name: name.slice(0, MAX_NAME) };
}

function readScaledObject(scaled: JsonObject): AutoscalerFact {
  const spec = objectAt(scaled, 'spec');
  const behavior = objectAt(objectAt(objectAt(spec, 'advanced'), 'horizontalPodAutoscalerConfig'), 'behavior');
  return {
    kind: 'ScaledObject',
    name: nameOf(scaled),
    minReplicas: numberAt(spec, 'minReplicaCount') ?? 0,
    maxReplicas: numberAt(spec, 'maxReplicaCount') ?? 100,
    metrics: itemsAt(spec, 'triggers').map(kedaMetric),
    ...readBehavior(behavior),
    cooldownPeriodSeconds: numberAt(spec, 'cooldownPeriod') ?? 300,
  };
}

/** The autoscalers that scale this workload, HPAs first. */
export function readAutoscalers(ctx: RelatedContext): AutoscalerFact[] {
  const out: AutoscalerFact[] = [];
  for (const hpa of relatedOfKind(ctx.set, 'HorizontalPodAutoscaler', ctx.namespace)) {
    if (targets(objectAt(objectAt(hpa, 'spec'), 'scaleTargetRef'), ctx, null)) out.push(readHpa(hpa));
  }
  for (const scaled of relatedOfKind(ctx.set, 'ScaledObject', ctx.namespace)) {
    if (targets(objectAt(objectAt(scaled, 'spec'), 'scaleTargetRef'), ctx, 'Deployment')) out.push(readScaledObject(scaled));
  }
  return out.slice(0, MAX_LISTED);
}
