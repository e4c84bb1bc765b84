// npm's `prepare` script: builds dist/ after `npm ci` / `npm install` and before `npm pack`.
// npm also runs it in one more case: `npx vllm-guard` in a clone finds no vllm-guard in
// node_modules/.bin, installs the clone itself into npx's cache as a link, and runs the link's
// `prepare`: a whole `npm run build` (tsc, about 18 s of CPU and 20–50 s on a shared 2-core
// machine) on the first call in each clone, while the dist/ that `npm ci` built is already there.
// npm sets npm_command=exec for that run; then, with dist/cli/main.js present, nothing is
// rebuilt (as on every later npx call). Without dist/ it builds, as before. A build that succeeds
// writes dist/.build-inputs (tools/build-stamp.mjs), so `npm test` right after `npm ci` does not
// build the same sources a second time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { inputsDigest, writeStamp } from './build-stamp.mjs';

if (process.env.npm_command === 'exec' && existsSync('dist/cli/main.js')) {
  process.stderr.write('vllm-guard prepare: dist/ is built (npx run); not rebuilding. Run `npm run build` after changing src/.\n');
  process.exit(0);
}
const npm = process.env.npm_execpath;
// Taken before the build: a file edited while it runs is not recorded as built.
const digest = inputsDigest(process.cwd());
const build = npm ? spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit' }) : spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
// A build that succeeded records its sources, so `npm test` on this clone need not build again.
if (build.status === 0) writeStamp(process.cwd(), digest);
process.exit(build.status ?? 1);
