// `check`, `policies` and `explain` load none of the server's or the audit's packages: a CI job
// pays for YAML, the engine and its schemas only. Loader hooks report every package the child
// process resolves. The child runs without tap's process-info hook and coverage (child-env.ts):
// they only add their own loading to each of the three starts.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { uninstrumentedEnv } from '../child-env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HOOKS = pathToFileURL(path.join(import.meta.dirname, 'lazy-imports-hooks.mjs')).href;
const REGISTER = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(HOOKS)});`;
const HEAVY = ['fastify', 'pino', '@kubernetes/client-node', '@peculiar/x509', 'prom-client'];

function packagesLoadedBy(args: string[]): string[] {
  const child = spawnSync(process.execPath, ['--import', REGISTER, path.join(ROOT, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 60_000, env: uninstrumentedEnv() });
  const names = child.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(l)?.[1] ?? '');
  return [...new Set(names)].filter(Boolean);
}

for (const args of [['check', 'examples/good/single-gpu-deployment.yaml'], ['policies'], ['explain', 'shm-mounted']]) {
  t.test(`vllm-guard ${args[0]} loads no server or cluster package`, async (t) => {
    const loaded = packagesLoadedBy(args);
    // check reads its file with js-yaml (src/io/yaml-fast.ts): seeing it proves the hooks report loads.
    t.ok(loaded.includes('js-yaml') || args[0] !== 'check', 'the hooks see what is loaded');
    t.same(loaded.filter((p) => HEAVY.includes(p)), [], `loaded: ${loaded.join(', ')}`);
  });
}
