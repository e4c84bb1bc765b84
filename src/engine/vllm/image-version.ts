/**
 * The vLLM version inside a container image, read from its reference alone (admission sees no
 * image metadata): vLLM's own images tagged with the release, vendor tags that embed the vLLM
 * version, and a sourced table of vendor release tags. Anything else is unknown, with the reason.
 */
import { parseImageRef } from './image-ref.js';
import { releaseInTag } from './release.js';

export interface VendorImageData {
  officialRepositories: { repository: string; source: string }[];
  releaseTags: { repository: string; tag: string; vllm: string; source: string }[];
}

export type ImageVersion =
  | { version: string; how: 'official-tag' | 'embedded' | 'vendor-table'; detail: string; source?: string }
  | { version: null; how: 'unknown'; detail: string };

const MAX_REF_LENGTH = 512;
// `…-vllm0.7.0`, `…_vllm_0.6.4`, `rocm6.3.1_vllm_0.8.5_20250513`, `vllm-v0.9.2-…`: the word vllm and an
// optional separator; the version after it is read by releaseInTag (vllm/release.ts), which keeps a
// pre-release a pre-release (`vllm0.9.0rc1`). One pass, no nested quantifiers.
const EMBEDDED = /(?:^|[^a-z0-9])vllm[-_.]?(?=v?\d)/i;

function normalizeRepository(registry: string | null, repository: string): string {
  // Docker Hub spells the same image several ways.
  if (registry === null || registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') {
    return repository.replace(/^library\//, '');
  }
  return `${registry}/${repository}`;
}

/**
 * True when `repo` is `official` or a copy of it under another registry or path: a pull-through cache
 * or mirror keeps the upstream path at its end (Harbor's proxy cache `harbor.example.com/dockerhub/vllm/vllm-openai`,
 * ECR's pull-through cache `….dkr.ecr.….amazonaws.com/docker-hub/vllm/vllm-openai`, `docker.m.daocloud.io/vllm/vllm-openai`),
 * as the build table's patterns read them (knowledge/vllm-image-rows.ts START).
 */
function isOrMirrors(repo: string, official: string): boolean {
  return repo === official || (repo.length > official.length && repo.endsWith(official) && repo[repo.length - official.length - 1] === '/');
}

/**
 * Reads the vLLM version from an image reference.
 * - `vllm/vllm-openai:v0.10.1.1` → 0.10.1.1 (official repository, release tag; also through a mirror);
 * - `rocm/vllm:rocm6.3.1_vllm_0.8.5_20250513`, `…-vllm0.7.0` → the embedded version;
 * - `nvcr.io/nvidia/vllm:25.10-py3` → the version its release notes list;
 * - digests without a tag, `latest`, `nightly`, other tags → unknown.
 */
export function imageVllmVersion(image: string, vendors: VendorImageData): ImageVersion {
  if (image.length > MAX_REF_LENGTH) return { version: null, how: 'unknown', detail: 'the image reference is too long to read' };
  if (image.trim() === '') return { version: null, how: 'unknown', detail: 'no image (the container names none, as in a kustomize patch or a partial object)' };
  const ref = parseImageRef(image.trim());
  const repo = normalizeRepository(ref.registry, ref.repository);
  if (ref.tag === null) {
    return {
      version: null,
      how: 'unknown',
      detail: ref.digest ? 'a digest only, which does not name the vLLM release' : `${repo} with no tag (latest)`,
    };
  }
  const official = vendors.officialRepositories.find((o) => isOrMirrors(repo, o.repository));
  // `v0.17.0-rc1` is 0.17.0rc1, a pre-release, never the final v0.17.0 (PEP 440; vllm/release.ts).
  const plain = releaseInTag(ref.tag);
  if (official && plain) {
    const whose = repo === official.repository ? "vLLM's own image" : `a mirror of ${official.repository}`;
    return { version: plain, how: 'official-tag', detail: `tag ${ref.tag} of ${repo}, ${whose}`, source: official.source };
  }
  const vendor = vendors.releaseTags.find((v) => v.tag === ref.tag && isOrMirrors(repo, v.repository));
  if (vendor) {
    return { version: vendor.vllm, how: 'vendor-table', detail: `${repo}:${ref.tag} ships vLLM ${vendor.vllm}`, source: vendor.source };
  }
  const at = EMBEDDED.exec(ref.tag);
  const embedded = at ? releaseInTag(ref.tag.slice(at.index + at[0].length)) : null;
  if (embedded) {
    return { version: embedded, how: 'embedded', detail: `the tag ${ref.tag} names vLLM ${embedded}` };
  }
  if (official) return { version: null, how: 'unknown', detail: `tag ${ref.tag} of ${repo}, not a release tag` };
  return { version: null, how: 'unknown', detail: `tag ${ref.tag} of ${repo}, which does not name a vLLM release` };
}

/**
 * Whether an image whose vLLM release is unknown still follows vLLM's own releases, so that an option
 * vLLM removed may be gone from it: a `latest…` tag (whatever was built last), vLLM's
 * own repositories (and their mirrors), and vendor repositories the table maps to upstream releases
 * (Dynamo's vllm-runtime, NGC's vllm). False for other images: vendor forks with their own option sets
 * (AWS Neuron, Habana's Gaudi fork) keep options upstream removed.
 */
export function followsUpstreamReleases(image: string, vendors: VendorImageData): boolean {
  if (image.length > MAX_REF_LENGTH || image.trim() === '') return false;
  const ref = parseImageRef(image.trim());
  // A placeholder (`replaced-by-kustomize`) has no tag: only the repository rule speaks for it.
  if (ref.tag !== null && ref.tag.startsWith('latest')) return true;
  const repo = normalizeRepository(ref.registry, ref.repository);
  return vendors.officialRepositories.some((o) => isOrMirrors(repo, o.repository)) || vendors.releaseTags.some((v) => isOrMirrors(repo, v.repository));
}
