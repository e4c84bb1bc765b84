/**
 * Matching an image reference against the vLLM build table (vllm-images.ts): which build, its
 * accelerator family and ENTRYPOINT, or a weak "the name holds vllm", or a placeholder.
 */
import { MAX_IMAGE_LENGTH } from '../vllm/image-pattern.js';
import { parseImageRef } from '../vllm/image-ref.js';
import type { AcceleratorFamily } from './accelerators.js';
import { VLLM_IMAGES } from './vllm-images.js';
import type { EntrypointKnowledge, VllmImage } from './vllm-image-rows.js';

/** Images whose name holds `vllm` but that serve no model: our own webhook, llm-d's simulator. */
const NOT_SERVERS = /(?:^|\/)(?:vllm-guard|llm-d-inference-sim|vllm-sim)(?:[:@]|$)/;

export interface ImageMatch {
  /** strong: a known vLLM build; weak: only the name says vllm. */
  strength: 'strong' | 'weak';
  /** The table row; undefined for weak matches. */
  image?: VllmImage;
  family: AcceleratorFamily;
  entrypoint: EntrypointKnowledge | null;
}

const COMPILED = VLLM_IMAGES.map((row) => ({
  row,
  re: new RegExp(row.pattern),
  byTag: (row.familyByTag ?? []).map((rule) => ({ re: new RegExp(rule.tag), family: rule.family })),
}));

/**
 * The vLLM build an image reference names, or null (also for a placeholder: ask imagePlaceholder).
 * Pure; linear in the image length (capped at MAX_IMAGE_LENGTH). Built-in patterns run on V8: they
 * are fixed, reviewed and RE2-valid (tested).
 */
export function matchVllmImage(image: string): ImageMatch | null {
  if (imagePlaceholder(image) !== null) return null;
  const ref = image.length > MAX_IMAGE_LENGTH ? image.slice(0, MAX_IMAGE_LENGTH) : image;
  for (const { row, re, byTag } of COMPILED) {
    if (!re.test(ref)) continue;
    const tag = parseImageRef(ref).tag ?? '';
    const family = byTag.find((rule) => rule.re.test(tag))?.family ?? row.family;
    return { strength: 'strong', image: row, family, entrypoint: row.entrypoint };
  }
  const { repository } = parseImageRef(ref);
  if (repository.toLowerCase().includes('vllm') && !NOT_SERVERS.test(repository)) {
    return { strength: 'weak', family: 'unknown', entrypoint: null };
  }
  return null;
}

/**
 * Why an image reference cannot be read at admission: a Helm/Go template (`{{ … }}`), a shell or
 * kustomize placeholder (`${VAR}`, `$VAR`), or a kubelet reference (`$(VAR)`, never expanded in
 * `image`). null for an ordinary reference. A placeholder is an unknown value: never a reason to skip a
 * workload, never a reason to deny.
 */
export function imagePlaceholder(image: string): string | null {
  if (image.includes('{{')) return 'the image is a template placeholder ({{ … }})';
  if (/\$\{?[A-Za-z_]/.test(image) || image.includes('$(')) return 'the image is a variable placeholder, $VAR, ${VAR} or $(VAR), filled in later';
  // `<your-tpu-inference-container-image>` (vllm-project/tpu-inference examples/offload/gke): angle
  // brackets are in no image reference (distribution/reference grammar), so it is a marker for a person to replace.
  if (image.includes('<') || image.includes('>')) return 'the image is a placeholder to be replaced, written in angle brackets, which no image reference holds';
  // A repository name is lower case (distribution/reference grammar): `REPLACE_MODEL_SERVER_IMAGE`, as
  // llm-d's guides write it, is a marker a script replaces, not an image the kubelet can pull.
  const trimmed = image.trim();
  if (trimmed === '') return null;
  const repository = parseImageRef(trimmed).repository;
  if (/[A-Z]/.test(repository)) return 'the image is a placeholder to be replaced: an image name in upper case, which no registry serves';
  // `replaced-by-kustomize` (GoogleCloudPlatform/accelerated-platforms inference-ref-arch bases, 9320f3b2): an
  // image that names itself as the thing to replace; the overlay's kustomize replacements set the real one.
  if (/^(?:replace[ds]?|to-be-replaced)(?:$|[-_.])/.test(repository.slice(repository.lastIndexOf('/') + 1))) return 'the image is a placeholder that names itself as replaced later (by kustomize or a script)';
  return null;
}
