// The Node versions we claim are the ones every dependency supports: `engines` in package.json is
// within every locked package's own `engines`, the README says the same, and `npm ci` on this
// Node prints no EBADENGINE.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { uninstrumentedEnv } from '../child-env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
// semver is npm's own range logic; it is in the tree through tap and typescript tooling.
const semver = createRequire(import.meta.url)('semver') as { subset(a: string, b: string): boolean; satisfies(v: string, r: string): boolean };
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }> };

t.test('every locked dependency supports every Node version engines claims', async (t) => {
  const claimed = pkg.engines.node;
  const narrower = Object.entries(lock.packages)
    .filter(([name, entry]) => name !== '' && !Array.isArray(entry.engines) && entry.engines?.node)
    .filter(([, entry]) => !semver.subset(claimed, (entry.engines as { node: string }).node))
    .map(([name, entry]) => `${name} needs ${(entry.engines as { node: string }).node}`);
  t.same(narrower, [], `engines.node ${claimed} is within every dependency's range`);
  t.ok(semver.satisfies(process.versions.node, claimed), `this Node (${process.versions.node}) is one we claim`);
});

t.test('the README states the same versions as engines', async (t) => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const statement = /^Node\.js (\d+\.\d+) or later on the 20 line, (\d+\.\d+) or later on the 22 line, or (\d+) and later/m.exec(readme);
  t.ok(statement, 'the Quickstart names the Node versions');
  t.equal(`^${statement?.[1]}.0 || ^${statement?.[2]}.0 || >=${statement?.[3]}`, pkg.engines.node);
});

t.test('npm ci prints no EBADENGINE on this Node', { timeout: 180_000 }, async (t) => {
  // --dry-run resolves the whole locked tree, as npm ci does, without touching node_modules.
  const ci = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--dry-run', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: uninstrumentedEnv({ npm_config_update_notifier: 'false' }),
  });
  t.equal(ci.status, 0, ci.stderr);
  t.notMatch(`${ci.stdout}${ci.stderr}`, /EBADENGINE/);
});
