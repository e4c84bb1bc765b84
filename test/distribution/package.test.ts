// Install anywhere: the tarball `npm pack` makes installs into an empty prefix and runs `check`
// from a directory outside this repository, as `npm install -g vllm-guard` would for a user.
// Uses the compiled dist/ that `npm test` builds first; dependencies come from the npm cache
// (--prefer-offline) that `npm ci` filled.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { uninstrumentedEnv } from '../child-env.js';

/** The policies shipped in policies/ (one per file, beside the published schemas). */
const BUILT_IN_POLICIES = readdirSync(path.resolve(import.meta.dirname, '../../policies')).filter((f) => /\.ya?ml$/.test(f)).length;

const ROOT = path.resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

t.test('npm pack → npm install -g into a fresh prefix → vllm-guard check outside the repo', { timeout: 300_000 }, async (t) => {
  t.ok(existsSync(path.join(ROOT, 'dist/cli/main.js')), 'dist/ is built (npm test runs the build first)');
  const work = mkdtempSync(path.join(os.tmpdir(), 'vllm-guard-pack-'));
  t.teardown(() => spawnSync('rm', ['-rf', work]));
  const env = uninstrumentedEnv({ NO_COLOR: '1', npm_config_update_notifier: 'false' });

  // With its scripts, as a user's `npm pack` runs: prepack takes `prepare` out of the packed package.json
  // (tools/pack-manifest.mjs), so it does not rebuild dist/ here, and postpack puts it back.
  const manifestBefore = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const pack = spawnSync(NPM, ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', env });
  t.equal(pack.status, 0, pack.stderr);
  t.equal(readFileSync(path.join(ROOT, 'package.json'), 'utf8'), manifestBefore, 'the checkout keeps its package.json, byte for byte');
  const [manifest] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const files = manifest?.files.map((f) => f.path) ?? [];
  t.ok(files.includes('dist/cli/main.js'), 'the bin is packed');
  t.ok(files.includes('policies/shm-mounted.yaml') && files.includes('policies/policy.schema.json'), 'the built-in policies and their schema are packed');
  t.same(files.filter((f) => /^(src|test|certs|deploy|node_modules)\//.test(f)), [], 'no sources, tests, certificates or deploy kit');

  const prefix = path.join(work, 'prefix');
  const install = spawnSync(NPM, ['install', '-g', '--prefix', prefix, path.join(work, manifest?.filename ?? ''), '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: work,
    encoding: 'utf8',
    env,
  });
  t.equal(install.status, 0, install.stderr);
  t.notMatch(install.stderr, /EBADENGINE/, 'no engine warnings on this Node');
  // npm ≥ 11.16 counts a tarball's `prepare` as an install script and warned on every install from it.
  t.notMatch(install.stderr, /install-scripts|allowScripts|prepare/, 'no install-script warning: the packed package.json has no prepare');
  const packed = JSON.parse(readFileSync(path.join(prefix, 'lib/node_modules/vllm-guard/package.json'), 'utf8')) as { scripts?: Record<string, string> };
  t.equal(packed.scripts?.prepare, undefined, 'the installed package.json has no prepare');

  // A repository of one's own, far from this one.
  const repo = path.join(work, 'their-repo');
  mkdirSync(path.join(repo, 'k8s'), { recursive: true });
  copyFileSync(path.join(ROOT, 'examples/bad/latest-tp4-on-2-gpus.yaml'), path.join(repo, 'k8s/vllm.yaml'));
  copyFileSync(path.join(ROOT, 'examples/good/single-gpu-deployment.yaml'), path.join(repo, 'k8s/ok.yaml'));
  const bin = path.join(prefix, 'bin', 'vllm-guard');
  const version = spawnSync(bin, ['--version'], { cwd: repo, encoding: 'utf8', env });
  t.equal(version.stdout.trim(), VERSION);
  const check = spawnSync(bin, ['check', 'k8s/'], { cwd: repo, encoding: 'utf8', env });
  t.equal(check.status, 1, check.stderr);
  t.match(check.stdout, /^ {2}DENY {2}gpu-count-matches-parallelism \[vllm\]: /m);
  t.match(check.stdout, /at k8s\/vllm\.yaml:\d+:\d+ /);
  t.match(check.stdout, /\d+ resources \(\d+ vLLM.*\): [1-9]\d* deny/);
  const sarif = spawnSync(bin, ['check', '-o', 'sarif', 'k8s/ok.yaml'], { cwd: repo, encoding: 'utf8', env });
  t.equal(sarif.status, 0);
  t.equal((JSON.parse(sarif.stdout) as { runs: { tool: { driver: { rules: unknown[] } } }[] }).runs[0]?.tool.driver.rules.length, BUILT_IN_POLICIES, 'the built-in catalogue is found from the install');

  // README "Use in CI": npx --yes --package ./vllm-guard-VERSION.tgz vllm-guard check deploy/
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  t.match(readme, `npx --yes --package ./vllm-guard-${VERSION}.tgz vllm-guard check deploy/`, 'the README names this version’s tarball');
  copyFileSync(path.join(work, manifest?.filename ?? ''), path.join(repo, manifest?.filename ?? ''));
  const npx = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--yes', '--prefer-offline', '--package', `./${manifest?.filename}`, 'vllm-guard', 'check', 'k8s/'], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...env, npm_config_cache: path.join(os.homedir(), '.npm') },
  });
  t.equal(npx.status, 1, npx.stderr);
  t.notMatch(npx.stderr, /install-scripts|allowScripts/, 'npx prints no install-script warning either');
  t.match(npx.stdout, /DENY {2}image-pinned/);
});
