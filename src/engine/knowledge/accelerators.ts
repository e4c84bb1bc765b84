/**
 * Accelerator vendors as Kubernetes sees them: the extended resources their device plugins advertise,
 * what one unit of each is, the taints and node labels their nodes carry, and the vLLM image family to
 * run on them. Data with sources; a field we could not source is left empty, never guessed.
 *
 * An extended resource that no row names (a vendor we do not know, a renamed resource) makes the
 * accelerator facts of a vLLM container unknown: it is never a reason to deny (see `classifyResource`).
 */

/** The build a vLLM image is made for, by the device runtime it links against. */
export type AcceleratorFamily = 'cuda' | 'rocm' | 'cpu' | 'tpu' | 'gaudi' | 'neuron' | 'xpu' | 'ascend' | 'unknown';

export type VendorId = 'nvidia' | 'amd' | 'intel-gaudi' | 'intel-gpu' | 'google-tpu' | 'aws-neuron' | 'huawei-ascend';

/**
 * What one unit of a resource is. `device`: a whole device, what tensor parallelism counts.
 * `partition`: a hardware slice that runs as its own device (MIG). `share`: a time-sliced or virtual
 * slot that may sit on the same physical device as another. `core`: a compute core (Neuron counts
 * tensor parallelism in NeuronCores). `memory`, `percent`: a size or a fraction, not a device count.
 */
export type ResourceUnit = 'device' | 'partition' | 'share' | 'core' | 'memory' | 'percent';

export interface AcceleratorResource {
  /** The resource name, or a prefix ending in `*`. */
  name: string;
  unit: ResourceUnit;
  source: string;
}

export interface AcceleratorVendor {
  id: VendorId;
  family: AcceleratorFamily;
  resources: readonly AcceleratorResource[];
  /** Taint keys that nodes of this vendor commonly carry (NoSchedule), with where they are set. */
  taints: readonly { key: string; source: string }[];
  /** Node label keys that pin the device model or class. */
  nodeLabels: readonly { key: string; source: string }[];
  /** The public vLLM images built for this vendor, for fixes ("use …"). */
  images: readonly string[];
}

const NVIDIA_PLUGIN = 'NVIDIA/k8s-device-plugin README (resource nvidia.com/gpu; MIG strategy mixed: nvidia.com/mig-<profile>; time-slicing renameByDefault: <name>.shared)';
const HAMI = 'Project-HAMi/HAMi charts/hami/values.yaml and cmd flags (resourceName nvidia.com/gpu, resourceMem nvidia.com/gpumem, resourceMemPercentage nvidia.com/gpumem-percentage, resourceCores nvidia.com/gpucores)';
const NEURON = 'Neuron device plugin resources as read by the Amazon CloudWatch agent (neuroncore, neurondevice, alt name neuron); docs.cast.ai/docs/neuron';

/** Every vendor we have sources for. */
export const ACCELERATOR_VENDORS: readonly AcceleratorVendor[] = [
  {
    id: 'nvidia',
    family: 'cuda',
    resources: [
      { name: 'nvidia.com/gpu', unit: 'device', source: NVIDIA_PLUGIN },
      { name: 'nvidia.com/mig-*', unit: 'partition', source: NVIDIA_PLUGIN },
      { name: 'nvidia.com/gpu.shared', unit: 'share', source: NVIDIA_PLUGIN },
      // HAMi and DaoCloud's HAMi-based vGPU addon: the number of physical cards a pod mounts.
      { name: 'nvidia.com/vgpu', unit: 'device', source: 'DaoCloud DCE 5.0 docs, "App uses vGPU resources" (nvidia.com/vgpu = physical cards; with nvidia.com/gpucores, nvidia.com/gpumem); vllm-project/vllm#42389' },
      { name: 'nvidia.com/gpumem', unit: 'memory', source: HAMI },
      { name: 'nvidia.com/gpumem-percentage', unit: 'percent', source: HAMI },
      { name: 'nvidia.com/gpucores', unit: 'percent', source: HAMI },
    ],
    taints: [
      { key: 'nvidia.com/gpu', source: 'GKE GPU node pools (nvidia.com/gpu=present:NoSchedule); EKS Karpenter GPU NodePools (nvidia.com/gpu=true:NoSchedule); vllm-rules.md gpu-taint-toleration' },
    ],
    nodeLabels: [
      { key: 'nvidia.com/gpu.product', source: 'NVIDIA/k8s-device-plugin docs/gfd_labels.md' },
      { key: 'nvidia.com/gpu.memory', source: 'NVIDIA/k8s-device-plugin docs/gfd_labels.md' },
      { key: 'nvidia.com/gpu.family', source: 'NVIDIA/k8s-device-plugin docs/gfd_labels.md' },
      { key: 'nvidia.com/gpu.present', source: 'NVIDIA GPU Operator node label' },
      { key: 'cloud.google.com/gke-accelerator', source: 'GKE GPU node pools' },
    ],
    images: ['vllm/vllm-openai'],
  },
  {
    id: 'amd',
    family: 'rocm',
    resources: [{ name: 'amd.com/gpu', unit: 'device', source: 'ROCm/k8s-device-plugin docs/index.md (exposes AMD GPUs as amd.com/gpu)' }],
    taints: [],
    nodeLabels: [
      { key: 'amd.com/gpu.product-name', source: 'ROCm/k8s-device-plugin cmd/k8s-node-labeller/README.md (-product-name)' },
      { key: 'beta.amd.com/gpu.product-name', source: 'ROCm/k8s-device-plugin node labeller (beta prefix)' },
      { key: 'amd.com/gpu.family', source: 'ROCm/k8s-device-plugin cmd/k8s-node-labeller/README.md (-family)' },
      { key: 'amd.com/gpu.vram', source: 'ROCm/k8s-device-plugin cmd/k8s-node-labeller/README.md (-vram)' },
    ],
    images: ['vllm/vllm-openai-rocm', 'rocm/vllm'],
  },
  {
    id: 'intel-gaudi',
    family: 'gaudi',
    resources: [{ name: 'habana.ai/gaudi', unit: 'device', source: 'HabanaAI Gaudi device plugin; opea-project/GenAIComps comps/third_parties/vllm/deployment/kubernetes/gaudi-values.yaml' }],
    taints: [],
    nodeLabels: [],
    images: ['opea/vllm-gaudi'],
  },
  {
    id: 'intel-gpu',
    family: 'xpu',
    resources: [
      { name: 'gpu.intel.com/i915', unit: 'device', source: 'intel/intel-device-plugins-for-kubernetes cmd/gpu_plugin/README.md' },
      { name: 'gpu.intel.com/xe', unit: 'device', source: 'intel/intel-device-plugins-for-kubernetes cmd/gpu_plugin/README.md' },
      { name: 'gpu.intel.com/millicores', unit: 'percent', source: 'intel/intel-device-plugins-for-kubernetes GPU-aware scheduling (resource management)' },
      { name: 'gpu.intel.com/memory.max', unit: 'memory', source: 'intel/intel-device-plugins-for-kubernetes GPU-aware scheduling (resource management)' },
    ],
    taints: [],
    nodeLabels: [],
    images: ['vllm/vllm-openai-xpu'],
  },
  {
    id: 'google-tpu',
    family: 'tpu',
    resources: [{ name: 'google.com/tpu', unit: 'device', source: 'cloud.google.com/kubernetes-engine/docs/concepts/tpus (TPU chips as google.com/tpu)' }],
    taints: [{ key: 'google.com/tpu', source: 'GKE TPU slice node pools; docs.cast.ai/docs/tpu (toleration for google.com/tpu NoSchedule)' }],
    nodeLabels: [
      { key: 'cloud.google.com/gke-tpu-accelerator', source: 'cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus' },
      { key: 'cloud.google.com/gke-tpu-topology', source: 'cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus' },
    ],
    images: ['vllm/vllm-tpu', 'registry.redhat.io/rhaiis/vllm-tpu-rhel9'],
  },
  {
    id: 'aws-neuron',
    family: 'neuron',
    resources: [
      { name: 'aws.amazon.com/neuron', unit: 'device', source: NEURON },
      { name: 'aws.amazon.com/neurondevice', unit: 'device', source: NEURON },
      { name: 'aws.amazon.com/neuroncore', unit: 'core', source: NEURON },
    ],
    taints: [{ key: 'aws.amazon.com/neuron', source: 'eksworkshop.com docs/aiml/chatbot/nodepool (Karpenter NodePool taint aws.amazon.com/neuron NoSchedule)' }],
    nodeLabels: [{ key: 'node.kubernetes.io/instance-type', source: 'Kubernetes well-known label (inf2.*, trn1.*, trn2.*)' }],
    images: ['public.ecr.aws/neuron/pytorch-inference-vllm-neuronx'],
  },
  {
    id: 'huawei-ascend',
    family: 'ascend',
    // Ascend910, Ascend910B, Ascend310P, and vNPU templates (Ascend910-2c …): one prefix.
    resources: [
      { name: 'huawei.com/Ascend*', unit: 'device', source: 'Ascend/ascend-device-plugin (huawei.com/Ascend910, huawei.com/Ascend310P); HAMi devices.ascend.customresources' },
      // Huawei Cloud CCE's NPU plugin names the devices by chip (1980: the Ascend 910 series, 310), in lower case.
      {
        name: 'huawei.com/ascend-1980',
        unit: 'device',
        source:
          'vllm-project/vllm-ascend docs/source/developer_guide/contribution/multi_node_test.md at 182b75ea84ff (huawei.com/ascend-1980: 16 on an ' +
          'A3 node, 16 NPUs); volcano-sh deviceplugin-mock pkg/daemon ascend d910 (resourceName huawei.com/ascend-1980, annotation ' +
          'cce.kubectl.kubernetes.io/ascend-1980-configuration)',
      },
      { name: 'huawei.com/ascend-310', unit: 'device', source: 'Huawei Cloud ModelArts API ResourceRequirementVO (huawei.com/ascend-310 beside huawei.com/ascend-1980)' },
    ],
    taints: [],
    nodeLabels: [],
    images: ['quay.io/ascend/vllm-ascend'],
  },
];

/** Dynamic Resource Allocation: `resources.claims` on the container names a pod `resourceClaims` entry. */
export const DRA_SOURCE = 'kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/ (resources.claims, spec.resourceClaims)';

export interface ResourceClass {
  vendor: AcceleratorVendor;
  resource: AcceleratorResource;
}

function matchesName(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** True when every row's name (its fixed part, for a prefix) has a domain: a name without `/` then matches none. */
const ROWS_NEED_DOMAIN = ACCELERATOR_VENDORS.every((v) => v.resources.every((r) => (r.name.endsWith('*') ? r.name.slice(0, -1) : r.name).includes('/')));

/**
 * The vendor and unit of one extended resource name, or null when no vendor row names it. Exact
 * names win over prefixes (`nvidia.com/gpu.shared` before nothing, `nvidia.com/mig-1g.5gb` by prefix).
 */
export function classifyResource(name: string): ResourceClass | null {
  // cpu, memory and the like, on every container: answered without scanning the rows (step 34).
  if (ROWS_NEED_DOMAIN && !name.includes('/')) return null;
  let byPrefix: ResourceClass | null = null;
  for (const vendor of ACCELERATOR_VENDORS) {
    for (const resource of vendor.resources) {
      if (!matchesName(resource.name, name)) continue;
      if (!resource.name.endsWith('*')) return { vendor, resource };
      byPrefix ??= { vendor, resource };
    }
  }
  return byPrefix;
}

/** Kubernetes' own resource names, never accelerators. */
const BUILT_IN_NAMES = /^(?:cpu|memory|ephemeral-storage|storage|pods|hugepages-[^/]+)$/;

/** Extended resources that are network or host devices, not accelerators, with where they are advertised. */
export const NON_ACCELERATOR_RESOURCES: readonly AcceleratorResource[] = [
  { name: 'vpc.amazonaws.com/efa', unit: 'device', source: 'AWS EFA device plugin (pytorch/torchx specs: EFA_DEVICE = vpc.amazonaws.com/efa)' },
  { name: 'rdma/*', unit: 'device', source: 'Mellanox/k8s-rdma-shared-dev-plugin (rdma/<resourceName>)' },
  { name: 'vke.volcengine.com/rdma', unit: 'device', source: 'vllm-project/aibrix samples/disaggregation/vllm/1p1d.yaml' },
];

/**
 * True for an extended resource (a name with a domain, `vendor.example/x`) that neither a vendor row
 * nor NON_ACCELERATOR_RESOURCES knows. On a vLLM container such a resource may be the accelerator under
 * another name: the accelerator facts become unknown instead of "no accelerator".
 */
export function isUnknownExtendedResource(name: string): boolean {
  if (BUILT_IN_NAMES.test(name) || !name.includes('/')) return false;
  // kubernetes.io/* are built-in names (hugepages, attachable volumes), not devices.
  if (name.startsWith('kubernetes.io/') || name.includes('.kubernetes.io/')) return false;
  if (NON_ACCELERATOR_RESOURCES.some((r) => matchesName(r.name, name))) return false;
  return classifyResource(name) === null;
}

/** The vendor whose image family a build is for, or undefined for cpu/unknown. */
export function vendorForFamily(family: AcceleratorFamily): AcceleratorVendor | undefined {
  return ACCELERATOR_VENDORS.find((v) => v.family === family);
}

/** Resource names the engine counts as accelerators by default (the config adds to them). */
export const BUILT_IN_ACCELERATOR_RESOURCES: readonly string[] = ACCELERATOR_VENDORS.flatMap((v) =>
  v.resources.filter((r) => r.unit === 'device' || r.unit === 'partition' || r.unit === 'share' || r.unit === 'core').map((r) => r.name),
);
