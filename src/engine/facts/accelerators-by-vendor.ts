/**
 * Accelerator facts by vendor for one container: which vendors' devices it asks for, how many devices
 * (what tensor × pipeline parallelism must fit), resources no vendor row knows (then the facts are
 * unknown, never "no accelerator"), DRA claims, and a build made for another vendor's device.
 * Vendor data, units and sources: knowledge/accelerators.ts.
 */
import { arrayAt, objectAt } from '../util/json.js';
import { parseQuantity } from '../util/quantity.js';
import type { JsonObject } from '../types.js';
import {
  classifyResource,
  isUnknownExtendedResource,
  vendorForFamily,
  type AcceleratorFamily,
  type AcceleratorVendor,
  type ResourceUnit,
  type VendorId,
} from '../knowledge/accelerators.js';

/** Units that count devices a vLLM worker process sees. */
const COUNTED: ReadonlySet<ResourceUnit> = new Set(['device', 'partition', 'share', 'core']);

export interface VendorAcceleratorFacts {
  vendors: VendorId[];
  /** Sum of the device-counting limits; null when a count is not a number or a resource is unknown. */
  devices: number | null;
  /** The units seen (`share`: time-sliced or virtual, may be one physical device; `core`: NeuronCores). */
  units: ResourceUnit[];
  /** Extended resources in limits or requests that no vendor row knows. */
  unknownResources: string[];
  /** `resources.claims` (DRA): the device count is in the ResourceClaim, not here. */
  claims: boolean;
  /** Why the accelerator facts cannot be verified, when they cannot. */
  unknown?: string;
  /**
   * Set when a device count is a placeholder a renderer fills (`"${VLLM_GPU_COUNT}"`, `{{ .Values.gpus }}`):
   * the count, and every rule on it, is unknown, never a request/limit mismatch.
   */
  quantityPlaceholder?: string;
}

/** A quantity written as a renderer placeholder (envsubst `${X}`/`$X`, Helm/Go `{{ … }}`), not a number. */
const QUANTITY_PLACEHOLDER = /\$\{?[A-Za-z_]|\{\{/;

/** Reads one container's resources. Never throws; bounded by the number of resource names. */
export function readVendorAccelerators(container: JsonObject): VendorAcceleratorFacts {
  const resources = objectAt(container, 'resources');
  const limits = objectAt(resources, 'limits') ?? {};
  const requests = objectAt(resources, 'requests') ?? {};
  const vendors: VendorId[] = [];
  const units: ResourceUnit[] = [];
  const unknownResources: string[] = [];
  let devices: number | null = 0;
  let placeholder: string | undefined;
  // The names of limits, then those only in requests: the order of a Set of both lists, without
  // building the lists and the Set on every review (bench/PROFILE.md step 34).
  const names = Object.keys(limits);
  for (const name of Object.keys(requests)) if (!Object.hasOwn(limits, name)) names.push(name);
  for (const name of names) {
    const found = classifyResource(name);
    if (!found) {
      if (isUnknownExtendedResource(name)) unknownResources.push(name);
      continue;
    }
    if (!vendors.includes(found.vendor.id)) vendors.push(found.vendor.id);
    for (const section of [limits, requests]) {
      const raw = section[name];
      if (placeholder === undefined && typeof raw === 'string' && QUANTITY_PLACEHOLDER.test(raw)) placeholder = `${name} is written as a placeholder (${raw.slice(0, 60)}) for a renderer to fill`;
    }
    if (!units.includes(found.resource.unit)) units.push(found.resource.unit);
    if (!COUNTED.has(found.resource.unit)) continue;
    // Extended resources are set in limits (requests default to them); a request alone counts too.
    const count = parseQuantity(Object.hasOwn(limits, name) ? limits[name] : requests[name]);
    devices = devices === null || count === null ? null : devices + count;
  }
  const claims = arrayAt(resources, 'claims').length > 0;
  const facts: VendorAcceleratorFacts = { vendors, devices, units, unknownResources, claims };
  if (placeholder !== undefined) {
    facts.devices = null;
    facts.quantityPlaceholder = placeholder;
  }
  if (unknownResources.length > 0 && vendors.length === 0) {
    facts.devices = null;
    facts.unknown = `${unknownResources.join(', ')} ${unknownResources.length === 1 ? 'is' : 'are'} not a resource vllm-guard knows; it may be the accelerator`;
  } else if (claims && vendors.length === 0) {
    facts.devices = null;
    facts.unknown = 'the devices come from a DRA ResourceClaim, which admission does not read';
  }
  return facts;
}

export interface FamilyMismatch {
  family: AcceleratorFamily;
  vendor: AcceleratorVendor;
  /** The images built for the device the pod asks for. */
  use: readonly string[];
}

/**
 * A build for one vendor on another vendor's device (a ROCm image with nvidia.com/gpu, a CUDA image
 * with amd.com/gpu), or a CPU build with an accelerator: the image cannot use the device. Unknown
 * families never mismatch.
 */
export function familyMismatch(family: AcceleratorFamily, vendors: readonly VendorId[]): FamilyMismatch | null {
  if (family === 'unknown') return null;
  const own = vendorForFamily(family);
  for (const id of vendors) {
    if (own && own.id === id) continue;
    const vendor = vendorForFamily(familyOfVendor(id));
    if (vendor) return { family, vendor, use: vendor.images };
  }
  return null;
}

/** The build family of each vendor's devices (one table, not one per call: this runs per vendor of every review). */
const FAMILY_OF_VENDOR: Readonly<Record<VendorId, AcceleratorFamily>> = {
  nvidia: 'cuda', amd: 'rocm', 'intel-gaudi': 'gaudi', 'intel-gpu': 'xpu', 'google-tpu': 'tpu', 'aws-neuron': 'neuron', 'huawei-ascend': 'ascend',
};

function familyOfVendor(id: VendorId): AcceleratorFamily {
  return FAMILY_OF_VENDOR[id];
}

/**
 * The device family vLLM runs on (the `platform.family` fact): the family the image's vLLM build targets
 * when it is known (`family`, accelerators.family), else the family of the one vendor whose devices the
 * container asks for, else 'unknown'. A fact of its own, outside `accelerators`: an unknown count of
 * devices (a ServingRuntime's, KServe's multi-node workers) makes `accelerators` unknown as a whole, while
 * the platform a vLLM build runs on stays known, and rules decide by it which platform's faults apply.
 */
export function platformFamily(family: AcceleratorFamily | 'unknown', vendors: readonly VendorId[]): AcceleratorFamily | 'unknown' {
  if (family !== 'unknown') return family;
  return vendors.length === 1 ? familyOfVendor(vendors[0] as VendorId) : 'unknown';
}

/**
 * The collective library vLLM's ranks meet in, by platform, for messages: vLLM's CUDA and ROCm
 * platforms both use torch.distributed's "nccl" backend (vllm/platforms/cuda.py, rocm.py
 * `dist_backend = "nccl"`), which on ROCm is RCCL, ROCm's port of NCCL with the same shared-memory
 * transport (ROCm/rccl README). vLLM's XPU platform uses torch.distributed's "xccl" backend
 * (vllm-project/vllm vllm/platforms/xpu.py `dist_backend = "xccl"`, commit 00540f9d72cb), which runs on
 * Intel's oneCCL (PyTorch torch.distributed docs, backends). Other platforms: null (their libraries are
 * not named here).
 */
const COLLECTIVES: Readonly<Partial<Record<AcceleratorFamily, string>>> = { cuda: 'NCCL', rocm: 'RCCL', xpu: 'oneCCL' };

/** The `platform` facts: the family (platformFamily) and its collective library (COLLECTIVES), or null. */
export function platformFacts(family: AcceleratorFamily | 'unknown', vendors: readonly VendorId[]): { family: AcceleratorFamily | 'unknown'; collectives: string | null } {
  const platform = platformFamily(family, vendors);
  return { family: platform, collectives: platform === 'unknown' ? null : (COLLECTIVES[platform] ?? null) };
}

/** Scheduling advice for the vendors a pod asks for: taint keys to tolerate, node label keys to select on. */
export function schedulingAdvice(vendors: readonly VendorId[]): { taints: string[]; nodeLabels: string[] } {
  const taints: string[] = [];
  const nodeLabels: string[] = [];
  for (const id of vendors) {
    const vendor = vendorForFamily(familyOfVendor(id));
    for (const taint of vendor?.taints ?? []) if (!taints.includes(taint.key)) taints.push(taint.key);
    for (const label of vendor?.nodeLabels ?? []) if (!nodeLabels.includes(label.key)) nodeLabels.push(label.key);
  }
  return { taints, nodeLabels };
}
