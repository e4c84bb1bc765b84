/**
 * Serving and rollout CRDs that create vLLM pods: where their pod templates sit, what each template
 * holds, and how their pods form one serving group. One entry per kind, in the spirit of
 * TEMPLATE_PATHS in workload/extract.ts. The entries' shape and path syntax: serving-kind-types.ts.
 */
import { DYNAMO_OPERATOR_SOURCE } from './dynamo-graph.js';
import { DYNAMO_V1BETA1_SOURCE } from './dynamo-component.js';
import { RAY_SERVE_LLM_SOURCE } from './ray-serve-llm.js';
import { KTHENA_MODEL_SERVING, OME_KINDS } from './ome-kthena-kinds.js';
import { KNATIVE_KINDS } from './knative-kinds.js';
import { KUBEAI_MODEL } from './kubeai-model.js';
import type { ParallelismPaths, ServingKind, ServingTemplateEntry } from './serving-kind-types.js';

const POD_TEMPLATE: ServingTemplateEntry = { path: 'spec.template', holds: 'template', role: 'pod' };

const RAY_GROUPS = (prefix: string): ServingTemplateEntry[] => [
  { path: `${prefix}headGroupSpec.template`, holds: 'template', role: 'head', podsPerGroup: 1 },
  {
    path: `${prefix}workerGroupSpecs[].template`,
    holds: 'template',
    role: 'worker',
    // A worker group runs replicas × numOfHosts pods (numOfHosts > 1 for multi-host TPU slices).
    podsPerGroup: { path: 'replicas', times: 'numOfHosts', default: 1 },
  },
];
const KUBERAY_TYPES = 'ray-project/kuberay ray-operator/apis/ray/v1 (HeadGroupSpec.Template, WorkerGroupSpec.{Replicas,NumOfHosts,Template})';

// A WorkloadSpec's labels and annotations "will be added to the component pod" (kserve/kserve
// pkg/apis/serving/v1alpha1/llm_inference_service_types.go WorkloadSpec.Labels/Annotations); its pod specs have no metadata.
const LLMISVC_TEMPLATES: ServingTemplateEntry[] = [
  { path: 'spec.template', holds: 'podSpec', role: 'leader', metadataFrom: 'spec' },
  { path: 'spec.worker', holds: 'podSpec', role: 'worker', metadataFrom: 'spec' },
  { path: 'spec.prefill.template', holds: 'podSpec', role: 'prefill', metadataFrom: 'spec.prefill' },
  { path: 'spec.prefill.worker', holds: 'podSpec', role: 'prefill-worker', metadataFrom: 'spec.prefill' },
];
const LLMISVC_PARALLELISM: ParallelismPaths[] = [
  {
    tensor: 'spec.parallelism.tensor',
    pipeline: 'spec.parallelism.pipeline',
    data: 'spec.parallelism.data',
    dataLocal: 'spec.parallelism.dataLocal',
    meaning: 'pods per group = data/dataLocal when data-parallel, else pipeline, else 1 (ParallelismSpec.GetSize)',
  },
  {
    tensor: 'spec.prefill.parallelism.tensor',
    pipeline: 'spec.prefill.parallelism.pipeline',
    data: 'spec.prefill.parallelism.data',
    dataLocal: 'spec.prefill.parallelism.dataLocal',
    meaning: 'the same for the prefill workload',
  },
];
const LLMISVC_SOURCE =
  'kserve/kserve pkg/apis/serving/v1alpha2/llm_inference_service_types.go@v0.20.0 (WorkloadSpec.Template/Worker are *corev1.PodSpec; Prefill *WorkloadSpec; ParallelismSpec) and _types_func.go GetSize';

const KSERVE_WORKER_PARALLELISM: ParallelismPaths = {
  tensor: 'spec.predictor.workerSpec.tensorParallelSize',
  pipeline: 'spec.predictor.workerSpec.pipelineParallelSize',
  meaning: 'tensorParallelSize = GPUs per node, pipelineParallelSize = nodes (head + workers); group devices = TP × PP (predictor.go computeMpNodeAndGPUs); default 1 each',
};

/** The serving CRDs, keyed by kind. Kinds are matched together with their API group (see findServingKind). */
export const SERVING_KINDS: readonly ServingKind[] = [
  {
    kind: 'InferenceService',
    group: 'serving.kserve.io',
    versions: ['v1beta1'],
    resource: 'inferenceservices',
    namespaced: true,
    templates: [
      // A component's `labels` and `annotations` "will be added to the component pod" (ComponentExtensionSpec, component.go).
      { path: 'spec.predictor', holds: 'podSpec', role: 'pod', mergedContainers: [{ path: 'spec.predictor.model', as: 'kserve-container' }], metadataFrom: 'spec.predictor' },
      { path: 'spec.predictor.workerSpec', holds: 'podSpec', role: 'worker' },
      { path: 'spec.transformer', holds: 'podSpec', role: 'pod', metadataFrom: 'spec.transformer' },
    ],
    parallelism: [KSERVE_WORKER_PARALLELISM],
    source: 'kserve/kserve pkg/apis/serving/v1beta1/predictor.go@v0.20.0 (PredictorSpec inlines PodSpec and ComponentExtensionSpec, whose labels and annotations go on the pod, component.go; Model *ModelSpec inlines corev1.Container; WorkerSpec inlines PodSpec + PipelineParallelSize, TensorParallelSize)',
    notes: 'predictor.model has no image of its own: the runtime (spec.predictor.model.runtime, or the one chosen by modelFormat) supplies image and command, model.args are appended',
  },
  {
    kind: 'ServingRuntime',
    group: 'serving.kserve.io',
    versions: ['v1alpha1'],
    resource: 'servingruntimes',
    namespaced: true,
    templates: [
      // ServingRuntimePodSpec's `labels` and `annotations` "will be add to the pod": the runtime writes them inline.
      { path: 'spec', holds: 'podSpec', role: 'runtime', metadataFrom: 'spec' },
      { path: 'spec.workerSpec', holds: 'podSpec', role: 'runtime-worker' },
    ],
    acceleratorsFrom: 'inference-service',
    source: 'kserve/kserve pkg/apis/serving/v1alpha1/servingruntime_types.go@v0.20.0 (ServingRuntimeSpec inlines ServingRuntimePodSpec, whose labels and annotations go on the pod; WorkerSpec)',
  },
  {
    kind: 'ClusterServingRuntime',
    group: 'serving.kserve.io',
    versions: ['v1alpha1'],
    resource: 'clusterservingruntimes',
    namespaced: false,
    templates: [
      // ServingRuntimePodSpec's `labels` and `annotations` "will be add to the pod": the runtime writes them inline.
      { path: 'spec', holds: 'podSpec', role: 'runtime', metadataFrom: 'spec' },
      { path: 'spec.workerSpec', holds: 'podSpec', role: 'runtime-worker' },
    ],
    acceleratorsFrom: 'inference-service',
    source: 'kserve/kserve config/runtimes/kserve-huggingfaceserver-multinode.yaml@v0.20.0',
  },
  { kind: 'LLMInferenceService', group: 'serving.kserve.io', versions: ['v1alpha1', 'v1alpha2'], resource: 'llminferenceservices', namespaced: true, templates: LLMISVC_TEMPLATES, parallelism: LLMISVC_PARALLELISM, source: LLMISVC_SOURCE },
  {
    kind: 'LLMInferenceServiceConfig',
    group: 'serving.kserve.io',
    versions: ['v1alpha1', 'v1alpha2'],
    resource: 'llminferenceserviceconfigs',
    namespaced: true,
    templates: LLMISVC_TEMPLATES,
    parallelism: LLMISVC_PARALLELISM,
    acceleratorsFrom: 'inference-service',
    source: `${LLMISVC_SOURCE}; config/llmisvcconfig/config-llm-template.yaml`,
    notes: 'a base config merged into LLMInferenceServices that name it (baseRefs); accelerators usually come from the service',
  },
  { kind: 'RayCluster', group: 'ray.io', versions: ['v1'], resource: 'rayclusters', namespaced: true, templates: RAY_GROUPS('spec.'), source: KUBERAY_TYPES },
  {
    kind: 'RayService',
    group: 'ray.io',
    versions: ['v1'],
    resource: 'rayservices',
    namespaced: true,
    templates: RAY_GROUPS('spec.rayClusterConfig.'),
    source: `${KUBERAY_TYPES}; ray-operator/config/samples/ray-service.llm-serve.yaml@v1.7.0; ${RAY_SERVE_LLM_SOURCE}`,
    notes: 'spec.serveConfigV2 Ray Serve LLM apps (ray.serve.llm builders) are vLLM engines judged at the head container (workload/ray-serve-llm.ts)',
  },
  { kind: 'RayJob', group: 'ray.io', versions: ['v1'], resource: 'rayjobs', namespaced: true, templates: RAY_GROUPS('spec.rayClusterSpec.'), source: KUBERAY_TYPES },
  {
    kind: 'RayClusterFleet',
    group: 'orchestration.aibrix.ai',
    versions: ['v1alpha1'],
    resource: 'rayclusterfleets',
    namespaced: true,
    templates: RAY_GROUPS('spec.template.spec.'),
    source: 'vllm-project/aibrix api/orchestration/v1alpha1/rayclusterfleet_types.go; samples/distributed/fleet.yaml',
  },
  {
    kind: 'StormService',
    group: 'orchestration.aibrix.ai',
    versions: ['v1alpha1'],
    resource: 'stormservices',
    namespaced: true,
    templates: [{ path: 'spec.template.spec.roles[].template', holds: 'template', role: 'role', podsPerGroup: { path: 'podGroupSize', default: 1 } }],
    source: 'vllm-project/aibrix api/orchestration/v1alpha1/stormservice_types.go, roleset_types.go (RoleSpec.PodGroupSize: pods forming one role instance; Replicas: instances); samples/disaggregation/vllm/1p1d.yaml',
    notes: 'each role (prefill, decode, routing) is its own vLLM deployment: its group is one role instance (podGroupSize pods), never the sum of the roles; a RoleSet is one replica of all roles',
  },
  { kind: 'Rollout', group: 'argoproj.io', versions: ['v1alpha1'], resource: 'rollouts', namespaced: true, templates: [POD_TEMPLATE], source: 'argoproj/argo-rollouts pkg/apis/rollouts/v1alpha1/types.go (RolloutSpec.Template)', notes: 'spec.workloadRef (a Deployment by reference) has no template here: reviewed at the Deployment' },
  { kind: 'CloneSet', group: 'apps.kruise.io', versions: ['v1alpha1'], resource: 'clonesets', namespaced: true, templates: [POD_TEMPLATE], source: 'openkruise/kruise apis/apps/v1alpha1/cloneset_types.go (CloneSetSpec.Template)' },
  {
    kind: 'JobSet',
    group: 'jobset.x-k8s.io',
    versions: ['v1alpha2'],
    resource: 'jobsets',
    namespaced: true,
    // Each replica is a Job of `parallelism` pods (batch/v1 JobSpec.Parallelism, default 1): an Indexed Job of 2 pods may be 2 nodes.
    templates: [{ path: 'spec.replicatedJobs[].template.spec.template', holds: 'template', role: 'pod', podsPerGroup: { path: 'replicas', times: 'template.spec.parallelism', default: 1 } }],
    independentPods: 'a replicated job runs ordinary Jobs: their pods form one vLLM group only when their command launches a multi-node engine (--nnodes/--node-rank, --data-parallel-address, a Ray cluster)',
    source: 'kubernetes-sigs/jobset api/jobset/v1alpha2/jobset_types.go (ReplicatedJob.{Replicas,Template batchv1.JobTemplateSpec}); k8s.io/api batch/v1 JobSpec.Parallelism',
  },
  {
    kind: 'DynamoGraphDeployment',
    group: 'nvidia.com',
    versions: ['v1alpha1', 'v1beta1'],
    resource: 'dynamographdeployments',
    namespaced: true,
    // Each service is its own deployment (like a StormService role): its group is one replica, multinode.nodeCount pods.
    // v1alpha1 writes spec.services, v1beta1 spec.components: each version has only its own path.
    templates: [
      { path: 'spec.services{}', holds: 'dynamoService', role: 'role', podsPerGroup: { path: 'multinode.nodeCount', default: 1 } },
      { path: 'spec.components[]', holds: 'dynamoComponent', role: 'role', podsPerGroup: { path: 'multinode.nodeCount', default: 1 } },
    ],
    onlyVersions: true,
    multinodeLaunch: 'the Dynamo operator launches a multinode service across its nodes itself, with a backend that differs by release, per internal/dynamo/backend_vllm.go',
    source: `ai-dynamo/dynamo deploy/cloud/operator/api/v1alpha1 (DynamoGraphDeployment spec.services: DynamoComponentDeploymentSharedSpec with extraPodSpec {PodSpec, mainContainer}, resources, envs, sharedMemory, multinode.nodeCount); ${DYNAMO_OPERATOR_SOURCE}; components/backends/vllm/deploy/agg.yaml, disagg.yaml; v1beta1: ${DYNAMO_V1BETA1_SOURCE}`,
    notes: 'the pod is the one the operator renders: v1alpha1 extraPodSpec plus the container main (mainContainer over the component defaults), GPUs from resources.gpu, /dev/shm unless sharedMemory.disabled; v1beta1 podTemplate with the defaults under its container main, /dev/shm unless sharedMemorySize is 0',
  },
  ...KNATIVE_KINDS,
  {
    kind: 'Workspace',
    group: 'kaito.sh',
    versions: ['v1alpha1', 'v1beta1'],
    resource: 'workspaces',
    namespaced: true,
    templates: [{ path: 'inference.template', holds: 'template', role: 'pod' }],
    source: 'kaito-project/kaito api/v1beta1/workspace_types.go (InferenceSpec.Template); docs custom model deployment (kaito-base image)',
    notes: 'preset workspaces carry no template: the KAITO controller builds the pods; only custom templates are reviewed here',
  },
  ...OME_KINDS,
  KTHENA_MODEL_SERVING,
  KUBEAI_MODEL,
];

/** The group of an apiVersion (`serving.kserve.io/v1beta1` → `serving.kserve.io`). */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * The serving kind of an object by kind AND API group, or undefined. The group matters: `Rollout`,
 * `Workspace` and `Service` are common kind names in other APIs.
 */
export function findServingKind(apiVersion: string, kind: string): ServingKind | undefined {
  const group = groupOf(apiVersion);
  return SERVING_KINDS.find((k) => k.kind === kind && k.group === group);
}

/**
 * The API groups of the serving kinds named like `kind`, when the object's own group is another
 * CRD group (dotted, not a Kubernetes `*.k8s.io` one): the reason an object of that name is not read
 * says whose kind vllm-guard reads. FusionInfer's `fusioninfer.io` InferenceService (fusioninfer/fusioninfer
 * config/crd/bases, 26eaea16) is not KServe's. Empty otherwise: a core `v1` Service is Kubernetes'
 * own kind, not a stranger to Knative's.
 */
export function servingGroupsNamed(apiVersion: string, kind: string): string[] {
  const group = groupOf(apiVersion);
  if (!group.includes('.') || group.endsWith('k8s.io')) return [];
  return SERVING_KINDS.filter((k) => k.kind === kind && k.group !== group).map((k) => k.group);
}

/**
 * Every parent kind whose pod templates the engine reviews (the built-in kind table without Pod,
 * and the serving CRDs): a child such a parent's controller creates (a Pod of a RayCluster, the
 * Deployment of an InferenceService) was judged at its parent, so it may skip its own review when
 * it comes from that controller's identity (src/admission/owned.ts).
 */
export function reviewedParentKinds(builtIn: readonly string[]): ReadonlySet<string> {
  return new Set([...builtIn.filter((kind) => kind !== 'Pod'), ...SERVING_KINDS.map((k) => k.kind)]);
}
