// tools/build-stamp.mjs: `npm test` builds dist/ again unless dist/.build-inputs names exactly the
// present sources. Each change a developer makes to what the build reads must rebuild.
import t from 'tap';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

t.test('every other build deletes the stamp before tsc writes dist/', (t) => {
  // Else: npm test (stamp A), edit, npm run build:emit (dist/ B), undo the edit: the stamp matches A and
  // npm test would test B.
  const scripts = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const name of ['build', 'build:emit']) {
    t.match(scripts[name], /^node -e "require\('node:fs'\)\.rmSync\('dist\/\.build-inputs', \{ force: true \}\)" && tsc /, `npm run ${name}`);
  }
  t.end();
});

interface BuildStamp {
  distIsCurrent: (root: string) => boolean;
  inputsDigest: (root: string) => string;
  writeStamp: (root: string, digest: string) => void;
}
const MODULE = pathToFileURL(path.resolve(import.meta.dirname, '../../tools/build-stamp.mjs')).href;
const { distIsCurrent, inputsDigest, writeStamp } = (await import(MODULE)) as BuildStamp;
const stamp = (root: string): void => writeStamp(root, inputsDigest(root));

t.test('dist/ counts as built only from the sources it was built from', (t) => {
  const root = t.testdir({
    src: { cli: { 'main.ts': 'export {};\n' }, engine: { 'api.ts': 'export const a = 1;\n' } },
    policies: { 'shm.yaml': 'name: shm\n' },
    'tsconfig.json': '{}\n',
    'tsconfig.build.json': '{}\n',
    'package.json': '{"name":"x"}\n',
    'package-lock.json': '{}\n',
    dist: { cli: { 'main.js': '' }, policy: { 'builtin-policies.cjs': '' } },
  });
  t.notOk(distIsCurrent(root), 'never stamped: build');
  stamp(root);
  t.ok(distIsCurrent(root), 'stamped after a build: no build');
  t.match(readFileSync(path.join(root, 'dist/.build-inputs'), 'utf8'), /^[0-9a-f]{64}\n$/);

  const edits: [string, () => void, () => void][] = [
    ['a source edited', () => writeFileSync(path.join(root, 'src/engine/api.ts'), 'export const a = 2;\n'), () => writeFileSync(path.join(root, 'src/engine/api.ts'), 'export const a = 1;\n')],
    ['a source added', () => writeFileSync(path.join(root, 'src/engine/new.ts'), ''), () => rmSync(path.join(root, 'src/engine/new.ts'))],
    ['a policy edited', () => writeFileSync(path.join(root, 'policies/shm.yaml'), 'name: shm2\n'), () => writeFileSync(path.join(root, 'policies/shm.yaml'), 'name: shm\n')],
    ['a file renamed', () => { rmSync(path.join(root, 'policies/shm.yaml')); writeFileSync(path.join(root, 'policies/shm2.yaml'), 'name: shm\n'); }, () => { rmSync(path.join(root, 'policies/shm2.yaml')); writeFileSync(path.join(root, 'policies/shm.yaml'), 'name: shm\n'); }],
    ['the lockfile changed (another TypeScript)', () => writeFileSync(path.join(root, 'package-lock.json'), '{"v":2}\n'), () => writeFileSync(path.join(root, 'package-lock.json'), '{}\n')],
    ['tsconfig.build.json changed', () => writeFileSync(path.join(root, 'tsconfig.build.json'), '{"x":1}\n'), () => writeFileSync(path.join(root, 'tsconfig.build.json'), '{}\n')],
    ['the built CLI deleted', () => rmSync(path.join(root, 'dist/cli/main.js')), () => writeFileSync(path.join(root, 'dist/cli/main.js'), '')],
    ['the stamp deleted', () => rmSync(path.join(root, 'dist/.build-inputs')), () => stamp(root)],
  ];
  for (const [what, change, undo] of edits) {
    change();
    t.notOk(distIsCurrent(root), `${what}: build`);
    undo();
    t.ok(distIsCurrent(root), `${what}, undone: no build`);
  }
  mkdirSync(path.join(root, 'src/empty'));
  t.ok(distIsCurrent(root), 'an empty directory is no input');

  // A source edited while the build ran: the digest taken before the build is what is recorded.
  const before = inputsDigest(root);
  writeFileSync(path.join(root, 'src/engine/api.ts'), 'export const a = 3;\n');
  writeStamp(root, before);
  t.notOk(distIsCurrent(root), 'an edit during the build: built again next time');
  t.end();
});
