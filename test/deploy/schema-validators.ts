/**
 * Kubernetes API schema validation of rendered objects with kubernetes-models (validators
 * generated from the upstream OpenAPI, plus the cert-manager and prometheus-operator CRD
 * schemas). These schemas check types, required fields, enums and formats; like the
 * upstream OpenAPI they do not reject unknown fields.
 */
import { Certificate, Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Pod, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { K8sObject } from './kustomize-helpers.js';

type Validating = new (data: unknown) => { validate(): void };

const MODELS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['v1/Namespace', Namespace],
  ['v1/ServiceAccount', ServiceAccount],
  ['v1/Service', Service],
  ['v1/ConfigMap', ConfigMap],
  ['v1/Secret', Secret],
  ['v1/Pod', Pod],
  ['apps/v1/Deployment', Deployment],
  ['apps/v1/StatefulSet', StatefulSet],
  ['batch/v1/CronJob', CronJob],
  ['policy/v1/PodDisruptionBudget', PodDisruptionBudget],
  ['networking.k8s.io/v1/NetworkPolicy', NetworkPolicy],
  ['rbac.authorization.k8s.io/v1/ClusterRole', ClusterRole],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', ClusterRoleBinding],
  ['rbac.authorization.k8s.io/v1/Role', Role],
  ['rbac.authorization.k8s.io/v1/RoleBinding', RoleBinding],
  ['admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration', ValidatingWebhookConfiguration],
  ['cert-manager.io/v1/Certificate', Certificate],
  ['cert-manager.io/v1/Issuer', Issuer],
  ['monitoring.coreos.com/v1/ServiceMonitor', ServiceMonitor],
  ['monitoring.coreos.com/v1/PrometheusRule', PrometheusRule],
]);

/** True when a schema for the object's apiVersion and kind is known. */
export function hasSchema(object: K8sObject): boolean {
  return MODELS.has(`${object.apiVersion}/${object.kind}`);
}

/** The schema's complaint about `object`, or undefined when it is valid. */
export function findSchemaError(object: K8sObject): string | undefined {
  const Model = MODELS.get(`${object.apiVersion}/${object.kind}`) as Validating | undefined;
  if (!Model) return `no schema for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (err: unknown) {
    return err instanceof Error ? err.message : String(err);
  }
}
