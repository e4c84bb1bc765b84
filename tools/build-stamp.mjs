// Which sources dist/ was built from. `npm ci` builds dist/ (the `prepare` script, tools/prepare.mjs)
// and `npm test` used to build it again (build:emit: tsc parsing and emitting the same program,
// 12–14 s of CPU and 15–20 s of the run's wall time on 2 cores, before the first test could start).
// A build that succeeds writes dist/.build-inputs: a SHA-256 over the paths and bytes of everything
// the emitted code is made from (src/, policies/, the two tsconfigs, package.json and the lockfile,
// which pins the TypeScript that emits). `npm test` rebuilds unless that digest is the sources' own,
// so an edit, a checkout or a changed lockfile always rebuilds, and an unchanged clone does not.
// Every other build (`npm run build`, `npm run build:emit`, the benches') deletes the stamp before
// tsc writes anything (package.json), so a dist/ built from other sources is never taken as current.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Files and directories (relative to the package root) whose bytes the emitted dist/ depends on. */
const INPUTS = ['src', 'policies', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
/** The stamp's path, relative to the package root; dist/ is ignored by git, so is the stamp. */
const STAMP = 'dist/.build-inputs';
/** Built files whose absence means dist/ is not usable, whatever the stamp says. */
const REQUIRED = ['dist/cli/main.js', 'dist/policy/builtin-policies.cjs'];

/** Relative paths of the regular files at `rel` (a file or a directory, recursively), sorted. */
function filesOf(root, rel) {
  const full = path.join(root, rel);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [rel];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

/**
 * The digest of the build inputs under `root` (hex SHA-256 over each file's relative path and bytes,
 * in path order). Throws only on an unreadable file (the build would fail on it too).
 */
export function inputsDigest(root) {
  const hash = createHash('sha256');
  for (const rel of INPUTS) {
    for (const file of filesOf(root, rel)) {
      hash.update(`${file}\0`);
      hash.update(readFileSync(path.join(root, file)));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

/** True when dist/ under `root` holds the build of exactly the present sources (`digest`: theirs, when already taken). */
export function distIsCurrent(root, digest = inputsDigest(root)) {
  if (!REQUIRED.every((rel) => existsSync(path.join(root, rel)))) return false;
  try {
    return readFileSync(path.join(root, STAMP), 'utf8').trim() === digest;
  } catch {
    return false;
  }
}

/**
 * Records that dist/ under `root` was built from the sources whose digest is `digest`: take it with
 * inputsDigest before the build starts, so a file edited while the build ran is not recorded as built.
 */
export function writeStamp(root, digest) {
  writeFileSync(path.join(root, STAMP), `${digest}\n`);
}
