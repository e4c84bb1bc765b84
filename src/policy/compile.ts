/**
 * Policy documents → compiled policies: meta-schema check, then each rule's JSON Schema compiled
 * once with ajv. Independent of any config: createEngine lays the config's params and actions over
 * the result. Refused at load, with file, line and field: a schema that is not valid, a `$ref` that
 * could recurse, an unknown `format`, a pattern that is not RE2.
 */
import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';
import type addFormatsPlugin from 'ajv-formats';
import { AppError, describeError } from '../errors.js';
import { describeSchemaError } from '../config/schema-error.js';
import { checkSchemaSafety } from './schema-safety.js';
import { createRe2Engine, newAjv } from '../engine/api.js';
import type { Action, CompiledRule, JsonObject, Policy, PolicySet, RuleFix } from '../engine/api.js';
import type { PrecompiledRule } from './precompiled.js';

export interface PolicySource {
  file: string;
  value: unknown;
  /** Line of a field path in the file, for error messages. */
  lineOf: (path: readonly (string | number)[]) => number;
  /**
   * The rules' validators from the build (precompiled.ts), when the file's text is a built-in
   * policy's as built: the meta-schema check and the compile were done then, and are skipped.
   */
  precompiled?: PrecompiledRule[];
}

interface RawRule {
  action?: Exclude<Action, 'off'>;
  each?: string;
  when?: object | boolean;
  schema: object | boolean;
  message: string;
  remediation: string;
  path: string;
  supersededBy?: string[];
  fix?: Omit<RuleFix, 'when'> & { when?: object | boolean };
}

type RawPolicy = Omit<Policy, 'rules' | 'file' | 'params' | 'appliesTo' | 'uses' | 'waivable'> & {
  rules: RawRule[];
  params?: JsonObject;
  appliesTo?: Policy['appliesTo'];
  uses?: string[];
  waivable?: boolean;
};

/**
 * One ajv per policy set: compiled validators and the RE2 pattern cache live and die with the set.
 * `source: true` keeps the generated code for ajv's standalone output (precompile.ts, at build time).
 */
export function createAjv(options: { source?: boolean } = {}): Ajv {
  // Loaded here, not imported: a load whose files are all precompiled never needs them.
  const addFormats = createRequire(import.meta.url)('ajv-formats') as typeof addFormatsPlugin;
  const ajv = newAjv({ $data: true, allErrors: false, strict: false, messages: true, code: { regExp: createRe2Engine(), source: options.source ?? false }, logger: false });
  addFormats.default(ajv);
  return ajv;
}

function compileSchema(ajv: Ajv, schema: object | boolean, where: () => string): ValidateFunction {
  const problem = checkSchemaSafety(schema, (name) => ajv.formats[name] !== undefined);
  if (problem) throw new AppError('ERR_POLICY', `${where()}: ${problem}`);
  try {
    return ajv.compile(schema);
  } catch (err: unknown) {
    throw new AppError('ERR_POLICY', `${where()}: the JSON Schema does not compile (${describeError(err)})`, { cause: err });
  }
}

function compilePolicy(ajv: () => Ajv, source: PolicySource, raw: RawPolicy): Policy {
  const rules: CompiledRule[] = raw.rules.map((rule, i) => {
    const where = (field: string) => (): string => `${source.file}:${source.lineOf(['rules', i, field])}: rules[${i}].${field}`;
    const built = source.precompiled?.[i];
    if (built) {
      return {
        action: rule.action ?? null,
        each: rule.each ?? null,
        when: built.when,
        validate: built.validate,
        message: rule.message,
        remediation: rule.remediation,
        path: rule.path,
        supersededBy: rule.supersededBy ?? null,
        fix: rule.fix ? { ...rule.fix, when: built.fixWhen } : null,
      };
    }
    return {
      action: rule.action ?? null,
      each: rule.each ?? null,
      when: rule.when === undefined ? null : compileSchema(ajv(), rule.when, where('when')),
      validate: compileSchema(ajv(), rule.schema, where('schema')),
      message: rule.message,
      remediation: rule.remediation,
      path: rule.path,
      supersededBy: rule.supersededBy ?? null,
      fix: rule.fix
        ? { ...rule.fix, when: rule.fix.when === undefined ? null : compileSchema(ajv(), rule.fix.when, () => `${source.file}:${source.lineOf(['rules', i, 'fix', 'when'])}: rules[${i}].fix.when`) }
        : null,
    };
  });
  return {
    id: raw.id,
    title: raw.title,
    description: raw.description,
    checklist: raw.checklist,
    owner: raw.owner,
    severity: raw.severity,
    action: raw.action,
    appliesTo: raw.appliesTo ?? ['server'],
    uses: raw.uses ?? [],
    params: raw.params ?? {},
    rules,
    waivable: raw.waivable ?? false,
    ...(raw.example ? { example: raw.example } : {}),
    file: source.file,
    lineOf: source.lineOf,
  };
}

/**
 * Checks every source against the meta-schema and compiles it; the first bad file stops the load.
 * Sources with precompiled validators skip both (they were checked at build time); the ajv
 * instance (or `ajvInstance`, the build's) is made only when some source needs it.
 */
export function compilePolicySet(sources: PolicySource[], metaSchema: object, origin: string, ajvInstance?: Ajv): PolicySet {
  let made: Ajv | undefined = ajvInstance;
  const ajv = (): Ajv => (made ??= createAjv());
  let validateMeta: ValidateFunction | undefined;
  const policies: Policy[] = [];
  const byId = new Map<string, Policy>();
  for (const source of sources) {
    if (!source.precompiled) {
      validateMeta ??= ajv().compile(metaSchema);
      if (!validateMeta(source.value)) {
        const error = describeSchemaError(validateMeta.errors?.[0]);
        throw new AppError('ERR_POLICY', `${source.file}:${source.lineOf(error.path)}: ${error.text}`);
      }
    }
    const raw = source.value as RawPolicy;
    const earlier = byId.get(raw.id);
    if (earlier) throw new AppError('ERR_POLICY', `${source.file}: policy id ${raw.id} is already defined in ${earlier.file}`);
    const policy = compilePolicy(ajv, source, raw);
    policies.push(policy);
    byId.set(policy.id, policy);
  }
  return { policies, byId, source: origin, warnings: unknownSupersedingPolicies(policies, byId) };
}

/** Load warnings for `supersededBy` ids no loaded policy has: such a rule's findings always stand. */
function unknownSupersedingPolicies(policies: readonly Policy[], byId: ReadonlyMap<string, Policy>): string[] {
  const warnings: string[] = [];
  for (const policy of policies) {
    policy.rules.forEach((rule, i) => {
      for (const id of rule.supersededBy ?? []) {
        if (byId.has(id)) continue;
        const line = policy.lineOf?.(['rules', i, 'supersededBy']);
        warnings.push(`${policy.file}${line ? `:${line}` : ''}: rules[${i}].supersededBy names policy ${id}, which is not loaded: the rule's findings always stand`);
      }
    });
  }
  return warnings;
}
