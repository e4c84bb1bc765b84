/**
 * Build step (precompile.ts): a rule's JSON Schema as the JavaScript text of a yes/no function,
 * for the schemas made only of keywords whose ajv answer is simple to state exactly: `type`,
 * `const` and `enum` of plain values, `properties`, `required`, `not`, `allOf`, `anyOf`, `oneOf`,
 * `items` (one schema), `contains`, `minItems`, `maxItems`, `minLength`, `maxLength`, the four numeric
 * bounds, and `true`/`false`; `const`, `enum`, `required` and the bounds also as absolute `$data` references (the policy's
 * params, another fact). Anything else (relative `$data`, `$ref`, `pattern`, `format`, object
 * constants, unknown keywords…) leaves the schema to ajv alone (null).
 *
 * Why: ajv's validator builds an error object (params, message, path texts) for every schema that
 * fails, and a passing vLLM review fails ~40 `when`s and rules whose errors nobody reads (≈ 14 KB of
 * its ≈ 55 KB allocated; bench/PROFILE.md step E1). The check gives the same boolean and allocates
 * nothing; the engine asks the validator again only when it needs a failure's errors
 * (evaluate/evaluate.ts). Generated code, not closures over the schema: a closure shares its
 * property caches with every other closure of the same source, and those went megamorphic.
 *
 * The answers follow ajv 8 with the options of compile.ts (`strict: false`, no type coercion, no
 * `ownProperties`, `loopEnum` unset): keywords apply only to their type (`properties` and `required`
 * to plain objects, `items`, `contains` and the counts to arrays, bounds to numbers, NaN failing
 * every bound); a property is present when reading it gives something other than `undefined`;
 * constants compare with `===`. test/policy/check-code.test.ts compares both on many schemas and
 * values, and every built-in rule on the facts of the example workloads.
 * @module
 */
import { dataKeyword } from './check-data.js';
import { atRoot, ifObject, isObject, member, type Gen } from './check-gen.js';

/** Keywords that never change an answer (annotations). */
const ANNOTATIONS: ReadonlySet<string> = new Set(['title', 'description', '$comment', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);
const TYPES: ReadonlySet<string> = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
/** Schemas of policy rules are small; deeper ones are left to ajv. */
const MAX_DEPTH = 32;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A constant ajv compares with `===` (its `const` and `enum` compare objects deeply). */
function literal(value: unknown): string | null {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  // JSON.stringify(-0) is "0"; both compare equal with ===, as ajv's code does.
  if (typeof value === 'number' && Number.isFinite(value)) return JSON.stringify(value);
  return null;
}

/** Keywords that apply to one JSON type only, so that a value of none (an absent member) passes them. */
const ONE_TYPE: ReadonlySet<string> = new Set(['properties', 'required', 'items', 'contains', 'minItems', 'maxItems', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

/** Whether `undefined` passes `schema` whatever its keywords' values: only annotations and ONE_TYPE keywords, or an allOf of such. */
function passesAbsent(schema: unknown): boolean {
  if (schema === true) return true;
  if (!isPlainObject(schema)) return false;
  return Object.entries(schema).every(([name, value]) => ANNOTATIONS.has(name) || ONE_TYPE.has(name) || (name === 'allOf' && Array.isArray(value) && value.every(passesAbsent)));
}

function typeTest(type: string, v: string): string {
  switch (type) {
    case 'null':
      return `${v} === null`;
    case 'object':
      return isObject(v);
    case 'array':
      return `Array.isArray(${v})`;
    case 'integer':
      return `(typeof ${v} === "number" && !(${v} % 1) && !isNaN(${v}))`;
    default:
      return `typeof ${v} === "${type}"`;
  }
}

function and(parts: readonly string[]): string {
  return parts.length === 0 ? 'true' : parts.length === 1 ? (parts[0] as string) : `(${parts.join(' && ')})`;
}

/** A schema for one array item as a helper function of its own; its name, or null. */
function itemHelper(schema: unknown, gen: Gen, depth: number): string | null {
  const inner: Gen = { name: `${gen.name}_${gen.helpers.length}`, helpers: gen.helpers, temps: 0 };
  const body = expression(schema, 'data', inner, depth + 1);
  if (body === null) return null;
  const name = inner.name;
  gen.helpers.push(`function ${name}(data, root) {${declare(inner.temps)} return ${body}; }`);
  return name;
}

function declare(temps: number): string {
  return temps === 0 ? '' : ` let ${Array.from({ length: temps }, (_, i) => `t${i + 1}`).join(', ')};`;
}

function keyword(schema: Record<string, unknown>, name: string, value: unknown, v: string, gen: Gen, depth: number): string | null {
  switch (name) {
    case 'type': {
      const types = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string' && TYPES.has(t))) return null;
      return `(${(types as string[]).map((t) => typeTest(t, v)).join(' || ')})`;
    }
    case 'const': {
      const text = literal(value);
      return text === null ? null : `${v} === ${text}`;
    }
    case 'enum': {
      if (!Array.isArray(value) || value.length === 0) return null;
      const texts = value.map(literal);
      return texts.includes(null) ? null : `(${texts.map((text) => `${v} === ${text as string}`).join(' || ')})`;
    }
    case 'properties': {
      if (!isPlainObject(value)) return null;
      const temp = `t${depth + 1}`;
      const parts: string[] = [];
      for (const [key, child] of Object.entries(value)) {
        const hoisted = atRoot(v, gen) ? member(key, gen) : null;
        const inner = expression(child, hoisted ?? temp, gen, depth + 1);
        if (inner === null) return null;
        if (inner === 'true') continue;
        // An absent member passes a sub-schema of one-type keywords anyway: no test for it.
        if (hoisted !== null) parts.push(passesAbsent(child) ? inner : `(${hoisted} === undefined || ${inner})`);
        else {
          gen.temps = Math.max(gen.temps, depth + 1);
          parts.push(`((${temp} = ${v}[${JSON.stringify(key)}]) === undefined || ${inner})`);
        }
      }
      return parts.length === 0 ? 'true' : ifObject(v, and(parts), gen);
    }
    case 'required': {
      if (!Array.isArray(value) || !value.every((k) => typeof k === 'string')) return null;
      if (value.length === 0) return 'true';
      const present = (k: string): string => `${(atRoot(v, gen) ? member(k, gen) : null) ?? `${v}[${JSON.stringify(k)}]`} !== undefined`;
      return ifObject(v, and(value.map(present)), gen);
    }
    case 'not': {
      const inner = expression(value, v, gen, depth);
      return inner === null ? null : `!(${inner})`;
    }
    case 'allOf':
    case 'anyOf':
    case 'oneOf': {
      if (!Array.isArray(value) || value.length === 0) return null;
      const parts: string[] = [];
      for (const child of value) {
        const inner = expression(child, v, gen, depth);
        if (inner === null) return null;
        parts.push(inner);
      }
      if (name === 'allOf') return and(parts);
      if (name === 'anyOf') return `(${parts.join(' || ')})`;
      return `((${parts.map((p) => `(${p} ? 1 : 0)`).join(' + ')}) === 1)`;
    }
    case 'items':
    case 'contains': {
      // The tuple form of `items` and the keywords that change either are ajv's.
      if (Array.isArray(value) || 'additionalItems' in schema || 'prefixItems' in schema || 'minContains' in schema || 'maxContains' in schema) return null;
      const helper = itemHelper(value, gen, depth);
      if (helper === null) return null;
      return name === 'items' ? `(!Array.isArray(${v}) || every(${v}, ${helper}, root))` : `(!Array.isArray(${v}) || some(${v}, ${helper}, root))`;
    }
    case 'minItems':
    case 'maxItems': {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return null;
      return `(!Array.isArray(${v}) || ${v}.length ${name === 'minItems' ? '>=' : '<='} ${value})`;
    }
    case 'minLength':
    case 'maxLength': {
      // ajv counts code points (its `ucs2length`), not UTF-16 units.
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return null;
      return `(typeof ${v} !== "string" || ucs2length(${v}) ${name === 'minLength' ? '>=' : '<='} ${value})`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return null;
      const fails = { minimum: '<', maximum: '>', exclusiveMinimum: '<=', exclusiveMaximum: '>=' }[name];
      return `(typeof ${v} !== "number" || !(${v} ${fails} ${JSON.stringify(value)} || isNaN(${v})))`;
    }
    default:
      return null;
  }
}

/** The boolean expression of `schema` applied to the variable `v`, or null when ajv must answer. */
function expression(schema: unknown, v: string, gen: Gen, depth: number): string | null {
  if (schema === true) return 'true';
  if (schema === false) return 'false';
  if (!isPlainObject(schema) || depth > MAX_DEPTH) return null;
  const parts: string[] = [];
  for (const [name, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(name)) continue;
    // `{ "$data": "/…" }` as a keyword's value is a reference ajv resolves on each call.
    const part = isPlainObject(value) && '$data' in value ? dataKeyword(name, value, v, gen) : keyword(schema, name, value, v, gen, depth);
    if (part === null) return null;
    if (part !== 'true') parts.push(part);
  }
  return and(parts);
}

export { CHECK_HELPERS, CHECK_REQUIRES } from './check-runtime.js';

/** A check in parts, for code that inlines it (the per-role screen, evaluate/screen.ts): see checkParts. */
export interface CheckParts {
  /** A boolean expression over `data` and `root` (both the document) and temporaries `t1`…`t<temps>`. */
  expression: string;
  temps: number;
  /** Declarations of the helper functions the expression calls (`<name>_N`), one per line; may be empty. */
  helpers: string;
  /**
   * With `rootObject`: the document's members the expression reads as `r_<key>` (the member's value)
   * and `o_<key>` (whether that value is a plain object), which the code around it declares.
   */
  reads: string[];
}

/**
 * `schema` as the parts of a check (see checkCode), or null when this module does not answer it.
 * The expression assigns each temporary before reading it, so checks inlined one after another may
 * share them. `rootObject`: the document is known to be a plain object (the facts), so the
 * expression skips that test and reads its members (but `params` and `item`) through `r_`/`o_`
 * names (`reads`). Never throws.
 */
export function checkParts(schema: unknown, name: string, options: { rootObject?: boolean } = {}): CheckParts | null {
  const gen: Gen = { name, helpers: [], temps: 0, ...(options.rootObject ? { reads: new Set<string>() } : {}) };
  const body = expression(schema, 'data', gen, 0);
  return body === null ? null : { expression: body, temps: gen.temps, helpers: gen.helpers.join('\n'), reads: [...(gen.reads ?? [])] };
}

/**
 * JavaScript declaring `function <name>(data)` that answers whether `data` is valid against
 * `schema` as ajv does, with any helper functions it needs (named `<name>_N`), or null when the
 * schema uses a keyword or form this module does not answer. `name` must be a JavaScript
 * identifier; the code calls the functions of CHECK_HELPERS (which need CHECK_REQUIRES). Keys and constants enter the
 * code only through JSON.stringify. Never throws.
 */
export function checkCode(schema: unknown, name: string): string | null {
  const parts = checkParts(schema, name);
  return parts === null ? null : checkFunction(parts, name);
}

/** The declarations of checkCode from a check's parts (checkParts with the same `name`). */
export function checkFunction(parts: CheckParts, name: string): string {
  const check = `function ${name}(data) { const root = data;${declare(parts.temps)} return ${parts.expression}; }`;
  return parts.helpers === '' ? check : `${parts.helpers}\n${check}`;
}
