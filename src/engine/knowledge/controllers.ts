/**
 * Who really creates the children of a workload: the requesting user (AdmissionReview
 * `request.userInfo.username`) of each controller, per parent kind and child kind, as the projects'
 * own install manifests name their service accounts.
 *
 * A child (a Pod, a ReplicaSet, a StatefulSet, a RayCluster …) may skip its own review only when its
 * controlling owner is a kind vllm-guard already reviews AND the request comes from the identity that
 * creates that child from that parent. Any other `kube-system` account, or a hand-written
 * ownerReference, is reviewed like a user's object.
 *
 * Namespaces of third-party controllers depend on how they were installed: the defaults below are those
 * of each project's default manifests; a config entry adds an install elsewhere (config extends).
 */

export interface ControllerIdentity {
  /** The username the API server puts in the AdmissionReview, `system:serviceaccount:<ns>:<name>`. */
  username: string;
  /** Which child kinds it creates from which parent kinds (`apiVersion` group/kind, no version). */
  creates: readonly { parent: GroupKind; child: GroupKind }[];
  /** Where the name and namespace come from. */
  source: string;
}

export interface GroupKind {
  group: string;
  kind: string;
}

const sa = (namespace: string, name: string): string => `system:serviceaccount:${namespace}:${name}`;
const gk = (group: string, kind: string): GroupKind => ({ group, kind });

const POD = gk('', 'Pod');
const KCM = 'kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/controller_policy.go (saRolePrefix "system:controller:", bound to kube-system service accounts of the same name; used with kube-controller-manager --use-service-account-credentials)';

/**
 * kube-controller-manager: one service account per controller when it runs with
 * --use-service-account-credentials (kubeadm, most managed clusters); otherwise every controller acts
 * as `system:kube-controller-manager`.
 */
export const BUILT_IN_CONTROLLERS: readonly ControllerIdentity[] = [
  { username: sa('kube-system', 'replicaset-controller'), creates: [{ parent: gk('apps', 'ReplicaSet'), child: POD }], source: KCM },
  { username: sa('kube-system', 'deployment-controller'), creates: [{ parent: gk('apps', 'Deployment'), child: gk('apps', 'ReplicaSet') }], source: KCM },
  { username: sa('kube-system', 'statefulset-controller'), creates: [{ parent: gk('apps', 'StatefulSet'), child: POD }], source: KCM },
  { username: sa('kube-system', 'daemon-set-controller'), creates: [{ parent: gk('apps', 'DaemonSet'), child: POD }], source: KCM },
  { username: sa('kube-system', 'job-controller'), creates: [{ parent: gk('batch', 'Job'), child: POD }], source: KCM },
  { username: sa('kube-system', 'cronjob-controller'), creates: [{ parent: gk('batch', 'CronJob'), child: gk('batch', 'Job') }], source: KCM },
  { username: sa('kube-system', 'replication-controller'), creates: [{ parent: gk('', 'ReplicationController'), child: POD }], source: KCM },
  {
    username: 'system:kube-controller-manager',
    creates: [
      { parent: gk('apps', 'ReplicaSet'), child: POD },
      { parent: gk('apps', 'Deployment'), child: gk('apps', 'ReplicaSet') },
      { parent: gk('apps', 'StatefulSet'), child: POD },
      { parent: gk('apps', 'DaemonSet'), child: POD },
      { parent: gk('batch', 'Job'), child: POD },
      { parent: gk('batch', 'CronJob'), child: gk('batch', 'Job') },
      { parent: gk('', 'ReplicationController'), child: POD },
    ],
    source: 'kubernetes.io/docs/reference/access-authn-authz/rbac/#core-component-roles (system:kube-controller-manager without --use-service-account-credentials)',
  },
];

/** Serving and rollout operators, at the namespace and name of their default install manifests. */
export const OPERATOR_CONTROLLERS: readonly ControllerIdentity[] = [
  {
    // LWS creates the leader StatefulSet and one worker StatefulSet per group; the statefulset-controller makes the Pods.
    username: sa('lws-system', 'lws-controller-manager'),
    creates: [{ parent: gk('leaderworkerset.x-k8s.io', 'LeaderWorkerSet'), child: gk('apps', 'StatefulSet') }],
    source: 'kubernetes-sigs/lws config/default/kustomization.yaml (namespace lws-system, namePrefix lws-) + config/rbac/service_account.yaml (controller-manager)',
  },
  {
    username: sa('default', 'kuberay-operator'),
    creates: [
      { parent: gk('ray.io', 'RayCluster'), child: POD },
      { parent: gk('ray.io', 'RayService'), child: gk('ray.io', 'RayCluster') },
      { parent: gk('ray.io', 'RayJob'), child: gk('ray.io', 'RayCluster') },
      { parent: gk('ray.io', 'RayJob'), child: gk('batch', 'Job') },
    ],
    source: 'ray-project/kuberay ray-operator/config/default/kustomization.yaml@v1.7.0 (namespace default) + config/rbac/service_account.yaml (kuberay-operator); the Helm chart installs it in its release namespace',
  },
  {
    username: sa('kserve', 'kserve-controller-manager'),
    creates: [
      { parent: gk('serving.kserve.io', 'InferenceService'), child: gk('apps', 'Deployment') },
      { parent: gk('serving.kserve.io', 'InferenceService'), child: gk('serving.knative.dev', 'Service') },
    ],
    source: 'kserve/kserve config/default/kustomization.yaml@v0.20.0 (namespace kserve) + config/rbac/service_account.yaml (kserve-controller-manager)',
  },
  {
    username: sa('knative-serving', 'controller'),
    creates: [
      { parent: gk('serving.knative.dev', 'Service'), child: gk('serving.knative.dev', 'Configuration') },
      { parent: gk('serving.knative.dev', 'Configuration'), child: gk('serving.knative.dev', 'Revision') },
      { parent: gk('serving.knative.dev', 'Revision'), child: gk('apps', 'Deployment') },
    ],
    source: 'knative/serving config/core/deployments/controller.yaml (serviceAccountName controller, namespace knative-serving); pkg/reconciler/service, configuration and revision/resources/deploy.go (the children each makes)',
  },
  {
    username: sa('kserve', 'llmisvc-controller-manager'),
    creates: [
      { parent: gk('serving.kserve.io', 'LLMInferenceService'), child: gk('apps', 'Deployment') },
      { parent: gk('serving.kserve.io', 'LLMInferenceService'), child: gk('leaderworkerset.x-k8s.io', 'LeaderWorkerSet') },
    ],
    source: 'kserve/kserve config/rbac/llmisvc/service_account.yaml@v0.20.0 (llmisvc-controller-manager, namespace kserve)',
  },
  {
    username: sa('aibrix-system', 'aibrix-controller-manager'),
    creates: [
      { parent: gk('orchestration.aibrix.ai', 'RayClusterFleet'), child: gk('orchestration.aibrix.ai', 'RayClusterReplicaSet') },
      { parent: gk('orchestration.aibrix.ai', 'RayClusterReplicaSet'), child: gk('ray.io', 'RayCluster') },
      { parent: gk('orchestration.aibrix.ai', 'StormService'), child: gk('orchestration.aibrix.ai', 'RoleSet') },
      { parent: gk('orchestration.aibrix.ai', 'RoleSet'), child: POD },
    ],
    source: 'vllm-project/aibrix config/default/kustomization.yaml (namespace aibrix-system, namePrefix aibrix-) + config/rbac/controller-manager/service_account_controller_manager.yaml (controller-manager)',
  },
  {
    username: sa('argo-rollouts', 'argo-rollouts'),
    creates: [{ parent: gk('argoproj.io', 'Rollout'), child: gk('apps', 'ReplicaSet') }],
    source: 'argoproj/argo-rollouts manifests/base/argo-rollouts-sa.yaml (argo-rollouts), installed in namespace argo-rollouts (docs: kubectl apply -n argo-rollouts -f install.yaml)',
  },
  {
    username: sa('kruise-system', 'kruise-manager'),
    creates: [{ parent: gk('apps.kruise.io', 'CloneSet'), child: POD }],
    source: 'openkruise/charts versions/kruise/1.5.4/templates/manager.yaml (serviceAccountName kruise-manager, namespace .Values.installation.namespace = kruise-system)',
  },
  {
    username: sa('jobset-system', 'jobset-controller-manager'),
    creates: [{ parent: gk('jobset.x-k8s.io', 'JobSet'), child: gk('batch', 'Job') }],
    source: 'kubernetes-sigs/jobset config/default/kustomization.yaml (namespace jobset-system, namePrefix jobset-) + config/components/rbac/service_account.yaml (controller-manager)',
  },
];

/** The API group of an ownerReference or object apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * True when `username` is a controller that creates `child` objects from a `parent` of that group and
 * kind. `extra` are the installs the config names (config extends the built-in table).
 */
export function createsChild(
  username: string,
  parent: GroupKind,
  child: GroupKind,
  extra: readonly ControllerIdentity[] = [],
): boolean {
  for (const table of [BUILT_IN_CONTROLLERS, OPERATOR_CONTROLLERS, extra]) {
    for (const identity of table) {
      if (identity.username !== username) continue;
      for (const edge of identity.creates) {
        if (edge.parent.group === parent.group && edge.parent.kind === parent.kind && edge.child.group === child.group && edge.child.kind === child.kind) return true;
      }
    }
  }
  return false;
}
