/**
 * Serving kinds of OME (sgl-project/ome: ServingRuntime, ClusterServingRuntime) and Volcano kthena
 * (ModelServing), entries of SERVING_KINDS (serving-kinds.ts), each with the API types it follows.
 * @module
 */
import type { ServingKind, ServingTemplateEntry } from './serving-kind-types.js';

/**
 * OME (sgl-project/ome) runtimes: engineConfig, decoderConfig and routerConfig each become their own
 * deployment, a pod spec with the `runner` container merged in by name (appended when no container
 * has it). Multi-node: a leader pod (its own pod spec and runner, replacing the component's) and
 * `worker.size` workers, one LeaderWorkerSet group.
 */
const OME_RUNNER = 'ome-container';
// The component's labels and annotations (ComponentExtensionSpec) go on its pods (components/engine.go processLabels, processAnnotations).
function omeComponent(prefix: string): ServingTemplateEntry[] {
  const runner = (at: string) => [{ path: `${at}.runner`, as: OME_RUNNER, ownName: true as const }];
  return [
    { path: prefix, holds: 'podSpec', role: 'runtime', mergedContainers: runner(prefix), group: prefix, absentWith: `${prefix}.leader`, metadataFrom: prefix },
    { path: `${prefix}.leader`, holds: 'podSpec', role: 'leader', mergedContainers: runner(`${prefix}.leader`), group: prefix, metadataFrom: prefix },
    // WorkerSpec.Size: "the number of pods in the worker"; unset is 0 (engine.go getWorkerSize).
    { path: `${prefix}.worker`, holds: 'podSpec', role: 'runtime-worker', podsPerGroup: { path: 'size', default: 0 }, mergedContainers: runner(`${prefix}.worker`), group: prefix, metadataFrom: prefix },
  ];
}
const OME_TEMPLATES: ServingTemplateEntry[] = [
  ...omeComponent('spec.engineConfig'),
  ...omeComponent('spec.decoderConfig'),
  { path: 'spec.routerConfig', holds: 'podSpec', role: 'runtime', mergedContainers: [{ path: 'spec.routerConfig.runner', as: OME_RUNNER, ownName: true }], group: 'spec.routerConfig', metadataFrom: 'spec.routerConfig' },
];
const OME_SOURCE =
  'sgl-project/ome pkg/apis/ome/v1beta1/servingruntime_types.go@17b77edad2 (ServingRuntimeSpec.{EngineConfig,DecoderConfig,RouterConfig}), inference_service.go (EngineSpec/DecoderSpec inline PodSpec + Runner, Leader, Worker{Size}; RunnerSpec inlines corev1.Container); pkg/controller/v1beta1/inferenceservice/reconcilers/common/podspec_reconciler.go (runner merged into the container of its name, else appended), components/engine.go reconcilePodSpec (multi-node: the leader pod spec and runner); config/runtimes/vllm/*.yaml';
const OME_LAUNCH = 'OME runs a multi-node runtime as a LeaderWorkerSet (or Ray clusters, MultiNodeRayVLLM) and sets its parallelism from the accelerators of the InferenceService (components/engine.go setParallelismEnvVarForEngine)';
// The runner's env: MODEL_PATH, the base model's storage path (components/base.go UpdateEnvVariables), and
// PARALLELISM_SIZE, GPUs per pod × pods (components/engine.go setParallelismEnvVarForEngine); constants.go.
const OME_ENV = { names: ['MODEL_PATH', 'PARALLELISM_SIZE'], by: 'the OME controller (from the InferenceService and its base model)' };
export const OME_KINDS: readonly ServingKind[] = [
  { kind: 'ServingRuntime', group: 'ome.io', versions: ['v1beta1'], resource: 'servingruntimes', namespaced: true, templates: OME_TEMPLATES, acceleratorsFrom: 'inference-service', multinodeLaunch: OME_LAUNCH, controllerEnv: OME_ENV, source: OME_SOURCE },
  {
    kind: 'ClusterServingRuntime',
    group: 'ome.io',
    versions: ['v1beta1'],
    resource: 'clusterservingruntimes',
    namespaced: false,
    templates: OME_TEMPLATES,
    acceleratorsFrom: 'inference-service',
    multinodeLaunch: OME_LAUNCH,
    controllerEnv: OME_ENV,
    source: OME_SOURCE,
    notes: 'a template: the OME InferenceService that selects it merges its own engine over it (utils/merging.go MergeEngineSpec) and supplies the accelerators',
  },
];

/**
 * Volcano kthena ModelServing: each role instance is one entry pod and workerReplicas workers, its
 * own serving group (a prefill role and a decode role are separate vLLM deployments).
 */
export const KTHENA_MODEL_SERVING: ServingKind = {
  kind: 'ModelServing',
  group: 'workload.serving.volcano.sh',
  versions: ['v1alpha1'],
  resource: 'modelservings',
  namespaced: true,
  templates: [
    { path: 'spec.template.roles[].entryTemplate', holds: 'template', role: 'leader', podsPerGroup: 1, group: 'element' },
    { path: 'spec.template.roles[].workerTemplate', holds: 'template', role: 'worker', podsPerGroup: { path: 'workerReplicas', default: 0 }, group: 'element' },
  ],
  // model_serving_types.go EntryAddressEnv, WorkerIndexEnv, GroupSizeEnv.
  controllerEnv: { names: ['ENTRY_ADDRESS', 'WORKER_INDEX', 'GROUP_SIZE'], by: 'kthena' },
  source:
    'volcano-sh/kthena pkg/apis/workload/v1alpha1/servinggroup_types.go@3cc057284c (ServingGroup.Roles; Role.{Replicas,EntryTemplate,WorkerReplicas,WorkerTemplate}); docs/kthena/docs/assets/examples/model-serving/*.yaml',
  notes: 'role.replicas are separate instances of the role, each a group of 1 + workerReplicas pods; kthena sets ENTRY_ADDRESS and GROUP_SIZE in the pods for the launch the templates write',
};
