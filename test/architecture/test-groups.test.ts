// Every test file runs exactly once under `npm test`: in a process of its own (tap's include minus
// its exclude) or imported by one group file (test/groups/groups.ts). A directory added to a group
// but not to package.json's tap.exclude would run twice; one excluded but in no group, never.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GROUPS, TEST_ROOT, groupFileName, testFilesOf } from '../groups/groups.js';

const pkg = JSON.parse(readFileSync(path.join(TEST_ROOT, '../package.json'), 'utf8')) as { tap: { include: string[]; exclude?: string[] } };
const grouped = Object.values(GROUPS).flat();

t.test('tap.exclude names exactly the grouped directories', async (t) => {
  t.same([...(pkg.tap.exclude ?? [])].sort(), grouped.map((dir) => `test/${dir}/**`).sort());
  t.same(pkg.tap.include, ['test/**/*.test.ts'], 'tap runs every other test file under test/');
});

t.test('no directory is in two groups, and each group has a file that runs it', async (t) => {
  t.equal(new Set(grouped).size, grouped.length);
  for (const name of Object.keys(GROUPS)) {
    t.match(readFileSync(path.join(TEST_ROOT, 'groups', groupFileName(name)), 'utf8'), `runGroup('${name}')`, `test/groups/${groupFileName(name)}`);
  }
  // tap starts files in path order: the group files sort in GROUPS' order (the longest first).
  const files = readdirSync(path.join(TEST_ROOT, 'groups')).filter((f) => f.endsWith('.test.ts'));
  t.same(files.sort((a, b) => a.localeCompare(b, 'en')), Object.keys(GROUPS).map(groupFileName), 'one file per group, in GROUPS order');
});

t.test('the groups hold test files, and each test file is in at most one', async (t) => {
  const all = testFilesOf(['.']);
  const inGroups = Object.values(GROUPS).flatMap((dirs) => testFilesOf(dirs));
  t.equal(new Set(inGroups).size, inGroups.length, 'no file imported twice');
  for (const [name, dirs] of Object.entries(GROUPS)) t.ok(testFilesOf(dirs).length > 0, `group ${name} finds test files`);
  t.ok(inGroups.every((file) => all.includes(file)));
  t.ok(all.length > inGroups.length, 'some files still run in processes of their own');
});

t.test('grouped files set no hooks on the shared root test', async (t) => {
  // A top-level t.before/t.beforeEach/t.afterEach would run around every later file's tests too,
  // and a top-level t.teardown ends the root test once it is idle, cutting off the later files
  // (groups.ts afterFile is the grouped form).
  for (const file of Object.values(GROUPS).flatMap((dirs) => testFilesOf(dirs))) {
    const hooks = readFileSync(file, 'utf8').match(/^t\.(before|beforeEach|after|afterEach|teardown)\(/gm) ?? [];
    t.same(hooks, [], path.relative(TEST_ROOT, file));
  }
});
