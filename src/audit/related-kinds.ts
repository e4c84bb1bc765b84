/**
 * The kinds the audit lists in a namespace to know what is around its vLLM workloads (the related
 * set, src/engine/related/related-set.ts). CRDs many clusters lack are optional: their absence is a
 * note, not an incomplete audit, and the kind is empty (a cluster that does not serve the API holds
 * none of it; related-lister.ts). InferencePool has two
 * versions: inference.networking.k8s.io/v1 (kubernetes-sigs/gateway-api-inference-extension
 * api/v1, +groupName=inference.networking.k8s.io) and the earlier
 * inference.networking.x-k8s.io/v1alpha2, read when v1 is not served.
 * @module
 */
import type { RelatedKind } from '../engine/api.js';
import { builtIn, type AuditKind } from './kinds.js';

export interface RelatedAuditKind extends AuditKind {
  kind: RelatedKind;
}

/** Each entry: the versions to try in order (the first served one is listed). */
export const RELATED_AUDIT_KINDS: readonly (readonly RelatedAuditKind[])[] = [
  [{ ...builtIn('Service', 'v1', 'services'), kind: 'Service', optional: false }],
  [{ ...builtIn('PersistentVolumeClaim', 'v1', 'persistentvolumeclaims'), kind: 'PersistentVolumeClaim', optional: false }],
  // envFrom, configMapKeyRef and vLLM's --config file resolve from these (kept bounded: related-configmaps.ts).
  [{ ...builtIn('ConfigMap', 'v1', 'configmaps'), kind: 'ConfigMap', optional: false }],
  [{ ...builtIn('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies'), kind: 'NetworkPolicy', optional: false }],
  [{ ...builtIn('Ingress', 'networking.k8s.io/v1', 'ingresses'), kind: 'Ingress', optional: false }],
  [{ ...builtIn('HorizontalPodAutoscaler', 'autoscaling/v2', 'horizontalpodautoscalers'), kind: 'HorizontalPodAutoscaler', optional: false }],
  [{ ...builtIn('PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets'), kind: 'PodDisruptionBudget', optional: false }],
  [{ ...builtIn('ScaledObject', 'keda.sh/v1alpha1', 'scaledobjects'), kind: 'ScaledObject', optional: true }],
  [{ ...builtIn('ServiceMonitor', 'monitoring.coreos.com/v1', 'servicemonitors'), kind: 'ServiceMonitor', optional: true }],
  [{ ...builtIn('PodMonitor', 'monitoring.coreos.com/v1', 'podmonitors'), kind: 'PodMonitor', optional: true }],
  // Google Cloud Managed Service for Prometheus (GoogleCloudPlatform/prometheus-engine CRDs
  // podmonitorings and clusterpodmonitorings.monitoring.googleapis.com); ClusterPodMonitoring selects pods
  // of every namespace, so it is listed cluster-wide once (kube-lister.ts).
  [{ ...builtIn('PodMonitoring', 'monitoring.googleapis.com/v1', 'podmonitorings'), kind: 'PodMonitoring', optional: true }],
  [{ ...builtIn('ClusterPodMonitoring', 'monitoring.googleapis.com/v1', 'clusterpodmonitorings'), kind: 'ClusterPodMonitoring', namespaced: false, optional: true }],
  [{ ...builtIn('HTTPRoute', 'gateway.networking.k8s.io/v1', 'httproutes'), kind: 'HTTPRoute', optional: true }],
  // The runtimes an InferenceService runs on (engine workload/kserve-runtime.ts); ClusterServingRuntime is
  // cluster-scoped, so it is listed cluster-wide (kube-lister.ts) for each namespace's set.
  [{ ...builtIn('ServingRuntime', 'serving.kserve.io/v1alpha1', 'servingruntimes'), kind: 'ServingRuntime', optional: true }],
  [{ ...builtIn('ClusterServingRuntime', 'serving.kserve.io/v1alpha1', 'clusterservingruntimes'), kind: 'ClusterServingRuntime', namespaced: false, optional: true }],
  [
    { ...builtIn('InferencePool', 'inference.networking.k8s.io/v1', 'inferencepools'), kind: 'InferencePool', optional: true },
    { ...builtIn('InferencePool', 'inference.networking.x-k8s.io/v1alpha2', 'inferencepools'), kind: 'InferencePool', optional: true },
  ],
];
