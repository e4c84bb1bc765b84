/** Security and scheduling facts: effective values of the container over its pod. */
import { arrayAt, booleanAt, isObject, numberAt, objectAt, stringAt } from '../util/json.js';
import type { JsonObject } from '../types.js';

/**
 * The container's effective security settings: runAsNonRoot and runAsUser (a UID) from its
 * securityContext over the pod's, as Kubernetes resolves them; allowPrivilegeEscalation and privileged
 * are container-only fields, hostIPC/hostNetwork/hostPID pod-only. null = not set. Never throws.
 */
export function readSecurity(pod: JsonObject, container: JsonObject) {
  const podContext = objectAt(pod, 'securityContext');
  const context = objectAt(container, 'securityContext');
  return {
    runAsNonRoot: booleanAt(context, 'runAsNonRoot') ?? booleanAt(podContext, 'runAsNonRoot') ?? null,
    runAsUser: numberAt(context, 'runAsUser') ?? numberAt(podContext, 'runAsUser') ?? null,
    allowPrivilegeEscalation: booleanAt(context, 'allowPrivilegeEscalation') ?? null,
    privileged: booleanAt(context, 'privileged') === true,
    hostIPC: pod.hostIPC === true,
    hostNetwork: pod.hostNetwork === true,
    hostPID: pod.hostPID === true,
  };
}

function requiredAffinityKeys(pod: JsonObject): string[] {
  const required = objectAt(objectAt(objectAt(pod, 'affinity'), 'nodeAffinity'), 'requiredDuringSchedulingIgnoredDuringExecution');
  const keys: string[] = [];
  for (const term of arrayAt(required, 'nodeSelectorTerms')) {
    for (const expression of arrayAt(term, 'matchExpressions')) {
      const key = stringAt(expression, 'key');
      if (key) keys.push(key);
    }
  }
  return keys;
}

/**
 * The pod's tolerations (objects, as written) and the node label keys it requires: nodeSelector keys
 * then required node-affinity matchExpressions keys (preferred terms do not count). Never throws.
 */
export function readScheduling(pod: JsonObject) {
  return {
    tolerations: arrayAt(pod, 'tolerations').filter(isObject),
    nodeLabelKeys: [...Object.keys(objectAt(pod, 'nodeSelector') ?? {}), ...requiredAffinityKeys(pod)],
  };
}
