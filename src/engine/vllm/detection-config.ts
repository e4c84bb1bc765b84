/**
 * The detection settings of an engine, compiled: the image patterns of vLLM builds (the built-in table
 * and the config's), the CPU builds GPU rules skip, the entrypoint table and the platform labels.
 */
import { compileEntrypoints, type CompiledEntrypoint } from '../command/argv.js';
import { compileImagePattern, MAX_IMAGE_LENGTH, type ImagePattern } from './image-pattern.js';
import { createMemo } from '../util/memo.js';
import { VLLM_IMAGES } from '../knowledge/vllm-images.js';
import type { DetectionConfig } from '../types.js';

/** Before a tag or digest (the table's patterns use the same anchor). */
const END = '(?:[:@]|$)';

/**
 * Image patterns of vLLM servers: every public build in knowledge/vllm-images.ts (each row names its
 * source), in RE2 syntax like configured ones (no lookaround or back-references), matched against the
 * image reference capped at 512 characters. llm-d's vLLM images are listed by their accelerator
 * suffixes, so its router, sidecar, simulator and cache images are not taken for vLLM.
 */
export const DEFAULT_VLLM_IMAGES: string[] = VLLM_IMAGES.map((row) => row.pattern);

const BUILT_IN: ReadonlySet<string> = new Set(DEFAULT_VLLM_IMAGES);

/** vLLM images built for CPUs (the table's cpu rows, RHAIIS and ODH CPU builds): GPU rules skip them. */
/** Images built for CPUs only (RE2 patterns over the reference, run on V8 as built-ins): no accelerator is asked of them. */
export const DEFAULT_CPU_IMAGES: readonly string[] = [
  ...VLLM_IMAGES.filter((row) => row.family === 'cpu').map((row) => row.pattern),
  `^registry\\.redhat\\.io/rhaiis/vllm-cpu[\\w.-]*${END}`,
  // Open Data Hub / OpenShift AI: the accelerator is in the tag (quay.io/modh/vllm:rhoai-2.20-cpu).
  `^quay\\.io/modh/vllm:(?:[\\w.-]*-)?cpu(?:[-@]|$)`,
];
// Fixed, reviewed patterns: V8's RegExp is safe and faster for them; configured ones run on RE2.
const CPU_PATTERNS = DEFAULT_CPU_IMAGES.map((p) => new RegExp(p));

/** A plain loop: this runs for every container of every admission request. */
function matchesAny(patterns: readonly { test(text: string): boolean }[], text: string): boolean {
  for (const pattern of patterns) if (pattern.test(text)) return true;
  return false;
}

/**
 * Whether an image reference (first MAX_IMAGE_LENGTH characters) is a vLLM build for CPUs, by
 * DEFAULT_CPU_IMAGES above: GPU rules skip such containers. Never throws.
 */
export function isCpuImage(image: string): boolean {
  return matchesAny(CPU_PATTERNS, image.slice(0, MAX_IMAGE_LENGTH));
}
/** Detection settings with every pattern compiled: built once per engine (createEngine). */
export interface CompiledDetection {
  readonly images: readonly ImagePattern[];
  readonly entrypoints: readonly CompiledEntrypoint[];
  readonly labels: Readonly<Record<string, string>>;
  readonly allPods: boolean;
  /**
   * Whether an image (already cut to MAX_IMAGE_LENGTH) matches `images` and the CPU patterns,
   * remembered per compiled detection (one per engine): every review of a pod scans the same few
   * images, and a non-vLLM image would otherwise run every pattern each time.
   */
  readonly readImage: (image: string) => ImageKind;
}

/** What the image patterns say about one image reference. */
export interface ImageKind {
  readonly vllm: boolean;
  readonly cpu: boolean;
}

/** Compiles and validates the detection patterns; throws ERR_CONFIG naming a bad one. */
export function compileDetection(detection: DetectionConfig): CompiledDetection {
  const images = detection.images.map((source) => compileImagePattern(source, BUILT_IN.has(source)));
  const kinds = createMemo<ImageKind>();
  return {
    images,
    entrypoints: compileEntrypoints(detection.entrypoints),
    labels: detection.labels,
    allPods: detection.allPods,
    readImage: (image) => kinds.get(image, () => Object.freeze({ vllm: matchesAny(images, image), cpu: isCpuImage(image) })),
  };
}
