import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { classifyResource } from '../../../src/engine/knowledge/accelerators.js';
import { matchVllmImage } from '../../../src/engine/knowledge/vllm-image-match.js';
import { extractServingTemplates, readServingGroup } from '../../../src/engine/workload/serving-extract.js';
import { podContainers } from '../../../src/engine/workload/pod-containers.js';
import { extractWorkload } from '../../../src/engine/workload/extract.js';
import { findServingKind, SERVING_KINDS } from '../../../src/engine/workload/serving-kinds.js';

const DIR = fileURLToPath(new URL('../../fixtures/kinds/', import.meta.url));
const load = (name: string): Record<string, unknown> => parse(readFileSync(`${DIR}${name}`, 'utf8')) as Record<string, unknown>;

interface Want {
  kind: string;
  /** role@path:pods for each template. */
  templates: string[];
  group: { pods: number | null; tensor: number | null; pipeline: number | null; devices: number | null };
  /** list[index]=image-id/family for each container with an image (or `-` when no image: merged from a runtime). */
  containers: string[];
  /** Accelerator resources in limits, vendor:unit. */
  accelerators: string[];
}

// What a user of `check` should learn from each public example: where the pods are, how big the group is,
// which build runs there and on which device.
const WANT: Record<string, Want> = {
  'inferenceservice.yaml': {
    kind: 'InferenceService',
    templates: ['pod@spec.predictor:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: [],
    accelerators: ['nvidia:device'],
  },
  'inferenceservice-multinode.yaml': {
    kind: 'InferenceService',
    templates: ['pod@spec.predictor:1', 'worker@spec.predictor.workerSpec:1'],
    group: { pods: 2, tensor: 2, pipeline: 2, devices: 4 },
    containers: [],
    accelerators: [],
  },
  'servingruntime.yaml': {
    kind: 'ServingRuntime',
    templates: ['runtime@spec:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=vllm-openai/cuda'],
    accelerators: [],
  },
  'clusterservingruntime.yaml': {
    kind: 'ClusterServingRuntime',
    templates: ['runtime@spec:1', 'runtime-worker@spec.workerSpec:1'],
    group: { pods: 2, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=kserve-huggingfaceserver/cuda', 'containers[0]=kserve-huggingfaceserver/cuda'],
    accelerators: [],
  },
  'llminferenceservice.yaml': {
    kind: 'LLMInferenceService',
    templates: ['leader@spec.template:1', 'prefill@spec.prefill.template:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: [],
    accelerators: ['nvidia:device', 'nvidia:device'],
  },
  'llminferenceservice-multinode.yaml': {
    kind: 'LLMInferenceService',
    templates: ['leader@spec.template:1', 'worker@spec.worker:1'],
    group: { pods: 2, tensor: 1, pipeline: null, devices: null },
    containers: [],
    accelerators: ['nvidia:device', 'nvidia:device'],
  },
  'llminferenceserviceconfig.yaml': {
    kind: 'LLMInferenceServiceConfig',
    templates: ['leader@spec.template:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=llm-d-cuda/cuda'],
    accelerators: [],
  },
  'raycluster.yaml': {
    kind: 'RayCluster',
    templates: ['head@spec.headGroupSpec.template:1', 'worker@spec.workerGroupSpecs[0].template:1'],
    group: { pods: 2, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=vllm-openai/cuda', 'containers[0]=vllm-openai/cuda'],
    accelerators: ['nvidia:device', 'nvidia:device'],
  },
  'rayservice.yaml': {
    kind: 'RayService',
    templates: ['head@spec.rayClusterConfig.headGroupSpec.template:1', 'worker@spec.rayClusterConfig.workerGroupSpecs[0].template:1'],
    group: { pods: 2, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=ray-llm/cuda', 'containers[0]=ray-llm/cuda'],
    accelerators: ['nvidia:device'],
  },
  'rayjob.yaml': {
    kind: 'RayJob',
    templates: ['head@spec.rayClusterSpec.headGroupSpec.template:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=ray-llm/cuda'],
    accelerators: ['nvidia:device'],
  },
  'rayclusterfleet.yaml': {
    kind: 'RayClusterFleet',
    templates: ['head@spec.template.spec.headGroupSpec.template:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=vllm-openai/cuda'],
    accelerators: ['nvidia:device'],
  },
  'dynamographdeployment.yaml': {
    kind: 'DynamoGraphDeployment',
    templates: ['role@spec.services.Frontend:1', 'role@spec.services.VllmDecodeWorker:1', 'role@spec.services.VllmPrefillWorker:1'],
    group: { pods: 3, tensor: null, pipeline: null, devices: null },
    // The container main the operator renders from each mainContainer: the vllm-runtime image only names
    // vllm (a weak signal; its frontend runs no vLLM), the command decides.
    containers: ['merged[0]=weak/unknown', 'merged[0]=weak/unknown', 'merged[0]=weak/unknown'],
    accelerators: ['nvidia:device', 'nvidia:device'],
  },
  'stormservice.yaml': {
    kind: 'StormService',
    templates: ['role@spec.template.spec.roles[0].template:1', 'role@spec.template.spec.roles[1].template:1'],
    group: { pods: 2, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=aibrix-vllm-openai/cuda', 'containers[0]=aibrix-vllm-openai/cuda'],
    accelerators: ['nvidia:device', 'nvidia:device'],
  },
  'rollout.yaml': {
    kind: 'Rollout',
    templates: ['pod@spec.template:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=vllm-openai/cuda'],
    accelerators: ['nvidia:device'],
  },
  'cloneset.yaml': {
    kind: 'CloneSet',
    templates: ['pod@spec.template:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=vllm-openai-rocm/rocm'],
    accelerators: ['amd:device'],
  },
  'jobset.yaml': {
    kind: 'JobSet',
    templates: ['pod@spec.replicatedJobs[0].template.spec.template:2'],
    group: { pods: 2, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=vllm-openai/cuda'],
    accelerators: ['nvidia:device'],
  },
  'jobset-multinode-ray.yaml': {
    kind: 'JobSet',
    templates: ['pod@spec.replicatedJobs[0].template.spec.template:1', 'pod@spec.replicatedJobs[1].template.spec.template:1'],
    group: { pods: 2, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=vllm-openai/cuda', 'containers[0]=vllm-openai/cuda'],
    accelerators: ['nvidia:device', 'nvidia:device'],
  },
  'knative-service.yaml': {
    kind: 'Service',
    templates: ['pod@spec.template:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=vllm-openai/cuda'],
    accelerators: ['nvidia:device'],
  },
  'knative-configuration.yaml': {
    kind: 'Configuration',
    templates: ['pod@spec.template:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=vllm-openai/cuda'],
    accelerators: ['nvidia:device'],
  },
  'knative-revision.yaml': {
    kind: 'Revision',
    templates: ['pod@spec:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=vllm-openai/cuda'],
    accelerators: ['nvidia:device'],
  },
  'kubeai-model.yaml': {
    kind: 'Model',
    // The pod KubeAI's controller renders, laid out as a Pod's: no image (the installation's, per profile) and no resources (the profile's).
    templates: ['pod@:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: [],
    accelerators: [],
  },
  'ome-clusterservingruntime.yaml': {
    kind: 'ClusterServingRuntime',
    templates: ['runtime@spec.engineConfig:1', 'runtime@spec.routerConfig:1'],
    group: { pods: 2, tensor: null, pipeline: null, devices: null },
    // The runners are merged into their pods (by name): the engine's runs vLLM, the router's does not.
    containers: ['merged[0]=vllm-openai/cuda', 'merged[0]=none'],
    accelerators: ['nvidia:device'],
  },
  'ome-servingruntime-multinode.yaml': {
    kind: 'ServingRuntime',
    templates: ['leader@spec.engineConfig.leader:1', 'runtime-worker@spec.engineConfig.worker:1'],
    group: { pods: 2, tensor: null, pipeline: null, devices: null },
    containers: ['merged[0]=vllm-openai/cuda', 'merged[0]=vllm-openai/cuda'],
    accelerators: ['nvidia:device', 'nvidia:device'],
  },
  'kthena-modelserving.yaml': {
    kind: 'ModelServing',
    templates: [
      'leader@spec.template.roles[0].entryTemplate:1',
      'leader@spec.template.roles[1].entryTemplate:1',
      'worker@spec.template.roles[0].workerTemplate:1',
      'worker@spec.template.roles[1].workerTemplate:1',
    ],
    // Every template of the object; each role instance is its own group of 2 (extractWorkload below).
    // volcano-sh's own vLLM build is no image the table knows: its name says vLLM (weak), not the device.
    group: { pods: 4, tensor: null, pipeline: null, devices: null },
    containers: [
      'containers[0]=weak/unknown',
      'initContainers[0]=none',
      'containers[0]=weak/unknown',
      'initContainers[0]=none',
      'containers[0]=weak/unknown',
      'initContainers[0]=none',
      'containers[0]=weak/unknown',
      'initContainers[0]=none',
    ],
    accelerators: ['nvidia:device', 'nvidia:device', 'nvidia:device', 'nvidia:device'],
  },
  'workspace.yaml': {
    kind: 'Workspace',
    templates: ['pod@inference.template:1'],
    group: { pods: 1, tensor: null, pipeline: null, devices: null },
    containers: ['containers[0]=none'],
    accelerators: ['nvidia:device'],
  },
};

t.test('every serving kind has a fixture modeled on a public example, and every fixture names its source', async (t) => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
  t.same(files.sort(), Object.keys(WANT).sort(), 'each fixture has expectations');
  const covered = new Set(Object.values(WANT).map((w) => w.kind));
  for (const kind of SERVING_KINDS) t.ok(covered.has(kind.kind), `${kind.kind} has a fixture`);
  for (const file of files) t.match(readFileSync(`${DIR}${file}`, 'utf8'), /^# modeled on: \S/, `${file} names the public file it follows`);
});

for (const [file, want] of Object.entries(WANT)) {
  t.test(file, async (t) => {
    const object = load(file);
    const kind = findServingKind(String(object.apiVersion), String(object.kind));
    if (!kind) return t.fail(`${file}: ${String(object.apiVersion)} ${String(object.kind)} is not a serving kind`);
    t.equal(kind.kind, want.kind);
    const templates = extractServingTemplates(object, kind);
    t.same(templates.map((x) => `${x.role}@${x.path}:${x.pods}`), want.templates, 'templates, paths and pods');
    t.same(readServingGroup(object, kind, templates), want.group, 'serving group');
    // The containers of each pod spec, and those the controller merges in (KServe predictor.model).
    const containers = templates.flatMap((x) => [
      ...podContainers(x.spec, x.specPath, 64),
      ...x.mergedContainers.map((m) => ({ list: 'merged', index: 0, path: m.path, container: m.container })),
    ]);
    const withImage = containers.filter((c) => typeof c.container.image === 'string');
    t.same(
      withImage.map((c) => {
        const match = matchVllmImage(c.container.image as string);
        return `${c.list}[${c.index}]=${match ? `${match.image?.id ?? 'weak'}/${match.family}` : 'none'}`;
      }),
      want.containers,
      'vLLM builds and their accelerator family',
    );
    const accelerators = containers.flatMap((c) => {
      const limits = (c.container.resources as { limits?: Record<string, unknown> } | undefined)?.limits ?? {};
      return Object.keys(limits)
        .map((name) => classifyResource(name))
        .filter((r) => r !== null)
        .map((r) => `${r.vendor.id}:${r.resource.unit}`);
    });
    t.same(accelerators, want.accelerators, 'accelerator resources by vendor');
  });
}

t.test('KServe predictor.model is carried as the kserve-container the controller merges', async (t) => {
  const object = load('inferenceservice.yaml');
  const kind = findServingKind('serving.kserve.io/v1beta1', 'InferenceService');
  const [predictor] = kind ? extractServingTemplates(object, kind) : [];
  t.same(predictor?.mergedContainers.map((m) => [m.path, m.as, (m.container.args as string[])[1]]), [
    ['spec.predictor.model', 'kserve-container', '--model_id=meta-llama/meta-llama-3-8b-instruct'],
  ]);
});

t.test('a DynamoGraphDeployment service is the pod the Dynamo operator renders: main from mainContainer, GPUs, /dev/shm, worker defaults', async (t) => {
  const object = load('dynamographdeployment.yaml');
  const kind = findServingKind('nvidia.com/v1alpha1', 'DynamoGraphDeployment');
  const templates = kind ? extractServingTemplates(object, kind) : [];
  const decode = templates.find((x) => x.path === 'spec.services.VllmDecodeWorker');
  const main = decode?.mergedContainers[0];
  t.equal(main?.path, 'spec.services.VllmDecodeWorker.extraPodSpec.mainContainer');
  t.equal(main?.as, 'main');
  t.same((main?.container.resources as { limits?: unknown }).limits, { 'nvidia.com/gpu': '1' }, 'resources.limits.gpu is nvidia.com/gpu');
  t.same(main?.container.envFrom, [{ secretRef: { name: 'hf-token-secret' } }]);
  t.same(main?.container.volumeMounts, [{ name: 'shared-memory', mountPath: '/dev/shm' }], '/dev/shm the operator adds');
  t.same(decode?.spec.volumes, [{ name: 'shared-memory', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } }]);
  t.match(main?.container, { readinessProbe: { httpGet: { path: '/health', port: 'system' } }, startupProbe: { failureThreshold: 720 } }, 'worker probes on the system port');
  const frontend = templates.find((x) => x.path === 'spec.services.Frontend')?.mergedContainers[0]?.container;
  t.equal(frontend?.startupProbe, undefined, 'the worker defaults are for workers only');
  // The operator's mapping: gpuType names the resource; sharedMemory.disabled leaves /dev/shm out.
  const service = (object.spec as { services: Record<string, Record<string, unknown>> }).services.VllmDecodeWorker!;
  service.resources = { limits: { gpu: '2', gpuType: 'nvidia.com/mig-3g.40gb', custom: { 'vke.volcengine.com/rdma': '1' } } };
  service.sharedMemory = { disabled: true };
  const changed = kind ? extractServingTemplates(object, kind).find((x) => x.path === 'spec.services.VllmDecodeWorker') : undefined;
  t.same((changed?.mergedContainers[0]?.container.resources as { limits?: unknown }).limits, { 'nvidia.com/mig-3g.40gb': '2', 'vke.volcengine.com/rdma': '1' });
  t.same(changed?.spec.volumes, []);
});

t.test('a DynamoGraphDeployment of a version whose layout is not known is skipped with the reason, never guessed', async (t) => {
  const object = { ...load('dynamographdeployment.yaml'), apiVersion: 'nvidia.com/v2' };
  const workload = extractWorkload(object);
  t.equal(workload.templates.length, 0);
  // It names vLLM images, so the reason also says where the first one is (workload/unread-vllm.ts).
  t.match(workload.skipped, /^nvidia\.com\/v2 DynamoGraphDeployment is not read: vllm-guard knows the layout of v1alpha1, v1beta1 only, though spec\.services\.\w+\.extraPodSpec\.mainContainer\.image names the vLLM image \S+: the pods it makes are not reviewed here$/);
  t.equal(extractWorkload(load('dynamographdeployment.yaml')).templates.length, 3);
});

t.test('a JobSet is one vLLM group only when its pods launch a multi-node engine; otherwise each pod is its own', async (t) => {
  // jobset.yaml: 2 replicas of an offline batch job, each its own vLLM: two groups of one pod, never one NCCL group of 2.
  const batch = extractWorkload(load('jobset.yaml'));
  t.same(batch.templates.map((x) => [x.groupSize, x.podsInGroup]), [[1, 1]]);
  // jobset-multinode-ray.yaml: a Ray head running vLLM across a worker job: one group of head + worker.
  const ray = extractWorkload(load('jobset-multinode-ray.yaml'));
  t.same(ray.templates.map((x) => [x.groupSize, x.podsInGroup]), [[2, 1], [2, 1]]);
  // The same layout with the multi-node mp launch (--nnodes/--node-rank, --headless workers) is one group too.
  const mp = load('jobset-multinode-ray.yaml') as { spec: { replicatedJobs: { template: { spec: { template: { spec: { containers: { args: string[] }[] } } } } }[] } };
  const [head, worker] = mp.spec.replicatedJobs;
  head!.template.spec.template.spec.containers[0]!.args = ['vllm serve m --tensor-parallel-size 8 --pipeline-parallel-size 2 --nnodes 2 --node-rank 0 --master-addr vllm-multinode-head-0-0.vllm-multinode'];
  worker!.template.spec.template.spec.containers[0]!.args = ['vllm serve m --tensor-parallel-size 8 --pipeline-parallel-size 2 --nnodes 2 --node-rank 1 --master-addr vllm-multinode-head-0-0.vllm-multinode --headless'];
  t.same(extractWorkload(mp).templates.map((x) => x.groupSize), [2, 2]);
  // One Indexed Job of 2 pods (parallelism 2), each a node of the engine: a group of 2, not 1.
  const indexed = load('jobset-multinode-ray.yaml') as { spec: { replicatedJobs: { template: { spec: { parallelism: number; completions: number; template: { spec: { containers: { args: string[] }[] } } } } }[] } };
  indexed.spec.replicatedJobs = indexed.spec.replicatedJobs.slice(0, 1);
  const job = indexed.spec.replicatedJobs[0]!.template.spec;
  job.parallelism = 2;
  job.completions = 2;
  job.template.spec.containers[0]!.args = ['vllm serve m --tensor-parallel-size 8 --pipeline-parallel-size 2 --nnodes 2 --node-rank $(JOB_COMPLETION_INDEX) --master-addr vllm-multinode-head-0-0.vllm-multinode'];
  t.same(extractWorkload(indexed).templates.map((x) => [x.groupSize, x.podsInGroup]), [[2, 2]]);
});

t.test('kinds are matched with their API group, not by name alone', async (t) => {
  t.equal(findServingKind('argoproj.io/v1alpha1', 'Rollout')?.kind, 'Rollout');
  t.equal(findServingKind('example.com/v1', 'Rollout'), undefined);
  t.equal(findServingKind('v1', 'Workspace'), undefined);
  t.equal(findServingKind('v1', 'Service'), undefined, 'a core Service is no workload');
  t.equal(findServingKind('serving.knative.dev/v1', 'Service')?.group, 'serving.knative.dev');
});

t.test('counts that are placeholders leave the group size unknown, malformed objects yield nothing', async (t) => {
  const ray = findServingKind('ray.io/v1', 'RayCluster');
  if (!ray) return t.fail('RayCluster');
  const object = { spec: { headGroupSpec: { template: { spec: { containers: [] } } }, workerGroupSpecs: [{ replicas: '{{ .Values.replicas }}', template: { spec: { containers: [] } } }] } };
  const templates = extractServingTemplates(object, ray);
  t.same(templates.map((x) => x.pods), [1, null]);
  t.equal(readServingGroup(object, ray, templates).pods, null);
  t.same(extractServingTemplates('not an object', ray), []);
  t.same(extractServingTemplates({ spec: { workerGroupSpecs: 'x' } }, ray), []);
  const many = { spec: { workerGroupSpecs: Array.from({ length: 500 }, () => ({ template: { spec: {} } })) } };
  t.equal(extractServingTemplates(many, ray).length, 64, 'arrays are read up to 64 elements');
});

t.test('all containers: native sidecars run for the pod life, init and ephemeral containers do not', async (t) => {
  const spec = {
    containers: [{ name: 'app' }],
    initContainers: [{ name: 'download' }, { name: 'vllm', restartPolicy: 'Always' }],
    ephemeralContainers: [{ name: 'debug' }],
  };
  t.same(
    podContainers(spec, 'spec.template.spec', 64).map((c) => `${c.path}:${c.longRunning}`),
    [
      'spec.template.spec.containers[0]:true',
      'spec.template.spec.initContainers[0]:false',
      'spec.template.spec.initContainers[1]:true',
      'spec.template.spec.ephemeralContainers[0]:false',
    ],
  );
  t.same(podContainers(spec, '', 64)[0]?.path, 'containers[0]', 'a Pod spec at the root has no prefix');
});

t.test('OME runtimes: kinds of the same name are told apart by API group, and the runner keeps its own name', async (t) => {
  t.equal(findServingKind('ome.io/v1beta1', 'ClusterServingRuntime')?.source.startsWith('sgl-project/ome'), true, 'ome.io is OME');
  t.equal(findServingKind('serving.kserve.io/v1alpha1', 'ClusterServingRuntime')?.source.startsWith('kserve/kserve'), true, 'serving.kserve.io is KServe');
  const object = load('ome-clusterservingruntime.yaml');
  const workload = extractWorkload(object);
  t.same(workload.templates.map((x) => [x.path, x.groupSize, x.mergedContainers?.map((m) => [m.path, m.as])]), [
    ['spec.engineConfig', 1, [['spec.engineConfig.runner', 'ome-container']]],
    ['spec.routerConfig', 1, [['spec.routerConfig.runner', 'router']]],
  ], 'engine and router are separate deployments of one pod each');
  t.equal(workload.serving?.acceleratorsFromService, true, 'accelerators come from the OME InferenceService');
  t.same(workload.templates[0]?.metadata, { labels: { 'logging-forward': 'enabled' }, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics' } }, 'the engine\'s labels and annotations are its pods\'');
  t.equal(workload.templates[0]?.multinodeLaunch, undefined, 'a single-node engine has no multi-node launch');
  // A runner written without a name takes the name the OME webhooks look for.
  const unnamed = structuredClone(object) as { spec: { engineConfig: { runner: Record<string, unknown> } } };
  delete unnamed.spec.engineConfig.runner.name;
  t.equal(extractWorkload(unnamed).templates[0]?.mergedContainers?.[0]?.as, 'ome-container');
});

t.test('OME multi-node: a leader replaces the engine pod spec; leader and worker.size workers form one group whose launch OME adds', async (t) => {
  const object = load('ome-servingruntime-multinode.yaml') as { spec: { engineConfig: Record<string, unknown> } };
  object.spec.engineConfig.containers = [{ name: 'sidecar', image: 'busybox:1.36' }];
  const workload = extractWorkload(object);
  t.same(workload.templates.map((x) => [x.path, x.role, x.groupSize, x.podsInGroup]), [
    ['spec.engineConfig.leader', 'leader', 2, 1],
    ['spec.engineConfig.worker', 'worker', 2, 1],
  ], 'spec.engineConfig itself is not a pod when a leader is written (components/engine.go reconcilePodSpec)');
  t.ok(workload.templates.every((x) => x.multinodeLaunch?.startsWith('OME runs a multi-node runtime')), 'the launch is unknown');
  t.same(workload.templates[0]?.controllerEnv?.names, ['MODEL_PATH', 'PARALLELISM_SIZE']);
});

t.test('kthena ModelServing: each role instance (entry + workerReplicas) is its own group, never the sum of the roles', async (t) => {
  const workload = extractWorkload(load('kthena-modelserving.yaml'));
  t.same(workload.templates.map((x) => [x.path, x.role, x.groupSize, x.servingGroup]), [
    ['spec.template.roles[0].entryTemplate', 'leader', 2, 'spec.template.roles[0]'],
    ['spec.template.roles[1].entryTemplate', 'leader', 2, 'spec.template.roles[1]'],
    ['spec.template.roles[0].workerTemplate', 'worker', 2, 'spec.template.roles[0]'],
    ['spec.template.roles[1].workerTemplate', 'worker', 2, 'spec.template.roles[1]'],
  ]);
  t.same(workload.templates[0]?.controllerEnv?.names, ['ENTRY_ADDRESS', 'WORKER_INDEX', 'GROUP_SIZE']);
});
