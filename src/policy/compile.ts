/** Policy documents → compiled policies: meta-schema check, params merged with the config, ajv compile once. */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AppError, describeError } from '../errors.js';
import { describeSchemaError } from '../config/schema-error.js';
import type { Action, CompiledRule, EngineConfig, JsonObject, Policy, PolicySet } from '../engine/types.js';

export interface PolicySource {
  file: string;
  value: unknown;
  /** Line of a field path in the file, for error messages. */
  lineOf(path: readonly (string | number)[]): number;
}

interface RawRule {
  action?: Exclude<Action, 'off'>;
  when?: object | boolean;
  schema: object | boolean;
  message: string;
  remediation: string;
  path: string;
}

type RawPolicy = Omit<Policy, 'rules' | 'file' | 'params' | 'appliesTo' | 'uses' | 'waivable'> & {
  rules: RawRule[];
  params?: JsonObject;
  appliesTo?: Policy['appliesTo'];
  uses?: string[];
  waivable?: boolean;
};

function createAjv(): Ajv {
  const ajv = new Ajv({ $data: true, allErrors: false, strict: false, messages: true });
  addFormats.default(ajv);
  return ajv;
}

function compileSchema(ajv: Ajv, schema: object | boolean, where: string): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (err: unknown) {
    throw new AppError('ERR_POLICY', `${where}: the JSON Schema does not compile (${describeError(err)})`, { cause: err });
  }
}

function compilePolicy(ajv: Ajv, source: PolicySource, raw: RawPolicy, config: EngineConfig): Policy {
  const override = config.policies[raw.id];
  const rules: CompiledRule[] = raw.rules.map((rule, i) => {
    const where = (field: string): string => `${source.file}:${source.lineOf(['rules', i, field])}: rules[${i}].${field}`;
    return {
      action: rule.action ?? null,
      when: rule.when === undefined ? null : compileSchema(ajv, rule.when, where('when')),
      validate: compileSchema(ajv, rule.schema, where('schema')),
      message: rule.message,
      remediation: rule.remediation,
      path: rule.path,
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
    params: { ...(raw.params ?? {}), ...(override?.params ?? {}) },
    rules,
    waivable: override?.waivable ?? raw.waivable ?? false,
    ...(raw.example ? { example: raw.example } : {}),
    file: source.file,
  };
}

/** Checks every source against the meta-schema and compiles it; the first bad file stops the load. */
export function compilePolicySet(sources: PolicySource[], metaSchema: object, config: EngineConfig, origin: string): PolicySet {
  const ajv = createAjv();
  const validateMeta = ajv.compile(metaSchema);
  const policies: Policy[] = [];
  const byId = new Map<string, Policy>();
  for (const source of sources) {
    if (!validateMeta(source.value)) {
      const error = describeSchemaError(validateMeta.errors?.[0]);
      throw new AppError('ERR_POLICY', `${source.file}:${source.lineOf(error.path)}: ${error.text}`);
    }
    const raw = source.value as RawPolicy;
    const earlier = byId.get(raw.id);
    if (earlier) throw new AppError('ERR_POLICY', `${source.file}: policy id ${raw.id} is already defined in ${earlier.file}`);
    const policy = compilePolicy(ajv, source, raw, config);
    policies.push(policy);
    byId.set(policy.id, policy);
  }
  const warnings = Object.keys(config.policies)
    .filter((id) => !byId.has(id))
    .map((id) => `the config sets policies.${id}, but no policy has that id`);
  return { policies, byId, source: origin, warnings };
}
