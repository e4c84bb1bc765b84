/** vLLM version strings compared the way its release tags are ordered (v0.10.1.1 after v0.10.1). */

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(?:\.|-)?(post|rc|dev)\.?(\d+))?$/;

export interface ParsedVersion {
  parts: [number, number, number, number];
  /** `post1`, `rc2`, `dev3` or null for a final release. */
  suffix: { kind: 'post' | 'rc' | 'dev'; n: number } | null;
}

/** `v0.10.1.1`, `0.8.5.post1`, `0.9.0rc2` → parts; null when the text is not such a version. */
export function parseVersion(text: string): ParsedVersion | null {
  if (text.length > 40) return null;
  const m = VERSION.exec(text.trim());
  if (!m) return null;
  const parts: [number, number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  const suffix = m[5] ? { kind: m[5] as 'post' | 'rc' | 'dev', n: Number(m[6]) } : null;
  return { parts, suffix };
}

/** Orders the numeric parts only (suffixes are handled by the caller). */
export function compareParts(a: ParsedVersion, b: ParsedVersion): number {
  for (let i = 0; i < 4; i++) if (a.parts[i] !== b.parts[i]) return (a.parts[i] as number) - (b.parts[i] as number);
  return 0;
}

/** `0.10.1` → `v0.10.1` (the tag spelling); `0.10.1.0` → `v0.10.1`. */
export function tagOf(v: ParsedVersion): string {
  const [a, b, c, d] = v.parts;
  return d === 0 ? `v${a}.${b}.${c}` : `v${a}.${b}.${c}.${d}`;
}
