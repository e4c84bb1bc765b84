/**
 * The policy catalogue the CLI runs: the built-in policies plus every `--policies DIR`, in order.
 * A policy whose id is already in the catalogue replaces that one and a notice says so; two
 * files with one id in the same directory stay an error. `--no-builtin-policies` starts from
 * nothing, for a catalogue of one's own. Then the config's references are checked against it.
 * @module
 */
import { loadConfig, type AppConfig } from '../config/load.js';
import { checkConfigReferences } from '../config/strict.js';
import { createEngine, type Engine, type Mode, type PolicySet } from '../engine/api.js';
import { AppError } from '../errors.js';
import { compilePolicySet, type PolicySource } from '../policy/compile.js';
import { BUNDLED_POLICY_DIR, readMetaSchema, readSources } from '../policy/load.js';
import { openPrecompiled } from '../policy/precompiled.js';

export interface CatalogueOptions {
  /** Directories added after the built-ins, in order. */
  dirs: readonly string[];
  /** False for --no-builtin-policies. */
  builtin: boolean;
  /** The config file, to check its policy references; null when none. */
  configFile: string | null;
}

function idOf(source: PolicySource): string | undefined {
  const id = (source.value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Loads and compiles the catalogue. Returns the set and notices for stderr (replaced built-ins). */
export function loadCatalogue(options: CatalogueOptions): { set: PolicySet; notices: string[] } {
  if (!options.builtin && options.dirs.length === 0) {
    throw new AppError('ERR_USAGE', '--no-builtin-policies needs at least one --policies DIR');
  }
  // Files whose text the build precompiled (the built-ins, or copies of them) skip parse and compile.
  const precompiled = openPrecompiled();
  const sources: PolicySource[] = options.builtin ? readSources(BUNDLED_POLICY_DIR, precompiled) : [];
  const builtins = new Set(sources);
  const notices: string[] = [];
  for (const dir of options.dirs) {
    const earlier = new Map<string, number>();
    sources.forEach((s, i) => {
      const id = idOf(s);
      if (id !== undefined) earlier.set(id, i);
    });
    for (const source of readSources(dir, precompiled)) {
      const id = idOf(source);
      const at = id === undefined ? undefined : earlier.get(id);
      if (id === undefined || at === undefined) {
        sources.push(source);
        continue;
      }
      const replaced = sources[at];
      const what = replaced && builtins.has(replaced) ? 'the built-in one' : `the one in ${replaced?.file ?? 'an earlier directory'}`;
      notices.push(`policy ${id} from ${source.file} replaces ${what}`);
      sources[at] = source;
      earlier.delete(id); // a second file with this id in the same directory is then a duplicate error
    }
  }
  const origin = [...(options.builtin ? ['built-in policies'] : []), ...options.dirs].join(' + ');
  const set = compilePolicySet(sources, readMetaSchema(), origin);
  const declared = new Map(
    sources.flatMap((source) => {
      const id = idOf(source);
      const params = (source.value as { params?: unknown } | null)?.params;
      return id === undefined ? [] : [[id, typeof params === 'object' && params !== null ? Object.keys(params) : []] as const];
    }),
  );
  checkConfigReferences(options.configFile, declared);
  return { set, notices };
}

export interface CliEngineSources {
  configFile: string | null;
  mode?: Mode;
  /** --policies, in order. */
  dirs: readonly string[];
  /** False for --no-builtin-policies. */
  builtin: boolean;
}

/**
 * The CLI's engine (check, audit, policies, explain): load-engine.ts's steps (config, then
 * policies, then createEngine) with the catalogue in place of one directory. Notices go to `note`.
 */
export function loadCliEngine(sources: CliEngineSources, note: (text: string) => void): { engine: Engine; config: AppConfig } {
  const config = loadConfig(sources.configFile, sources.mode !== undefined ? { mode: sources.mode } : {});
  const { set, notices } = loadCatalogue({ dirs: sources.dirs, builtin: sources.builtin, configFile: sources.configFile });
  for (const notice of notices) note(`note: ${notice}\n`);
  const engine = createEngine({ policies: set, config: config.engine });
  // Unknown policy ids in the config were refused above; any other warning is still shown.
  for (const warning of engine.warnings) note(`warning: ${warning}\n`);
  return { engine, config };
}
