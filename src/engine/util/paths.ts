/**
 * Path text helpers for values read from manifests. Their own file: a regular expression such as
 * `/\/+$/` backtracks quadratically in V8 on a long run of slashes followed by another character
 * (30 000 slashes: 1.4 s), and these run on any string a manifest writes.
 */

/** `path` without its trailing slashes (`/models//` → `/models`, `/` → ``); linear in its length, never throws. */
export function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47 /* / */) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** `//`, a `.` or `..` segment, or a trailing `/`: what normalizeAbsolutePath changes (linear: no nested quantifier). */
const NOT_NORMAL = /\/\/|\/\.\.?(?:\/|$)|\/$/;

/**
 * An absolute `path` with empty and `.` segments dropped and each `..` taking off the segment before
 * it, as the kernel resolves a path whose directories are not symlinks (path_resolution(7)):
 * `/scripts//start.sh`, `/scripts/./start.sh` and `/app/../scripts/start.sh` are `/scripts/start.sh`.
 * A relative path comes back unchanged. Linear in its length; never throws.
 */
export function normalizeAbsolutePath(path: string): string {
  // Most paths are already resolved: no split per volumeMount of every path looked up (script-files.ts).
  if (!path.startsWith('/') || !NOT_NORMAL.test(path)) return path;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}
