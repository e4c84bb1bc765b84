/**
 * The vLLM release an image runs, from its tag (vllm/vllm-openai:v0.7.1, …:0.9.0.post1). Floating
 * tags (latest, nightly) and digests without a tag give null: the release is then unknown.
 */

import { isPreRelease, parseVersion, releaseInTag, sideOf, type ParsedVersion } from '../vllm/release.js';

export interface Release {
  major: number;
  minor: number;
  patch: number;
  text: string;
  /** The version as vllm/release.ts reads it (null when it does not): its pre-release standing. */
  version: ParsedVersion | null;
}

function digits(s: string): number | null {
  if (s.length === 0 || s.length > 6) return null;
  for (const ch of s) if (ch < '0' || ch > '9') return null;
  return Number(s);
}

/**
 * Parses `[v]MAJOR.MINOR.PATCH[anything]`; null when the tag does not start with a version. A
 * pre-release or dev build (`0.12.0rc1`, `v0.12.0-rc.1`, `0.12.0.dev3`: PEP 440,
 * https://peps.python.org/pep-0440/) keeps its standing in `version` and its whole text in `text`, so
 * no check reads it as the final release (releaseSide).
 */
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
  const read = releaseInTag(tag);
  const version = read === null ? null : parseVersion(read);
  const pre = version !== null && isPreRelease(version);
  return { major, minor, patch, text: pre ? (read as string) : `${major}.${minor}.${patch}`, version };
}

/**
 * Where release `a` stands against the final release `b` ([major, minor, patch]): 'before', 'after'
 * (at or after), or 'unsure' for a pre-release or dev build that may lie on either side (vllm/release.ts sideOf).
 */
export function releaseSide(a: Release, b: readonly [number, number, number]): 'before' | 'after' | 'unsure' {
  const boundary = parseVersion(`${b[0]}.${b[1]}.${b[2]}`);
  if (a.version && boundary) return sideOf(a.version, boundary);
  if (a.major !== b[0]) return a.major < b[0] ? 'before' : 'after';
  if (a.minor !== b[1]) return a.minor < b[1] ? 'before' : 'after';
  return a.patch < b[2] ? 'before' : 'after';
}
