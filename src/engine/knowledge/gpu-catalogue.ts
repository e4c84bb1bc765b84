/**
 * The GPU catalogue: which accelerator a pod can land on, from what its manifest says about nodes
 * (nodeSelector and required node-affinity terms over GPU feature discovery, GKE, Karpenter and
 * instance-type labels; MIG resource names). A pod that may land on several products is judged by
 * the weakest one it allows (lowest compute capability, smallest memory).
 */
import { migProduct, nodeRequirements, writeSelectionKey, type Requirement } from './node-selection.js';
import { MEMO_CAPACITY } from '../util/memo.js';
import { createKeyScratch, createValuesMemo } from '../util/values-memo.js';
import type { GpuCatalogueData, GpuProduct, QuantizationMinimum } from './types.js';

export { nodeRequirements, type Requirement } from './node-selection.js';

/** Label keys that name a product (value → products). */
export const PRODUCT_KEYS = [
  'nvidia.com/gpu.product',
  'cloud.google.com/gke-accelerator',
  'karpenter.k8s.aws/instance-gpu-name',
] as const;
const INSTANCE_TYPE_KEYS = ['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type'];
const MEMORY_KEY = 'nvidia.com/gpu.memory';
const CC_MAJOR_KEY = 'nvidia.com/gpu.compute.major';
const FAMILY_KEY = 'nvidia.com/gpu.family';
const MIG_PREFIX = 'nvidia.com/mig-';

const GPU_KEYS: ReadonlySet<string> = new Set([...PRODUCT_KEYS, ...INSTANCE_TYPE_KEYS, MEMORY_KEY, CC_MAJOR_KEY, FAMILY_KEY]);

/** What the pod allows: the weakest GPU over every node it may be scheduled on, or unknown. */
export interface Placement {
  known: boolean;
  /** Why the product (or a dimension of it) is unknown. */
  reason: string | null;
  /** Catalogue products the pod allows, weakest first; empty when only a label (memory, capability) is known. */
  products: GpuProduct[];
  /** Lowest compute capability allowed, as a number (7.5), or null when unknown. */
  computeCapability: number | null;
  /** Smallest per-device memory allowed, GiB, or null when unknown. */
  memoryGiB: number | null;
  /** Display name of the weakest device (Tesla T4, MIG 1g.10gb), or null. */
  name: string | null;
  /** Label or resource the answer came from. */
  from: string | null;
}

export interface GpuCatalogue {
  readonly products: readonly GpuProduct[];
  /** Products a label value names (case-insensitive); empty when the catalogue does not know it. */
  productsFor(key: string, value: string): GpuProduct[];
  /** Pod spec (nodeSelector, affinity) and the container's accelerator resource names → placement. */
  placement(pod: unknown, resourceNames?: readonly string[]): Placement;
  quantization(method: string): QuantizationMinimum | null;
}

const NO_GPU: Placement = Object.freeze({
  known: false,
  reason: 'no nodeSelector or required node affinity names the GPU product',
  products: Object.freeze([]) as unknown as GpuProduct[],
  computeCapability: null,
  memoryGiB: null,
  name: null,
  from: null,
});

interface Alternative {
  products: Set<GpuProduct> | null;
  ccMin: number | null;
  memMiB: number | null;
  unknown: string | null;
  from: string | null;
  /** A MIG slice named by the product label: its memory replaces the product's. */
  sliceGiB: number | null;
}

function ccNumber(cc: string): number {
  return Number(cc);
}

function intersect(a: Set<GpuProduct> | null, b: Set<GpuProduct>): Set<GpuProduct> {
  return a === null ? b : new Set([...a].filter((p) => b.has(p)));
}

function maxOrNull(a: number | null, b: number): number {
  return a === null ? b : Math.max(a, b);
}

/** Builds an immutable GPU catalogue; `extra` products (a platform team's) add to or replace bundled ones by id. */
export function createGpuCatalogue(data: GpuCatalogueData, extra: readonly GpuProduct[] = []): GpuCatalogue {
  const byId = new Map<string, GpuProduct>();
  for (const p of [...data.products, ...extra]) byId.set(p.id, Object.freeze(p));
  const products = Object.freeze([...byId.values()]);
  const index = new Map<string, GpuProduct[]>();
  for (const p of products) {
    for (const [key, values] of Object.entries(p.labels)) {
      for (const v of values) {
        const k = `${key}=${v.toLowerCase()}`;
        index.set(k, [...(index.get(k) ?? []), p]);
      }
    }
  }
  const instanceTypes = new Map<string, GpuProduct>();
  for (const [type, value] of Object.entries(data.instanceTypes ?? {})) {
    if (typeof value === 'string' || type.startsWith('$')) continue;
    const p = byId.get(value.product);
    if (p) instanceTypes.set(type.toLowerCase(), p);
  }
  const families = new Map(Object.entries(data.families ?? {}).filter(([k]) => !k.startsWith('$')).map(([k, v]) => [k.toLowerCase(), ccNumber(v)]));
  const migMin = data.mig ? ccNumber(data.mig.minComputeCapability) : null;
  const quant = new Map<string, QuantizationMinimum>();
  for (const [k, v] of Object.entries(data.quantization ?? {})) if (typeof v !== 'string') quant.set(k, v);

  function productsFor(key: string, value: string): GpuProduct[] {
    const lower = value.toLowerCase();
    if (INSTANCE_TYPE_KEYS.includes(key)) {
      const p = instanceTypes.get(lower);
      return p ? [p] : [];
    }
    return index.get(`${key}=${lower}`) ?? [];
  }

  /** Applies one requirement to an alternative; returns false when it says nothing about the GPU. */
  function apply(alt: Alternative, r: Requirement): void {
    const productKey = (PRODUCT_KEYS as readonly string[]).includes(r.key) || INSTANCE_TYPE_KEYS.includes(r.key);
    if (productKey && r.operator === 'In') {
      const set = new Set<GpuProduct>();
      for (const v of r.values) {
        const mig = r.key === 'nvidia.com/gpu.product' ? migProduct(v) : null;
        const found = mig ? productsFor(r.key, mig.product) : productsFor(r.key, v);
        // GFD's MIG "single" strategy labels the slice: A100-SXM4-40GB-MIG-1g.5gb (its memory, the parent's capability).
        if (mig && found.length > 0) alt.sliceGiB = alt.sliceGiB === null ? mig.memGiB : Math.min(alt.sliceGiB, mig.memGiB);
        if (found.length === 0) {
          alt.unknown ??= `${r.key}=${v} is not in the GPU catalogue: add it (engine config knowledge.gpus)`;
        }
        for (const p of found) set.add(p);
      }
      alt.products = intersect(alt.products, set);
      alt.from ??= r.key;
      return;
    }
    if (r.key === MEMORY_KEY && (r.operator === 'In' || r.operator === 'Gt')) {
      const mib = Math.min(...r.values.map(Number).filter((n) => Number.isFinite(n) && n > 0));
      if (Number.isFinite(mib)) alt.memMiB = maxOrNull(alt.memMiB, r.operator === 'Gt' ? mib + 1 : mib);
      alt.from ??= r.key;
      return;
    }
    if (r.key === CC_MAJOR_KEY && (r.operator === 'In' || r.operator === 'Gt')) {
      const major = Math.min(...r.values.map(Number).filter((n) => Number.isInteger(n) && n > 0));
      if (Number.isFinite(major)) alt.ccMin = maxOrNull(alt.ccMin, r.operator === 'Gt' ? major + 1 : major);
      alt.from ??= r.key;
      return;
    }
    if (r.key === FAMILY_KEY && r.operator === 'In') {
      const ccs = r.values.map((v) => families.get(v.toLowerCase()));
      if (ccs.every((c): c is number => c !== undefined) && ccs.length > 0) alt.ccMin = maxOrNull(alt.ccMin, Math.min(...ccs));
      else alt.unknown ??= `${r.key} value not in the GPU catalogue`;
      alt.from ??= r.key;
    }
    // NotIn, Exists, DoesNotExist and other keys leave every product possible: no narrowing.
  }

  function summarize(alts: Alternative[], mig: { name: string; memGiB: number } | null): Placement {
    let cc: number | null = null;
    let mem: number | null = null;
    const all = new Set<GpuProduct>();
    let reason: string | null = null;
    let from: string | null = null;
    let ccUnknown = false;
    let memUnknown = false;
    for (const alt of alts) {
      from ??= alt.from;
      const list = alt.products ? [...alt.products] : [];
      list.forEach((p) => all.add(p));
      let altCc = alt.ccMin;
      let altMem = alt.memMiB === null ? null : alt.memMiB / 1024;
      if (alt.products && !alt.unknown) {
        if (list.length === 0) {
          reason ??= 'the node selector allows no catalogue product';
        } else {
          altCc = maxOrNull(altCc, Math.min(...list.map((p) => ccNumber(p.computeCapability))));
          altMem = maxOrNull(altMem, Math.min(...list.map((p) => p.memoryGiB)));
        }
      }
      if (alt.sliceGiB !== null && !alt.unknown) altMem = alt.sliceGiB;
      if (mig) {
        altMem = mig.memGiB;
        altCc = maxOrNull(altCc, migMin ?? 0) || null;
      }
      if (alt.unknown) reason ??= alt.unknown;
      if (altCc === null || alt.unknown) ccUnknown = true;
      else cc = cc === null ? altCc : Math.min(cc, altCc);
      if (altMem === null || alt.unknown) memUnknown = true;
      else mem = mem === null ? altMem : Math.min(mem, altMem);
    }
    const products = [...all].sort((a, b) => ccNumber(a.computeCapability) - ccNumber(b.computeCapability) || a.memoryGiB - b.memoryGiB);
    const computeCapability = ccUnknown ? null : cc;
    const memoryGiB = memUnknown ? null : mem;
    const known = computeCapability !== null || memoryGiB !== null;
    const name = mig ? `MIG ${mig.name}` : (products[0]?.name ?? null);
    if (!known) reason ??= 'no nodeSelector or required node affinity names the GPU product';
    else if (computeCapability === null) reason ??= 'the compute capability is not known from the selector';
    else if (memoryGiB === null) reason ??= 'the GPU memory is not known from the selector';
    return { known, reason, products, computeCapability, memoryGiB, name, from: mig ? `${MIG_PREFIX}${mig.name}` : from };
  }

  // Keyed on the list of the selection's values (util/values-memo.ts), written straight from the pod
  // into a list refilled per look-up (node-selection.ts writeSelectionKey): a key text, then lists of
  // requirement objects, were most of a hit's cost (bench/PROFILE.md steps 37, F3).
  const memo = createValuesMemo<Placement>(MEMO_CAPACITY, { maxValues: 1024, maxChars: 1024 });
  const key = createKeyScratch();

  function placement(pod: unknown, resourceNames: readonly string[] = []): Placement {
    const migResource = resourceNames.find((n) => n.startsWith(MIG_PREFIX));
    // Most pods name no GPU at all: answer without building alternatives.
    if (!writeSelectionKey(pod, migResource, key, GPU_KEYS) && migResource === undefined) return NO_GPU;
    // The same few node selectors come back on every review: the answer is pure, kept per catalogue
    // (one per engine), bounded (util/memo.ts) and frozen.
    return memo.get(
      key.values,
      () => {
        const { selector, terms } = nodeRequirements(pod);
        return Object.freeze(place(selector, terms, migResource));
      },
      key.count,
    );
  }

  function place(selector: readonly Requirement[], terms: readonly Requirement[][], migResource: string | undefined): Placement {
    let mig: { name: string; memGiB: number } | null = null;
    if (migResource) {
      // nvidia.com/mig-<g>g.<m>gb: the profile name states the instance memory (NVIDIA MIG user guide).
      const profile = migResource.slice(MIG_PREFIX.length);
      const dot = profile.indexOf('.');
      const mem = dot > 0 && profile.endsWith('gb') ? Number(profile.slice(dot + 1, -2)) : NaN;
      if (Number.isFinite(mem) && mem > 0) mig = { name: profile, memGiB: mem };
    }
    const groups = terms.length > 0 ? terms : [[]];
    const alts = groups.map((term) => {
      const alt: Alternative = { products: null, ccMin: null, memMiB: null, unknown: null, from: null, sliceGiB: null };
      for (const r of [...selector, ...term]) apply(alt, r);
      return alt;
    });
    return summarize(alts, mig);
  }

  return Object.freeze({ products, productsFor, placement, quantization: (m: string) => quant.get(m.toLowerCase()) ?? null });
}
