/**
 * Public vLLM container images: which registry paths hold a vLLM server, the accelerator family each
 * build targets, and the ENTRYPOINT it starts with where a Dockerfile at a known commit says so.
 *
 * Data, with the public file each row came from. Patterns are RE2-valid (no lookaround, no
 * back-references), anchored on the registry path and on the tag/digest boundary, and free of nested
 * repetition, so they run in linear time on RE2 and on V8 (test/engine/knowledge/vllm-images.test.ts
 * checks both). Images are matched up to MAX_IMAGE_LENGTH characters.
 *
 * The rows live in two files (vllm-images-project.ts, vllm-images-vendors.ts), their shape in
 * vllm-image-rows.ts; this module puts them together in one ordered table.
 */
import { PROJECT_VLLM_IMAGES } from './vllm-images-project.js';
import { VENDOR_VLLM_IMAGES } from './vllm-images-vendors.js';
import type { VllmImage } from './vllm-image-rows.js';

/** Every public vLLM build we have a source for. Order matters only for overlapping patterns (none today). */
export const VLLM_IMAGES: readonly VllmImage[] = [...PROJECT_VLLM_IMAGES, ...VENDOR_VLLM_IMAGES];
