/**
 * The shape of a row of the vLLM build table (vllm-images.ts) and the helpers rows are written with:
 * pattern anchors and the common ENTRYPOINT kinds. Its own file so both halves of the table
 * (vllm-images-project.ts, vllm-images-vendors.ts) share them.
 * @module
 */
import type { AcceleratorFamily } from './accelerators.js';

/** What the image runs when a container gives no `command`. */
export interface EntrypointKnowledge {
  /** The ENTRYPOINT argv; null when no Dockerfile at a known commit says it. */
  command: readonly string[] | null;
  /**
   * True when `args` alone are vLLM engine arguments (the ENTRYPOINT starts the OpenAI server), also
   * when `command` is not known. False when the image starts a shell or something else.
   */
  takesEngineArgs: boolean;
  /** Where the ENTRYPOINT was read (repository, path, commit or tag). */
  source: string;
}

/** One row of the vLLM build table: a public image, its accelerator family and ENTRYPOINT, with its sources. */
export interface VllmImage {
  /** Stable short name, for reasons and tests: `vllm-openai`, `rhaiis-cuda`. */
  id: string;
  /** RE2 pattern over the image reference. */
  pattern: string;
  /** Who builds it. */
  builder: string;
  /** The accelerator the build is for; `unknown` when the tag decides and we cannot tell. */
  family: AcceleratorFamily;
  /** Tag rules tried before `family`, first match wins (RE2 over the tag only). */
  familyByTag?: readonly { tag: string; family: AcceleratorFamily }[];
  entrypoint: EntrypointKnowledge | null;
  /** Public files where the image is used or built. */
  sources: readonly string[];
  note?: string;
}

/** A pattern's start: the registry path's beginning or a `/` (any registry or mirror). */
export const START = '(?:^|/)';
/** A pattern's end: the tag or digest boundary, or the end of the reference. */
export const END = '(?:[:@]|$)';

/** An ENTRYPOINT of `vllm serve`, read at `source`: args are engine arguments. */
export const VLLM_SERVE = (source: string): EntrypointKnowledge => ({ command: ['vllm', 'serve'], takesEngineArgs: true, source });
/** An ENTRYPOINT not known exactly, but `source` shows that args alone are engine arguments. */
export const ARGS_ONLY = (source: string): EntrypointKnowledge => ({ command: null, takesEngineArgs: true, source });
/** An image that starts a shell or something else (`source` says): args alone start no vLLM. */
export const SHELL = (source: string): EntrypointKnowledge => ({ command: null, takesEngineArgs: false, source });

/** Where the vLLM project's CUDA image's ENTRYPOINT is written. */
export const UPSTREAM_CUDA = 'vllm-project/vllm docker/Dockerfile (vllm-openai target)';
/** The ENTRYPOINT of the vLLM project's images before the vLLM CLI, with its commit. */
export const OLD_UPSTREAM =
  'vllm-project/vllm docker/Dockerfile@0000977eaf873be6a295cf73017976d49ca2fb9d ENTRYPOINT ["python3","-m","vllm.entrypoints.openai.api_server"] (releases before the vLLM CLI)';
