/**
 * The one way the three doors build an engine from files: read the config once, load the policy
 * directory, compile both into an engine. `check`, `audit`, `serve` (and its hot reload) and the
 * tests all come through here, so they give the same verdicts for the same files.
 * @module
 */
import { loadConfig, type AppConfig } from './config/load.js';
import { createEngine, type Engine, type Mode } from './engine/api.js';
import { loadPolicies } from './policy/load.js';

export interface EngineSources {
  /** Config file, or null for the embedded defaults. */
  readonly configFile: string | null;
  /** Policies directory, or null for the bundled policies. */
  readonly policiesDir: string | null;
  /** --mode, which wins over the config file's mode. */
  readonly mode?: Mode;
}

export interface LoadedEngine {
  readonly engine: Engine;
  /** The whole config, for the server and audit settings that sit beside the engine's. */
  readonly config: AppConfig;
}

/** Loads config then policies and compiles the engine. Throws AppError (ERR_CONFIG / ERR_POLICY) naming file, line and field. */
export function loadEngine(sources: EngineSources): LoadedEngine {
  const config = loadConfig(sources.configFile, sources.mode !== undefined ? { mode: sources.mode } : {});
  const policies = loadPolicies(sources.policiesDir);
  return { engine: createEngine({ policies, config: config.engine }), config };
}
