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
