/**
 * The built-in policies compiled at build time (`npm run build`, precompile.ts): each policy file's
 * parsed document and its rules' validators as ajv standalone code, in
 * `dist/policy/builtin-policies.cjs`, keyed by the SHA-256 of the file's text. Loading a policy
 * file whose text has an entry skips the YAML parse, the meta-schema check and the ajv compile
 * (about 1 s of a CLI start on 2 busy cores); any other file (a user's policy, an edited built-in,
 * a run from src/ without a build) is compiled at run time as before.
 * @module
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { CHECK_PROPERTY, CHECK_SOURCE_PROPERTY, createRe2Engine, type CheckSource, type SchemaCheck } from '../engine/api.js';

/** File name of the generated module, next to this module in dist/policy/. */
export const PRECOMPILED_FILE = 'builtin-policies.cjs';

/** Export names of one rule's validators in the generated code. */
export interface PrecompiledRuleNames {
  when: string | null;
  schema: string;
  fixWhen: string | null;
}

/** One policy file as the build saw it: its document as JSON text and its rules' validator names. */
export interface PrecompiledEntry {
  json: string;
  rules: PrecompiledRuleNames[];
}

/** The generated module: a factory of the validators, and the entries keyed by text hash. */
interface PrecompiledModule {
  (regExp: ReturnType<typeof createRe2Engine>): Record<string, ValidateFunction>;
  entries: Record<string, PrecompiledEntry>;
  /** Plain yes/no checks of the validators check-code.ts could write, by validator name (older builds: none). */
  checks?: Record<string, SchemaCheck>;
  /** Each check's parts as text, [expression, temps, helpers, reads] (check-code.ts checkParts, `rootObject`), by validator name. */
  sources?: Record<string, [string, number, string, string[]]>;
  /** Compiles a per-role screen from the sources (CheckSource's `link`). */
  link?: CheckSource['link'];
}

/** One rule's validators, ready for compile.ts (each carries its `schema`, as ajv's do). */
export interface PrecompiledRule {
  when: ValidateFunction | null;
  validate: ValidateFunction;
  fixWhen: ValidateFunction | null;
}

/** The precompiled catalogue for one policy load: lookups by file text, validators made once. */
export interface PrecompiledTable {
  /** The parsed document and validators of a policy file with exactly this text, or null. */
  lookup(text: string): { value: unknown; rules: PrecompiledRule[] } | null;
}

/** SHA-256 (hex) of a policy file's text: the key of its precompiled entry. */
export function policyTextHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function readModule(file: string): PrecompiledModule | null {
  const require = createRequire(import.meta.url);
  try {
    return require(file) as PrecompiledModule;
  } catch (err: unknown) {
    if ((err as { code?: unknown }).code === 'MODULE_NOT_FOUND') return null;
    throw err;
  }
}

/** A validator's plain check from the build, with its source when the build wrote that too. */
interface BuiltCheck {
  check: SchemaCheck;
  source: CheckSource | undefined;
}

function withSchema(fn: ValidateFunction | undefined, schema: unknown, built: BuiltCheck | undefined): ValidateFunction {
  if (!fn) throw new Error(`${PRECOMPILED_FILE}: a validator is missing (rebuild with npm run build)`);
  // The engine's plan reads `validate.schema` (the facts a rule reads), as ajv sets it, and the
  // validator's plain check when the build wrote one (CHECK_PROPERTY: evaluate/schema-check.ts),
  // with its source (CHECK_SOURCE_PROPERTY, for the per-role screen: evaluate/screen.ts).
  const extra = built ? { [CHECK_PROPERTY]: built.check, ...(built.source ? { [CHECK_SOURCE_PROPERTY]: built.source } : {}) } : {};
  return Object.assign(fn, { schema: schema as ValidateFunction['schema'] }, extra);
}

/** The build's check of validator `name` and its source (the same `link` for all of one module), if any. */
function builtCheck(mod: PrecompiledModule, name: string): BuiltCheck | undefined {
  const own = (table: object | undefined): boolean => table !== undefined && Object.prototype.hasOwnProperty.call(table, name);
  if (!own(mod.checks)) return undefined;
  const check = (mod.checks as Record<string, SchemaCheck>)[name] as SchemaCheck;
  if (!own(mod.sources) || typeof mod.link !== 'function') return { check, source: undefined };
  const [expression, temps, helpers, reads] = (mod.sources as Record<string, [string, number, string, string[]]>)[name] as [string, number, string, string[]];
  return { check, source: { expression, temps, helpers, reads, link: mod.link } };
}

/**
 * Opens the generated module, or returns null when there is none (running from src/, or a build
 * without it). The validators are instantiated once per call, with a fresh RE2 engine, so they and
 * their pattern cache live and die with the policy set, as a runtime-compiled set's do.
 * `file` (tests) is another generated module, by absolute path.
 */
export function openPrecompiled(file?: string): PrecompiledTable | null {
  // From src/ (the test suite, which builds first): the build's module is just as valid, since an
  // entry only ever matches a policy file of exactly the text it was compiled from.
  const mod = file !== undefined ? readModule(file) : (readModule(`./${PRECOMPILED_FILE}`) ?? (import.meta.url.endsWith('.ts') ? readModule(`../../dist/policy/${PRECOMPILED_FILE}`) : null));
  if (!mod) return null;
  let validators: Record<string, ValidateFunction> | null = null;
  return {
    lookup(text) {
      const hash = policyTextHash(text);
      const entry = Object.prototype.hasOwnProperty.call(mod.entries, hash) ? mod.entries[hash] : undefined;
      if (!entry) return null;
      validators ??= mod(createRe2Engine());
      const made = validators;
      const checkOf = (name: string): BuiltCheck | undefined => builtCheck(mod, name);
      const value = JSON.parse(entry.json) as { rules?: { when?: unknown; schema?: unknown; fix?: { when?: unknown } }[] };
      const rules = entry.rules.map((names, i) => {
        const raw = value.rules?.[i];
        return {
          when: names.when === null ? null : withSchema(made[names.when], raw?.when, checkOf(names.when)),
          validate: withSchema(made[names.schema], raw?.schema, checkOf(names.schema)),
          fixWhen: names.fixWhen === null ? null : withSchema(made[names.fixWhen], raw?.fix?.when, checkOf(names.fixWhen)),
        };
      });
      return { value, rules };
    },
  };
}
