/**
 * The kinds the audit lists in a namespace to know what is around its vLLM workloads (the related
 * set, src/engine/related/related-set.ts). CRDs many clusters lack are optional: their absence is a
 * note, not an incomplete audit, but the facts read from them stay unknown. InferencePool has two
 * versions: inference.networking.k8s.io/v1 (kubernetes-sigs/gateway-api-inference-extension
 * api/v1, +groupName=inference.networking.k8s.io) and the earlier
 * inference.networking.x-k8s.io/v1alpha2, read when v1 is not served.
 * @module
 */
import type { RelatedKind } from '../engine/api.js';
import type { AuditKind } from './kinds.js';

export interface RelatedAuditKind extends AuditKind {
  kind: RelatedKind;
}

/** Each entry: the versions to try in order (the first served one is listed). */
export const RELATED_AUDIT_KINDS: readonly (readonly RelatedAuditKind[])[] = [
  [{ kind: 'Service', apiVersion: 'v1', resource: 'services', optional: false }],
  [{ kind: 'PersistentVolumeClaim', apiVersion: 'v1', resource: 'persistentvolumeclaims', optional: false }],
  [{ kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', resource: 'networkpolicies.networking.k8s.io', optional: false }],
  [{ kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', resource: 'ingresses.networking.k8s.io', optional: false }],
  [{ kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', resource: 'horizontalpodautoscalers.autoscaling', optional: false }],
  [{ kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', resource: 'poddisruptionbudgets.policy', optional: false }],
  [{ kind: 'ScaledObject', apiVersion: 'keda.sh/v1alpha1', resource: 'scaledobjects.keda.sh', optional: true }],
  [{ kind: 'ServiceMonitor', apiVersion: 'monitoring.coreos.com/v1', resource: 'servicemonitors.monitoring.coreos.com', optional: true }],
  [{ kind: 'PodMonitor', apiVersion: 'monitoring.coreos.com/v1', resource: 'podmonitors.monitoring.coreos.com', optional: true }],
  [{ kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1', resource: 'httproutes.gateway.networking.k8s.io', optional: true }],
  [
    { kind: 'InferencePool', apiVersion: 'inference.networking.k8s.io/v1', resource: 'inferencepools.inference.networking.k8s.io', optional: true },
    { kind: 'InferencePool', apiVersion: 'inference.networking.x-k8s.io/v1alpha2', resource: 'inferencepools.inference.networking.x-k8s.io', optional: true },
  ],
];
