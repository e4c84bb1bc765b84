/**
 * The `image` facts of a container: its reference split the way registries read it
 * (vllm/image-ref.ts) and the vLLM release the reference names (vllm/image-version.ts, through the
 * engine's memo). Both come from the reference alone, so neither depends on what the image runs.
 * @module
 */
import type { ImageLookups } from '../knowledge/image-lookups.js';
import { parseImageRef, type ImageRef } from '../vllm/image-ref.js';

/** An image reference's facts (policies/facts.schema.json `image`). */
export interface ImageFacts extends ImageRef {
  /**
   * The vLLM release the reference names: a release tag of vLLM's own image (or of a mirror of it),
   * a version a vendor's tag embeds (`rocm6.3.1_instinct_vllm0.8.3_20250410`), or the sourced table of
   * vendor release tags (`nvcr.io/nvidia/vllm:25.10-py3` → 0.10.2); null when it names none. Unlike
   * `version` (the tag's leading version, `25.10` there), this is the vLLM release.
   */
  vllmVersion: string | null;
}

/** Reads the `image` facts of the reference `image` (any string; `''` when the container names none). Never throws. */
export function readImageFacts(image: string, images: ImageLookups): ImageFacts {
  const ref = parseImageRef(image);
  return {
    ref: ref.ref,
    registry: ref.registry,
    repository: ref.repository,
    tag: ref.tag,
    digest: ref.digest,
    version: ref.version,
    vllmVersion: images.version(image).version,
  };
}
