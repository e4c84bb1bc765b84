/**
 * Devices a container asks the node's container runtime for through its own environment, beside or
 * instead of `resources.limits`: each vendor's runtime reads a variable from the OCI spec and exposes
 * the devices it names. `all` there means every device of the node, which no manifest counts.
 * @module
 */
import { arrayAt, objectAt, stringAt } from '../util/json.js';
import type { JsonObject } from '../types.js';

/** A container runtime's device variable and the values that expose no device. */
interface RuntimeDeviceVariable {
  name: string;
  /** The accelerator vendor (knowledge/accelerators.ts ids) whose device plugin sets the same variable. */
  vendor: string;
  runtime: string;
  /** Values documented to expose no device; any other value (also a value from elsewhere) may expose some. */
  exposesNone: readonly string[];
}

/**
 * - NVIDIA_VISIBLE_DEVICES: a list of indexes or UUIDs, `all`, `none` (driver only, no GPU), `void`,
 *   empty or unset (no GPU): NVIDIA Container Toolkit docs, "Specialized Configurations with Docker",
 *   "Environment variables (OCI spec)" (docs.nvidia.com/datacenter/cloud-native/container-toolkit).
 * - HABANA_VISIBLE_DEVICES: "if set in the OCI spec, the hook will configure Habana device access"
 *   (HabanaAI/habana-container-runtime README), `all` for every card (docs.habana.ai, "Docker
 *   Installation": `docker run --runtime=habana -e HABANA_VISIBLE_DEVICES=all`); no value is documented
 *   to expose none.
 * - AMD_VISIBLE_DEVICES: the amd-container-runtime grants the GPUs it names (instinct.docs.amd.com,
 *   container-toolkit "GPU Tracker", "Running Workloads"); no value is documented to expose none.
 */
const VARIABLES: readonly RuntimeDeviceVariable[] = [
  { name: 'NVIDIA_VISIBLE_DEVICES', vendor: 'nvidia', runtime: 'the NVIDIA container runtime', exposesNone: ['', 'void', 'none'] },
  { name: 'HABANA_VISIBLE_DEVICES', vendor: 'intel-gaudi', runtime: 'the Habana container runtime', exposesNone: [] },
  { name: 'AMD_VISIBLE_DEVICES', vendor: 'amd', runtime: "AMD's container runtime", exposesNone: [] },
];

/** The first runtime device variable the container sets to devices, with its value as written (undefined from valueFrom), or null. */
function deviceVariable(container: JsonObject): { variable: RuntimeDeviceVariable; value: string | undefined } | null {
  for (const entry of arrayAt(container, 'env')) {
    const variable = VARIABLES.find((v) => v.name === stringAt(entry, 'name'));
    if (!variable) continue;
    const value = stringAt(entry, 'value');
    if (value !== undefined && variable.exposesNone.includes(value.trim())) continue;
    return { variable, value };
  }
  return null;
}

function written(v: { variable: RuntimeDeviceVariable; value: string | undefined }): string {
  return `${v.variable.name}${v.value !== undefined ? `=${v.value.slice(0, 100)}` : ''}`;
}

/**
 * Devices a pod asks the container runtime for directly, outside `resources.limits`: a CDI annotation
 * (`cdi.k8s.io/gpu: nvidia.com/gpu=all`, read by the NVIDIA container runtime's CDI mode, whose default
 * `cdi.annotation-prefixes` is `cdi.k8s.io/`) or a runtime device variable set to devices (VARIABLES).
 * The scheduler does not count such a device, but vLLM may find one: the reason, or null. Bounded by
 * the number of annotations and env entries; values are cut to 100 characters.
 */
export function runtimeDevices(metadata: JsonObject | undefined, container: JsonObject): string | null {
  for (const [key, value] of Object.entries(objectAt(metadata, 'annotations') ?? {})) {
    if (key.startsWith('cdi.k8s.io/') && typeof value === 'string' && value.includes('=')) {
      return `the pod asks the container runtime for devices with the CDI annotation ${key.slice(0, 100)}: ${value.slice(0, 100)}, outside resources.limits, so whether vLLM finds a GPU depends on the node's runtime`;
    }
  }
  const v = deviceVariable(container);
  return v ? `the container sets ${written(v)}, which ${v.variable.runtime} honours outside resources.limits, so whether vLLM finds a GPU depends on the node's runtime` : null;
}

/**
 * A runtime device variable of a vendor whose devices the container also requests in `resources.limits`
 * (`HABANA_VISIBLE_DEVICES=all` beside `habana.ai/gaudi: 1`): the device plugin sets the same variable
 * to the devices it allocated, and the kubelet appends the container's own env after the plugin's
 * (kubernetes pkg/kubelet/kubelet_pods.go GenerateRunContainerOptions), so which value the runtime
 * reads, and how many devices vLLM sees (`all`: every device of the node), depends on the node. An
 * explicit list of at most `devices` entries (`NVIDIA_VISIBLE_DEVICES=0` beside `nvidia.com/gpu: 1`)
 * exposes no more devices than the limit whichever value wins, so the limit's count stands. The
 * reason, or null when the container sets no such variable for the vendors in `vendors`.
 */
export function runtimeDevicesBesideLimits(container: JsonObject, vendors: readonly string[], devices: number | null): string | null {
  const v = deviceVariable(container);
  if (!v || !vendors.includes(v.variable.vendor)) return null;
  if (devices !== null && v.value !== undefined && listedDevices(v.value) <= devices) return null;
  return `the container sets ${written(v)} beside the devices in resources.limits, and ${v.variable.runtime} may expose the devices it names (all: every device of the node) rather than the ones allocated, so the count vLLM sees depends on the node`;
}

/**
 * How many devices an explicit list names (`0,1`, `GPU-…,GPU-…`): its comma-separated entries; Infinity
 * for `all`, a `$(VAR)` reference or anything else that is not a plain list (it may name more).
 */
function listedDevices(value: string): number {
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.every((entry) => /^[\w-]+$/.test(entry) && entry.toLowerCase() !== 'all') ? entries.length : Infinity;
}
