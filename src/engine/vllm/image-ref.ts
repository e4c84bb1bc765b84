/** Container image references split the way registries read them. */

export interface ImageRef {
  ref: string;
  registry: string | null;
  repository: string;
  tag: string | null;
  digest: string | null;
  /** The semantic version in the tag (v0.8.5-cu129 → 0.8.5), when there is one. */
  version: string | null;
}

const VERSION = /^v?(\d+\.\d+(?:\.\d+)?)/;

/**
 * An image reference (`registry:5000/org/vllm:v0.8.5@sha256:…`) split into registry (null when the first
 * path part is no host: it needs a `.`, a `:` or to be `localhost`, as distribution/reference
 * normalize.go splitDockerDomain reads it), repository, tag, digest and the tag's version; no default
 * registry or `latest` tag is filled in. Any string is accepted (`''` gives an empty repository). Never throws.
 */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : null;
  const named = at >= 0 ? ref.slice(0, at) : ref;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port (localhost:5000/vllm), not a tag.
  const tag = colon > slash ? named.slice(colon + 1) : null;
  const path = colon > slash ? named.slice(0, colon) : named;
  const firstSlash = path.indexOf('/');
  const first = firstSlash === -1 ? path : path.slice(0, firstSlash);
  const hasRegistry = firstSlash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    ref,
    registry: hasRegistry ? first : null,
    repository: hasRegistry ? path.slice(first.length + 1) : path,
    tag: tag || null,
    digest: digest || null,
    version: tag ? (VERSION.exec(tag)?.[1] ?? null) : null,
  };
}

/** An image reference up to its tag or digest (`vllm/vllm-openai` of `vllm/vllm-openai:v0.11.0`), as `split(/[:@]/)[0]`. */
export function imageName(image: string): string {
  for (let i = 0; i < image.length; i++) {
    const c = image.charCodeAt(i);
    if (c === 58 /* : */ || c === 64 /* @ */) return image.slice(0, i);
  }
  return image;
}
