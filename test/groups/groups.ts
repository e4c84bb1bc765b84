/**
 * Test files that share one process. tap runs every test file in a Node process of its own, and
 * each start (tap with its plugins, the swc loader's thread, the engine's modules) costs about
 * 0.6–0.8 s of CPU before the first assertion: over the suite's 141 files that was a quarter of
 * `npm test`'s CPU time. The directories below hold tests that need no process of their own: no
 * top-level hooks (a `t.before` would run before every later file's tests), no process-wide state
 * left behind. tap's config (package.json "tap.exclude") leaves them out of its own file list and
 * one file per group (test/groups/<position>-<name>.test.ts) imports them instead.
 *
 * Kept in processes of their own: test/resilience (the drills: signals, restarts) and test/distribution (`npm pack`
 * → `npm install -g` → `npx`, `npm ci --dry-run`, `npm audit`: mostly waiting on npm's disk and
 * network work, so in processes of their own they overlap the other files instead of holding up a
 * group, and their directory sorts first, so tap starts them first). test/server joined the groups
 * once its two files with a root `t.before` started their server at the top level instead (eight
 * processes, each loading the engine and writing a coverage file for the report to merge). A
 * grouped file still runs alone:
 * `npx tap test/engine/vllm/validate-args.test.ts`. test/architecture/test-groups.test.ts checks that every
 * test file runs exactly once.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';

/**
 * Group name → directories under test/ whose test files (recursively) it runs, in the order tap
 * starts them. tap starts test files in path order as its job slots free up, so each group's file
 * is named `<position>-<name>.test.ts` (groupFileName): the groups that take the most CPU start
 * first and the short ones fill the end, instead of a long group starting late and running alone
 * (the longest-first rule of list scheduling). The order follows each group's CPU seconds under
 * coverage (bench/PROFILE.md, `npm test` round 5): catalogue and cli ≈ 60 each, hardening and deploy
 * ≈ 45, fixes and audit ≈ 35, engine 30, server 24. test/distribution sorts before the groups
 * (its npm runs wait on disk and network, so they start at once and overlap the groups) and
 * test/resilience after them (short drills of 8–13 s of CPU each).
 */
export const GROUPS: Readonly<Record<string, readonly string[]>> = {
  catalogue: ['policies', 'policy', 'cases', 'config', 'admission', 'report', 'io', 'tls', 'architecture', 'observability', 'tools'],
  cli: ['cli'],
  hardening: ['hardening', 'security'],
  deploy: ['deploy'],
  fixes: ['fix', 'fuzz'],
  audit: ['audit'],
  engine: ['engine'],
  server: ['server'],
};

/** The file under test/groups/ that runs group `name`: its position in GROUPS, then its name. */
export function groupFileName(name: string): string {
  return `${Object.keys(GROUPS).indexOf(name) + 1}-${name}.test.ts`;
}

export const TEST_ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The hang ceiling of a group's process. tap's "timeout" (package.json, 300 s) is per process and
 * was set for one test file; a group runs dozens, and on 2 cores with a third process busy and the
 * rest of the machine loaded the cli group took 269 s and the hardening group was stopped at 300 s
 * mid-run (a spurious "timeout!" failure). 700 s stays under .ci/run's 780-s stop, so a group that
 * really hangs still fails with its own name.
 */
export const GROUP_TIMEOUT_MS = 700_000;

/** The `*.test.ts` files under `dirs` (relative to test/), recursively, in path order. */
export function testFilesOf(dirs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) files.push(full);
    }
  };
  for (const dir of dirs) walk(path.join(TEST_ROOT, dir));
  return files.sort();
}

/** Cleanups of the grouped files' top-level resources, run after the group's last test (afterFile). */
const groupCleanups: (() => unknown)[] = [];
let grouped = false;

/**
 * Closes what a test file opened at its top level (a server its tests share) once its tests are
 * done. Alone, that is a teardown of tap's root test. In a group it is a test queued after the
 * group's last file: a teardown on the root test makes tap end the root as soon as it is idle
 * (@tapjs/core tap.js, "autoend"), which cut off the files imported after it.
 */
export function afterFile(cleanup: () => unknown): void {
  if (grouped) groupCleanups.push(cleanup);
  else t.teardown(cleanup);
}

/**
 * Imports the test files of one group, one after the other: each registers its tests with tap's
 * root test as it would in a process of its own, and tap runs them in that order; then one test
 * runs the files' afterFile cleanups.
 */
export async function runGroup(name: string): Promise<void> {
  const dirs = GROUPS[name];
  if (!dirs) throw new Error(`test/groups/groups.ts has no group ${name}`);
  t.setTimeout(GROUP_TIMEOUT_MS);
  grouped = true;
  for (const file of testFilesOf(dirs)) await import(pathToFileURL(file).href);
  if (groupCleanups.length > 0) {
    t.test('the grouped files close what they opened at their top level', async (t) => {
      for (const cleanup of groupCleanups) await cleanup();
      t.pass(`${groupCleanups.length} closed`);
    });
  }
}
