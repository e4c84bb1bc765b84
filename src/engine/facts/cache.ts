/** Where vLLM keeps downloaded weights, and whether that and a local model path survive a restart. */
import type { EnvFact } from './env.js';
import type { ArgValue, Token } from '../types.js';
import { trimTrailingSlashes } from '../util/paths.js';
import { assignedValue } from '../command/sourced-files.js';

export interface CacheFacts {
  cacheDir: string | null;
  cachePersistent: boolean;
  modelPersistent: boolean | null;
}

const DEFAULT_HF_HOME = '/root/.cache/huggingface';

function isUnder(path: string, mounts: readonly string[]): boolean {
  for (const m of mounts) {
    // Mount paths rarely end in a slash; the pattern runs only when one does.
    const root = m.endsWith('/') ? trimTrailingSlashes(m) : m;
    if (path === root || (path.startsWith(root) && path[root.length] === '/')) return true;
  }
  return false;
}

/** Env vars that move the cache, in the order huggingface_hub reads them, with the path under each. */
const CACHE_ENV = [['HF_HUB_CACHE', ''], ['HF_HOME', '/hub']] as const;

/** The download directory as vLLM resolves it: --download-dir, HF_HUB_CACHE, HF_HOME/hub, the default. */
function resolveCacheDir(downloadDir: ArgValue | undefined, env: Record<string, EnvFact>, scriptVars?: ReadonlyMap<string, Token>): { dir: string | null; unknown?: string } {
  if (typeof downloadDir === 'string' && downloadDir) return { dir: downloadDir };
  for (const [name, suffix] of CACHE_ENV) {
    // The server's script sets it (`export HF_HOME=/lustre`): that value, not the container's, reaches vLLM.
    // A file it sources that is not read may set it too (command/sourced-files.ts).
    const assigned = assignedValue(scriptVars, name);
    if (assigned?.unknown) return { dir: null, unknown: scriptVars?.has(name) ? `the script sets ${name} to a value known only at run time` : assigned.unknown };
    if (assigned?.text) return { dir: `${trimTrailingSlashes(assigned.text)}${suffix}` };
    const fact = env[name];
    if (!fact) continue;
    // A ConfigMap value of the input set (env-resolved.ts fills it in) is as known as a literal.
    if (fact.source !== 'literal' && fact.value === undefined) return { dir: null, unknown: `${name} comes from ${fact.source}` };
    if (fact.value) return { dir: `${trimTrailingSlashes(fact.value)}${suffix}` };
  }
  return { dir: `${DEFAULT_HF_HOME}/hub` };
}

/**
 * Where vLLM downloads weights (--download-dir, else HF_HUB_CACHE, else HF_HOME/hub, else
 * /root/.cache/huggingface/hub: huggingface.co/docs/huggingface_hub/package_reference/environment_variables)
 * and whether that path, and a local model path (modelKind `local`; else null), lie under one of
 * `persistentMountPaths`. A cache variable read from a ConfigMap of the input set counts as written;
 * when one comes from a Secret or another reference not read, cacheDir is null and `unknown` says
 * which variable and source. `scriptVars`, the variables the server's `sh -c` script sets, come
 * before the container's env. Never throws.
 */
export function readCache(
  downloadDir: ArgValue | undefined,
  env: Record<string, EnvFact>,
  model: string | null,
  modelKind: string,
  persistentMountPaths: readonly string[],
  scriptVars?: ReadonlyMap<string, Token>,
): CacheFacts & { unknown?: string } {
  const { dir, unknown } = resolveCacheDir(downloadDir, env, scriptVars);
  const facts: CacheFacts & { unknown?: string } = {
    cacheDir: dir,
    cachePersistent: dir !== null && isUnder(dir, persistentMountPaths),
    modelPersistent: modelKind === 'local' && model ? isUnder(model, persistentMountPaths) : null,
  };
  if (unknown) facts.unknown = unknown;
  return facts;
}
