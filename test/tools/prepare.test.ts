// npm's `prepare` (tools/prepare.mjs): `npx vllm-guard` in a clone reruns it through npx's link
// install (npm_command=exec); with dist/ built it must not rebuild. Everything else builds. npm is
// a stand-in here (npm_execpath, as npm sets it for scripts), so no real build runs. A build that
// succeeds writes dist/.build-inputs (tools/build-stamp.mjs), which `npm test` reads.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { uninstrumentedEnv } from '../child-env.js';

const SCRIPT = path.resolve(import.meta.dirname, '../../tools/prepare.mjs');

t.test('npx in a built clone does not rebuild; anything else runs npm run build', async (t) => {
  const root = t.testdir({ 'fake-npm.cjs': "process.stdout.write('npm ' + process.argv.slice(2).join(' ')); process.exit(7);\n" });
  const prepare = (cwd: string, npmCommand: string) => {
    const env = uninstrumentedEnv({ npm_command: npmCommand, npm_execpath: path.join(root, 'fake-npm.cjs') });
    return spawnSync(process.execPath, [SCRIPT], { cwd, env, encoding: 'utf8' });
  };
  const built = path.join(root, 'built');
  mkdirSync(path.join(built, 'dist/cli'), { recursive: true });
  writeFileSync(path.join(built, 'dist/cli/main.js'), '');
  const npx = prepare(built, 'exec');
  t.equal(npx.status, 0);
  t.equal(npx.stdout, '', 'npm is not called');
  t.equal(npx.stderr, 'vllm-guard prepare: dist/ is built (npx run); not rebuilding. Run `npm run build` after changing src/.\n');

  const fresh = path.join(root, 'fresh');
  mkdirSync(fresh);
  for (const [dir, command] of [[built, 'ci'], [built, 'install'], [built, 'pack'], [fresh, 'exec']] as const) {
    const build = prepare(dir, command);
    t.equal(build.stdout, 'npm run build', `npm_command=${command} in ${path.basename(dir)}: builds`);
    t.equal(build.status, 7, 'with the build’s exit status');
  }
  t.throws(() => readFileSync(path.join(built, 'dist/.build-inputs')), 'a failed build records no sources');
});

t.test('a build that succeeds records its sources, so npm test does not build again', async (t) => {
  const root = t.testdir({ 'ok-npm.cjs': 'process.exit(0);\n', src: { 'a.ts': 'export {};\n' }, dist: { cli: { 'main.js': '' } } });
  const env = uninstrumentedEnv({ npm_command: 'ci', npm_execpath: path.join(root, 'ok-npm.cjs') });
  t.equal(spawnSync(process.execPath, [SCRIPT], { cwd: root, env, encoding: 'utf8' }).status, 0);
  t.match(readFileSync(path.join(root, 'dist/.build-inputs'), 'utf8'), /^[0-9a-f]{64}\n$/);
});
