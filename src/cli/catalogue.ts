/**
 * The policy catalogue the CLI runs: the built-in policies plus every `--policies DIR`, in order.
 * A policy whose id is already in the catalogue replaces that one and a notice says so; two
 * files with one id in the same directory stay an error. `--no-builtin-policies` starts from
 * nothing, for a catalogue of one's own. Then the config's references are checked against it.
 * @module
 */
import { checkConfigReferences } from '../config/strict.js';
import type { EngineConfig, PolicySet } from '../engine/types.js';
import { AppError } from '../errors.js';
import { compilePolicySet, type PolicySource } from '../policy/compile.js';
import { BUNDLED_POLICY_DIR, readMetaSchema, readSources } from '../policy/load.js';

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
export function loadCatalogue(options: CatalogueOptions, config: EngineConfig): { set: PolicySet; notices: string[] } {
  if (!options.builtin && options.dirs.length === 0) {
    throw new AppError('ERR_USAGE', '--no-builtin-policies needs at least one --policies DIR');
  }
  const sources: PolicySource[] = options.builtin ? readSources(BUNDLED_POLICY_DIR) : [];
  const builtins = new Set(sources);
  const notices: string[] = [];
  for (const dir of options.dirs) {
    const earlier = new Map<string, number>();
    sources.forEach((s, i) => {
      const id = idOf(s);
      if (id !== undefined) earlier.set(id, i);
    });
    for (const source of readSources(dir)) {
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
  const set = compilePolicySet(sources, readMetaSchema(), config, origin);
  const declared = new Map(
    sources.flatMap((source) => {
      const id = idOf(source);
      const params = (source.value as { params?: unknown } | null)?.params;
      return id === undefined ? [] : [[id, typeof params === 'object' && params !== null ? Object.keys(params) : []] as const];
    }),
  );
  checkConfigReferences(options.configFile, declared);
  // The unknown-id warnings are now errors (checkConfigReferences); keep the others.
  return { set: { ...set, warnings: set.warnings.filter((w) => !/^the config sets policies\./.test(w)) }, notices };
}
