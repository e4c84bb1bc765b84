/** Facts left open by where a container's image, devices and probes come from (buildFacts' unknowns). */
import { arrayAt, objectAt, stringAt } from '../util/json.js';
import type { JsonObject, UnknownFact } from '../types.js';
import type { VendorAcceleratorFacts } from './accelerators-by-vendor.js';
import type { FactsContext } from './build.js';
import { addUnknown } from './vllm.js';
import { rayCapacityUnknown } from '../workload/ray-llm-targets.js';
import { addSelfBenchmarkUnknowns } from './self-benchmark.js';
import { runtimeDevices, runtimeDevicesBesideLimits } from './runtime-devices.js';

/** The accelerator facts of the Ray head's own container: a Ray Serve LLM engine runs elsewhere in the cluster. */
const RAY_HEAD_DEVICE_FACTS = [
  'accelerators.present', 'accelerators.resources', 'accelerators.limit', 'accelerators.request', 'accelerators.requestEqualsLimit', 'accelerators.limitMissing',
  'accelerators.integers', 'accelerators.claims', 'accelerators.shared', 'accelerators.vendors', 'accelerators.family',
  'accelerators.advice', 'accelerators.mismatch', 'rollout.acceleratorsPerReplica', 'rollout.surgeAccelerators',
];
const RAY_HEAD_REASON = 'Ray places a Ray Serve LLM engine on the accelerators of the Ray cluster, not of the head container';

/**
 * A Ray Serve LLM engine (workload/ray-llm-targets.ts): the head container's own devices say nothing
 * about it; the cluster's total (accelerators.groupTotal) stays known unless a worker group has no
 * bound, or the config's placement_group_config / use_cpu decide the GPUs of a replica.
 */
function addRayLlmUnknowns(ctx: FactsContext, unknowns: UnknownFact[]): void {
  for (const path of RAY_HEAD_DEVICE_FACTS) addUnknown(unknowns, path, RAY_HEAD_REASON, 'Ray Serve LLM');
  // The weights are downloaded on the Ray node that runs the engine, into that pod's cache.
  for (const path of ['volumes.cacheDir', 'volumes.cachePersistent', 'volumes.modelPersistent']) {
    addUnknown(unknowns, path, 'Ray downloads the model on the worker that runs the engine, not in the head container', 'Ray Serve LLM');
  }
  const reason = ctx.target.rayLlm?.devicesUnknown ?? rayCapacityUnknown(ctx.object, ctx.workload);
  if (reason) addUnknown(unknowns, 'accelerators.groupTotal', reason, 'Ray Serve LLM');
}

/** Facts read from the accelerator counts: unknown when a count is a placeholder. */
const COUNT_FACTS = [
  'accelerators.limit', 'accelerators.request', 'accelerators.requestEqualsLimit', 'accelerators.limitMissing', 'accelerators.integers', 'accelerators.groupTotal',
  'rollout.acceleratorsPerReplica', 'rollout.surgeAccelerators',
];

const TPU7X_ACCELERATOR_LABEL = 'cloud.google.com/gke-tpu-accelerator';
const TPU7X_REASON = 'google.com/tpu counts TPU7x chips, and each TPU7x chip holds two TensorCores that vLLM may count as two devices, per docs.cloud.google.com/tpu/docs/tpu7x';

/** Count facts vLLM's parallelism is compared with: a Neuron device is not what --tensor-parallel-size counts, nor a limit beside a runtime device variable. */
const NEURON_DEVICE_FACTS = ['accelerators.limit', 'accelerators.groupTotal'];
const NEURON_DEVICE_REASON =
  'aws.amazon.com/neuron counts Neuron devices, and vLLM on Neuron counts --tensor-parallel-size in NeuronCores: 2 per Inferentia2 or Trainium device, 8 per Trainium2 (fewer logical ones with LNC), per awsdocs-neuron "Inferentia2 Architecture" and "Trainium2 Architecture"';

/**
 * Whether the ranks the arguments ask for (tensor × pipeline × data, 1 when unset) fit the device count
 * itself: then each rank has at least a device, whatever a device holds, and the comparison stays known.
 */
function withinDevices(ctx: FactsContext, devices: number | null): boolean {
  if (devices === null) return false;
  let ranks = 1;
  for (const flag of ['tensor-parallel-size', 'pipeline-parallel-size', 'data-parallel-size']) {
    const value = ctx.args.values[flag];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return false;
    ranks *= value;
  }
  return ranks <= devices;
}

/** Whether the pod's nodeSelector or a required node-affinity term pins GKE's `tpu7x` accelerator (Ironwood). */
function selectsTpu7x(pod: JsonObject): boolean {
  if (stringAt(objectAt(pod, 'nodeSelector'), TPU7X_ACCELERATOR_LABEL) === 'tpu7x') return true;
  const required = objectAt(objectAt(objectAt(pod, 'affinity'), 'nodeAffinity'), 'requiredDuringSchedulingIgnoredDuringExecution');
  return arrayAt(required, 'nodeSelectorTerms').some((term) =>
    arrayAt(term, 'matchExpressions').some(
      (e) => stringAt(e, 'key') === TPU7X_ACCELERATOR_LABEL && stringAt(e, 'operator') === 'In' && arrayAt(e, 'values').includes('tpu7x'),
    ),
  );
}

/** KServe's deployment modes in which Knative runs the predictor (constants.go: Knative, and the legacy Serverless). */
const KNATIVE_MODES: ReadonlySet<string> = new Set(['Knative', 'Serverless']);
const KNATIVE_READINESS =
  "Knative gives a container without a readinessProbe its TCP probe (knative/serving pkg/apis/serving/v1/revision_defaults.go applyProbes), and vLLM's port listens only once the model is loaded, so that probe waits for the load but proves less than /health";

/**
 * A container Knative runs (a Knative Service, Configuration or Revision, or an InferenceService in
 * Knative mode: `serving.kserve.io/deploymentMode` Knative or Serverless) that writes no
 * readinessProbe: Knative adds one, which a review of the manifest cannot see. In KServe's Standard
 * (raw Deployment) mode, its default since v0.16, nothing is added.
 */
function knativeReadiness(ctx: FactsContext, unknowns: UnknownFact[]): void {
  const { kind, apiVersion, annotations } = ctx.workload;
  const knative = apiVersion.startsWith('serving.knative.dev/') ||
    (kind === 'InferenceService' && apiVersion.startsWith('serving.kserve.io/') && KNATIVE_MODES.has(annotations['serving.kserve.io/deploymentMode'] ?? ''));
  if (knative && objectAt(ctx.target.container, 'readinessProbe') === undefined) addUnknown(unknowns, 'probes.readiness', KNATIVE_READINESS, 'Knative');
}

/**
 * OpenShift AI's serving webhook (opendatahub-io/odh-model-controller internal/webhook/serving/v1beta1/
 * inferenceservice_webhook.go applyHardwareProfile and v1alpha2/llminferenceservice_webhook.go, at
 * 57b43aad41ae) reads the HardwareProfile that `opendatahub.io/hardware-profile-name` names and writes its
 * resource identifiers (where the object sets none), nodeSelector and tolerations into the object at
 * admission: the reason those are unknown here, or null when the object names no profile.
 */
function hardwareProfile(ctx: FactsContext): string | null {
  const { kind, apiVersion, annotations, namespace } = ctx.workload;
  if ((kind !== 'InferenceService' && kind !== 'LLMInferenceService') || !apiVersion.startsWith('serving.kserve.io/')) return null;
  const name = annotations['opendatahub.io/hardware-profile-name'];
  if (!name) return null;
  const ns = annotations['opendatahub.io/hardware-profile-namespace'] ?? namespace;
  const profile = `${ns ? `${ns.slice(0, 63)}/` : ''}${name.slice(0, 253)}`;
  return `OpenShift AI's webhook fills the resources, nodeSelector and tolerations from HardwareProfile ${profile}, an object the review does not read`;
}

/**
 * Facts a serving CRD, a device plugin or a placeholder leaves open: accelerators that come from elsewhere
 * (a runtime's InferenceService, KServe's TP × PP, the workers of a Ray group) or sit under a resource
 * name no vendor row knows, device counts and an image written as placeholders (`"${VLLM_GPU_COUNT}"`,
 * `$VLLM_IMAGE`, `{{ … }}`), an image not written at all (a kustomize patch), and what a controller
 * fills into a container from another object. They never deny.
 */
export function addServingUnknowns(ctx: FactsContext, unknowns: UnknownFact[], vendorFacts: VendorAcceleratorFacts): void {
  const { target, workload } = ctx;
  const { container } = target;
  const ownDevices = vendorFacts.vendors.length > 0 || vendorFacts.claims;
  // `HABANA_VISIBLE_DEVICES=all` beside `habana.ai/gaudi: 1` (runtime-devices.ts), asked once.
  const besideLimits = ownDevices && !withinDevices(ctx, vendorFacts.devices) ? runtimeDevicesBesideLimits(container, vendorFacts.vendors, vendorFacts.devices) : null;
  const image = stringAt(container, 'image') ?? '';
  const placeholder = ctx.tables.images.placeholder(image); // imagePlaceholder, remembered per engine
  // A placeholder or no image at all: which build runs (GPU or CPU) is not written here.
  const unreadable = placeholder !== null || image.trim() === '';
  const profile = hardwareProfile(ctx);
  // Said first, so its reason is the one given (addUnknown keeps the first reason of a path).
  for (const u of target.template.controllerUnknowns ?? []) addUnknown(unknowns, u.path, u.reason, workload.kind);
  if (target.rayLlm) {
    addRayLlmUnknowns(ctx, unknowns);
  } else if (workload.serving?.acceleratorsFromService) {
    addUnknown(unknowns, 'accelerators', 'a serving runtime gets its accelerators from the InferenceService that uses it', 'serving runtime');
  } else if (!ownDevices && workload.serving && workload.serving.devices !== null) {
    addUnknown(unknowns, 'accelerators', 'KServe sets the GPUs of each node from workerSpec.tensorParallelSize × pipelineParallelSize', 'InferenceService');
  } else if (!ownDevices && profile !== null) {
    addUnknown(unknowns, 'accelerators', profile, 'HardwareProfile');
  } else if (!ownDevices && workload.serving && target.template.role === 'leader' && ctx.groupAccelerators > 0) {
    addUnknown(unknowns, 'accelerators', 'the Ray head schedules vLLM engines on the accelerators of its worker groups', 'Ray group');
  } else if (vendorFacts.quantityPlaceholder !== undefined) {
    // The resource names stay known (taints, node labels, vendor); the counts and what is read from them do not.
    for (const path of COUNT_FACTS) addUnknown(unknowns, path, vendorFacts.quantityPlaceholder, 'resources');
  } else if (vendorFacts.vendors.includes('google-tpu') && selectsTpu7x(target.template.spec)) {
    // google.com/tpu counts chips; vLLM's TPU backend counts devices, two per TPU7x chip (llm-d's
    // optimized-baseline guide runs --tensor-parallel-size=8 on google.com/tpu: 4 of a 2x2x1 tpu7x slice).
    for (const path of COUNT_FACTS) addUnknown(unknowns, path, TPU7X_REASON, 'resources');
  } else if (vendorFacts.vendors.includes('aws-neuron') && vendorFacts.units.includes('device') && !withinDevices(ctx, vendorFacts.devices)) {
    // Requests and rollout counts stay in devices, which is what the scheduler counts.
    for (const path of NEURON_DEVICE_FACTS) addUnknown(unknowns, path, NEURON_DEVICE_REASON, 'resources');
  } else if (besideLimits !== null) {
    // `HABANA_VISIBLE_DEVICES=all` beside `habana.ai/gaudi: 1`: vLLM may see the node's devices, not the limit's.
    for (const path of NEURON_DEVICE_FACTS) addUnknown(unknowns, path, besideLimits, 'pod');
  } else if (vendorFacts.unknown && vendorFacts.unknownResources.length > 0) {
    addUnknown(unknowns, 'accelerators', vendorFacts.unknown, 'resources');
  } else if (!ownDevices && runtimeDevices(target.template.metadata, container) !== null) {
    addUnknown(unknowns, 'accelerators', runtimeDevices(target.template.metadata, container) as string, 'pod');
  } else if (!ownDevices && (target.classification.signal !== undefined || unreadable) && ctx.tables.images.match(image)?.strength !== 'strong') {
    addUnknown(unknowns, 'accelerators', unreadable ? 'the image is not written out, so whether it is a CPU build (which needs no accelerator) is unknown' : 'the image is no vLLM build vllm-guard knows, and a CPU build needs no accelerator', 'image');
  }
  if (profile) {
    for (const path of ['scheduling.tolerations', 'scheduling.nodeLabelKeys']) addUnknown(unknowns, path, profile, 'HardwareProfile');
    // A profile's identifiers may be cpu and memory too, applied where the object sets none (injector.go).
    if (objectAt(objectAt(container, 'resources'), 'limits')?.memory === undefined) addUnknown(unknowns, 'shm.memoryLimitBytes', profile, 'HardwareProfile');
  }
  knativeReadiness(ctx, unknowns);
  addSelfBenchmarkUnknowns(ctx, unknowns);
  // A controller that launches the group across its nodes adds the backend and node flags itself.
  const launch = target.template.multinodeLaunch;
  if (launch) for (const path of ['fit.multinode', 'vllm.args.distributed-executor-backend', 'vllm.args.nnodes']) addUnknown(unknowns, path, launch, workload.kind);
  if (placeholder) addUnknown(unknowns, 'image', placeholder, 'image');
  // The API server requires an image: without one this is a patch or a part another object completes.
  else if (image.trim() === '' && !target.completedBy) addUnknown(unknowns, 'image', 'the container names no image, as in a kustomize patch or a partial object', 'image');
  const injected = target.template.injectedBy !== undefined && (target.list ?? 'containers') === 'containers' && target.index === 0 && target.path === undefined;
  const from = target.completedBy ?? (injected ? target.template.injectedBy : undefined);
  if (!from) return;
  if (target.completedBy && stringAt(container, 'image') === undefined) addUnknown(unknowns, 'image', `the image comes from ${from}`, from);
  for (const [probe, fact] of [['readinessProbe', 'readiness'], ['livenessProbe', 'liveness'], ['startupProbe', 'startup']] as const) {
    if (!objectAt(container, probe)) addUnknown(unknowns, `probes.${fact}`, `probes may come from ${from}`, from);
  }
  addUnknown(unknowns, 'shm', `/dev/shm may come from ${from}`, from);
  if (target.completedBy) addUnknown(unknowns, 'volumes', `volumes and mounts may come from ${from}`, from);
}
