/**
 * The vLLM release an image runs, from its tag (vllm/vllm-openai:v0.7.1, …:0.9.0.post1). Floating
 * tags (latest, nightly) and digests without a tag give null: the release is then unknown.
 */

export interface Release {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

function digits(s: string): number | null {
  if (s.length === 0 || s.length > 6) return null;
  for (const ch of s) if (ch < '0' || ch > '9') return null;
  return Number(s);
}

/** Parses `[v]MAJOR.MINOR.PATCH[anything]`; null when the tag does not start with a version. */
export function parseRelease(tag: string | null | undefined): Release | null {
  if (!tag) return null;
  const t = tag.startsWith('v') ? tag.slice(1) : tag;
  const parts = t.split('.', 3);
  if (parts.length < 3) return null;
  const major = digits(parts[0] ?? '');
  const minor = digits(parts[1] ?? '');
  let patchText = parts[2] ?? '';
  let end = 0;
  while (end < patchText.length && end < 6 && patchText[end]! >= '0' && patchText[end]! <= '9') end += 1;
  patchText = patchText.slice(0, end);
  const patch = digits(patchText);
  if (major === null || minor === null || patch === null) return null;
  return { major, minor, patch, text: `${major}.${minor}.${patch}` };
}

/** a < b, by major, minor, patch. */
export function releaseBefore(a: Release, b: readonly [number, number, number]): boolean {
  if (a.major !== b[0]) return a.major < b[0];
  if (a.minor !== b[1]) return a.minor < b[1];
  return a.patch < b[2];
}
