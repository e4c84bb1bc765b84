/**
 * The `accelerators` facts of a checked container, and how many accelerators its serving group has:
 * its own pod, a LeaderWorkerSet group, a serving CRD's templates or the Ray cluster a Ray Serve LLM
 * engine may be placed on.
 */
import { readAcceleratorLimit, type AcceleratorFacts, type AcceleratorMatcher } from './resources.js';
import { familyMismatch, schedulingAdvice, type VendorAcceleratorFacts } from './accelerators-by-vendor.js';
import type { ImageLookups } from '../knowledge/image-lookups.js';
import { rayClusterAccelerators } from '../workload/ray-llm-targets.js';
import { arrayAt, stringAt } from '../util/json.js';
import type { Target } from '../workload/select.js';
import type { JsonObject, Workload } from '../types.js';

/** Sum of accelerator limits over a pod's containers; used for group totals. */
export function podAccelerators(pod: JsonObject, matcher: AcceleratorMatcher): number {
  let sum = 0;
  for (const c of arrayAt(pod, 'containers')) sum += readAcceleratorLimit(c as JsonObject, matcher);
  return sum;
}

/**
 * Accelerators of the whole group: a LeaderWorkerSet's leader plus size-1 workers; a serving CRD's
 * templates, each times its pods in the group (Ray head + Σ replicas × numOfHosts), or the devices the
 * CRD states (KServe: tensorParallelSize × pipelineParallelSize).
 */
export function groupAccelerators(matcher: AcceleratorMatcher, workload: Workload, target: Target, object: unknown): number {
  const own = readAcceleratorLimit(target.container, matcher);
  // A Ray Serve LLM engine may be placed on any node of the Ray cluster, as large as it may grow.
  if (target.rayLlm) return rayClusterAccelerators(object, workload, (spec) => podAccelerators(spec, matcher));
  if (workload.serving) {
    if (workload.serving.devices !== null) return workload.serving.devices;
    // A StormService role (a DynamoGraphDeployment service) is its own vLLM deployment: one instance,
    // never the sum of the roles. The pod's accelerators include a container the operator merges in (own).
    if (target.template.servingRole === 'role') return Math.max(Math.max(podAccelerators(target.template.spec, matcher), own) * (target.template.podsInGroup ?? 1), own);
    // Several groups in one object (OME engine and decoder, kthena roles): only this template's group.
    const group = target.template.servingGroup;
    let sum = 0;
    for (const t of workload.templates) {
      if (group !== undefined && t.servingGroup !== group) continue;
      // An OME runner is merged into its pod: its accelerators are the pod's.
      let pod = podAccelerators(t.spec, matcher);
      if (group !== undefined) for (const m of t.mergedContainers ?? []) pod += readAcceleratorLimit(m.container, matcher);
      sum += pod * (t.podsInGroup ?? 1);
    }
    return Math.max(sum, own);
  }
  if (workload.kind !== 'LeaderWorkerSet') return own;
  const size = target.template.groupSize;
  const leader = workload.templates.find((t) => t.role === 'leader');
  const worker = workload.templates.find((t) => t.role === 'worker');
  const perWorker = worker ? podAccelerators(worker.spec, matcher) : 0;
  if (!leader) return perWorker * size;
  return podAccelerators(leader.spec, matcher) + perWorker * (size - 1);
}

/**
 * The accelerator vendors a container asks for, the taints and node labels their nodes carry (so
 * advice follows the device: an AMD pod is never told to tolerate the NVIDIA taint), and a build
 * for one vendor on another vendor's device (a ROCm image with nvidia.com/gpu) with the images to use.
 * `cpuBuild`: the container's classification says vLLM runs on CPUs (vllm/detect.ts).
 */
export function readAcceleratorFacts(container: JsonObject, images: ImageLookups, a: AcceleratorFacts, { vendors }: VendorAcceleratorFacts, cpuBuild: boolean) {
  const family = images.match(stringAt(container, 'image') ?? '')?.family ?? 'unknown';
  const mismatch = familyMismatch(family, vendors);
  // One literal, readAccelerators' keys then the vendor's, in the order a spread of the two had: no
  // keys added to a made object (bench/PROFILE.md steps 29, F4).
  return {
    present: a.present,
    resources: a.resources,
    limit: a.limit,
    request: a.request,
    requestEqualsLimit: a.requestEqualsLimit,
    limitMissing: a.limitMissing,
    integers: a.integers,
    claims: a.claims,
    shared: a.shared,
    groupTotal: a.groupTotal,
    vendors,
    family,
    // vLLM runs on CPUs (a CPU image, or --device cpu among the arguments read): no accelerator is needed.
    cpuBuild,
    advice: schedulingAdvice(vendors),
    mismatch: mismatch ? { family: mismatch.family, device: mismatch.vendor.id, use: mismatch.use.join(' or ') } : null,
    // Every key of AcceleratorFacts, checked: a new one must be copied here too.
  } satisfies Record<keyof AcceleratorFacts, unknown> & Record<string, unknown>;
}
