/**
 * The readings of an image reference every review of a vLLM container makes (which vLLM build it
 * is, which vLLM release it ships, whether it is a placeholder), kept per engine: a cluster runs a few images, and the answers
 * depend on the reference and the bundled tables alone. Bounded (util/memo.ts); answers are frozen.
 */
import { createMemo } from '../util/memo.js';
import { imageVllmVersion, type ImageVersion, type VendorImageData } from '../vllm/image-version.js';
import { imagePlaceholder, matchVllmImage, type ImageMatch } from './vllm-image-match.js';

export interface ImageLookups {
  /** matchVllmImage (vllm-image-match.ts) of the reference. */
  readonly match: (image: string) => ImageMatch | null;
  /** imageVllmVersion (vllm/image-version.ts) of the reference with the engine's vendor table. */
  readonly version: (image: string) => ImageVersion;
  /** imagePlaceholder (vllm-image-match.ts) of the reference: why it cannot be read, or null. */
  readonly placeholder: (image: string) => string | null;
}

/** Lookups for one engine (createEngine); `vendors` is the vendor image table it reads. */
export function createImageLookups(vendors: VendorImageData): ImageLookups {
  const matches = createMemo<ImageMatch | null>();
  const versions = createMemo<ImageVersion>();
  const placeholders = createMemo<string | null>();
  return Object.freeze({
    match: (image: string) => matches.get(image, () => {
      const found = matchVllmImage(image);
      return found && Object.freeze(found);
    }),
    version: (image: string) => versions.get(image, () => Object.freeze(imageVllmVersion(image, vendors))),
    // Two regexes and an image parse per call, asked by detection and by the serving unknowns of every review.
    placeholder: (image: string) => placeholders.get(image, () => imagePlaceholder(image)),
  });
}
