/**
 * vLLM version strings compared the way its release tags are ordered (v0.10.1.1 after v0.10.1).
 * vLLM's versions follow PEP 440 (https://peps.python.org/pep-0440/, "Public version identifiers"):
 * `N.N.N[.N]` then an optional pre-release (`a`/`b`/`rc` N, also spelled `alpha`, `beta`, `c`, `pre`,
 * `preview`, with `.`/`-`/`_` separators and an implicit 0), post release (`.postN`) and development
 * release (`.devN`). A pre-release or development release of X sorts before X's final release.
 */

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-.]?(a|b|rc)\.?(\d+))?(?:[-.]?post\.?(\d+))?(?:[-.]?dev\.?(\d+))?$/;

export interface ParsedVersion {
  parts: [number, number, number, number];
  /**
   * `post1`, `rc2`, `dev3` or null for a final release. With several segments (`0.17.0rc1.dev5`) the one
   * that decides its standing: dev first (a development build), then the pre-release, then post.
   */
  suffix: { kind: 'post' | 'rc' | 'a' | 'b' | 'dev'; n: number } | null;
}

/** `v0.10.1.1`, `0.8.5.post1`, `0.9.0rc2`, `0.17.0rc1.dev5` → parts; null when the text is not such a version. */
export function parseVersion(text: string): ParsedVersion | null {
  if (text.length > 40) return null;
  const m = VERSION.exec(text.trim());
  if (!m) return null;
  const parts: [number, number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  let suffix: ParsedVersion['suffix'] = null;
  if (m[8] !== undefined) suffix = { kind: 'dev', n: Number(m[8]) };
  else if (m[5] !== undefined) suffix = { kind: m[5] as 'rc' | 'a' | 'b', n: Number(m[6]) };
  else if (m[7] !== undefined) suffix = { kind: 'post', n: Number(m[7]) };
  return { parts, suffix };
}

/** True for a pre-release (a, b, rc) or development release (dev): not the final release its numbers name (PEP 440). */
export function isPreRelease(v: ParsedVersion): boolean {
  return v.suffix !== null && v.suffix.kind !== 'post';
}

/** Orders the numeric parts only (suffixes are handled by the caller, or by sideOf). */
export function compareParts(a: ParsedVersion, b: ParsedVersion): number {
  for (let i = 0; i < 4; i++) if (a.parts[i] !== b.parts[i]) return (a.parts[i] as number) - (b.parts[i] as number);
  return 0;
}

/**
 * Where the build `v` stands against `boundary`, the final release that first holds (or first lacks)
 * something: 'before' or 'after' (at or after) when that is settled, 'unsure' when it is not:
 * - a final or post release: by its numbers (a post release rebuilds its tag's sources);
 * - a pre-release of X (X rc1): before a later boundary and after an earlier one by PEP 440 order, but
 *   'unsure' at X itself, since a change released in X may have landed after rc1 was cut;
 * - a development build (X.devN, also X rc1.devN): built from a branch whose X is only the next version
 *   setuptools-scm guessed (vllm-project/vllm pyproject.toml `[tool.setuptools_scm]` with no settings:
 *   its default guess-next-dev scheme names a build after tag T as T's next version), so it may hold
 *   later changes too: 'after' an earlier boundary, 'unsure' otherwise.
 */
export function sideOf(v: ParsedVersion, boundary: ParsedVersion): 'before' | 'after' | 'unsure' {
  const c = compareParts(v, boundary);
  if (!isPreRelease(v)) return c < 0 ? 'before' : 'after';
  if (c > 0) return 'after';
  if (c < 0 && v.suffix?.kind !== 'dev') return 'before';
  return 'unsure';
}

// A release at the start of an image tag (or of the text after `vllm` in one), PEP 440 spellings
// included: `v0.17.0-rc1`, `v0.17.0-rc.1`, `0.11.1rc2`, `0.10.0.dev3`, `0.8.5.post1`, `0.9.0a1`. The
// bare `a`/`b` letters count only when attached (`0.9.0a1`), so `v0.9.2-a100` stays the final 0.9.2.
// One pass: alternatives and optional groups, no nested quantifiers.
const TAG_RELEASE = /^v?(\d+\.\d+\.\d+(?:\.\d+)?)(?:[-._]?(rc|c|preview|pre|alpha|beta|post)[-._]?(\d*)|(a|b)(\d+))?(?:[-._]?dev[-._]?(\d*))?(?=$|[^A-Za-z0-9])/i;
const PRE_SPELLING: Record<string, string> = { rc: 'rc', c: 'rc', pre: 'rc', preview: 'rc', alpha: 'a', beta: 'b', a: 'a', b: 'b' };

/**
 * The vLLM release a tag (or a tag's tail) starts with, in PEP 440's normal form (`v0.17.0-rc.1` →
 * `0.17.0rc1`, `0.10.0-dev` → `0.10.0.dev0`, `v0.9.2-cu128` → `0.9.2`); null when it starts with none
 * (`latest`, `nightly-…`). The only reader of releases in image tags: every caller then judges a
 * pre-release as one (isPreRelease, sideOf), never as the final release.
 */
export function releaseInTag(tag: string): string | null {
  const m = TAG_RELEASE.exec(tag.slice(0, 80));
  if (!m) return null;
  const word = (m[2] ?? m[4] ?? '').toLowerCase();
  const n = Number(m[3] || m[5] || 0);
  const stage = word === '' ? '' : word === 'post' ? `.post${n}` : `${PRE_SPELLING[word] as string}${n}`;
  const dev = m[6] !== undefined ? `.dev${Number(m[6] || 0)}` : '';
  const text = `${m[1] as string}${stage}${dev}`;
  return parseVersion(text) ? text : null;
}

/** `0.10.1` → `v0.10.1` (the tag spelling); `0.10.1.0` → `v0.10.1`. */
export function tagOf(v: ParsedVersion): string {
  const [a, b, c, d] = v.parts;
  return d === 0 ? `v${a}.${b}.${c}` : `v${a}.${b}.${c}.${d}`;
}
