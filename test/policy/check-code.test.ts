// The build's plain yes/no checks (src/policy/check-code.ts) must answer as ajv's validators of the
// same schemas, and leave to ajv every schema they cannot answer exactly.
import t from 'tap';
import { Script } from 'node:vm';
import { createAjv } from '../../src/policy/compile.js';
import { createRequire } from 'node:module';
import { CHECK_HELPERS, CHECK_REQUIRES, checkCode, checkParts } from '../../src/policy/check-code.js';

const ajv = createAjv();

function compileCheck(schema: unknown): ((data: unknown) => boolean) | null {
  const code = checkCode(schema, 'check_under_test');
  if (code === null) return null;
  // The generated module's frame: `require` for CHECK_REQUIRES, the helpers, the check.
  const make = new Script(`((require) => {\n${CHECK_REQUIRES}\n${CHECK_HELPERS}\n${code}\nreturn check_under_test;\n})`).runInThisContext() as (r: NodeJS.Require) => (data: unknown) => boolean;
  return make(createRequire(import.meta.url));
}

/**
 * A check from its root-mode parts (the per-role screen's form, src/engine/evaluate/screen.ts): the
 * document's members it reads are declared first as `r_<key>` and `o_<key>`, as the screen does.
 */
function compileRootCheck(schema: unknown): ((data: unknown) => boolean) | null {
  const parts = checkParts(schema, 'check_under_test', { rootObject: true });
  if (parts === null) return null;
  const temps = Array.from({ length: parts.temps }, (_, i) => `t${i + 1}`);
  const reads = parts.reads.map((key) => `const r_${key} = data[${JSON.stringify(key)}], o_${key} = r_${key} !== null && typeof r_${key} === "object" && !Array.isArray(r_${key});`);
  const body = `function check_under_test(data) { const root = data;${temps.length ? ` let ${temps.join(', ')};` : ''}\n${reads.join('\n')}\nreturn ${parts.expression}; }`;
  const make = new Script(`((require) => {\n${CHECK_REQUIRES}\n${CHECK_HELPERS}\n${parts.helpers}\n${body}\nreturn check_under_test;\n})`).runInThisContext() as (r: NodeJS.Require) => (data: unknown) => boolean;
  return make(createRequire(import.meta.url));
}

const values: unknown[] = [
  undefined, null, true, false, 0, -0, 1, 1.5, -3, 7, 8, 100, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', 'hub', 'true', '8', '😀', 'é', ['x', 'b'],
  [], [1], [1, 2, 3], ['a', 'b'], [null], [{ kind: 'deprecated' }], {}, { a: 1 }, { a: null }, { a: 'x', b: 2 }, { a: { b: true } }, { a: { b: false } },
  { a: [] }, { a: [1, 2] }, JSON.parse('{"__proto__":"x","constructor":"y"}'), { kind: 'deprecated' }, { kind: 'other' }, { verified: true }, { verified: 'yes' }, { a: undefined },
];
const documents = [
  ...values.flatMap((v) => [v, { a: v }, { a: { b: v } }, { item: v, a: v }, { item: v, a: [v, 1] }, { item: 3, a: v }, { item: 3, a: { b: v } }]),
  // `$data` references that hold: the same value elsewhere, deep-equal objects, NaN (ajv's equality finds NaN equal).
  { item: 3, a: [1, 3] }, { item: { x: 1 }, a: [{ x: 1 }] }, { item: { x: 1 }, a: { x: 1 } }, { item: Number.NaN, a: [Number.NaN] }, { item: 'x', a: ['y', 'x'], params: { list: ['x'] } },
];

const supported: unknown[] = [
  true, false, {}, { title: 'annotation only', description: 'x' },
  { type: 'null' }, { type: 'boolean' }, { type: 'object' }, { type: 'array' }, { type: 'number' }, { type: 'integer' }, { type: 'string' }, { type: ['string', 'null'] },
  { const: true }, { const: 0 }, { const: 'hub' }, { const: null }, { enum: ['a', 'x', 1, null] }, { enum: [0] },
  { properties: { a: { const: 1 } } }, { properties: { a: { properties: { b: { const: true } } } } }, { properties: { a: false } }, { properties: { a: true, b: {} } },
  { required: ['a'] }, { required: ['a', 'b'] }, { required: [] }, { properties: { a: { type: 'string' } }, required: ['a'] },
  // Keys an object reads from its prototype: present to ajv's code as to the checks (JSON.parse keeps `__proto__` a key).
  JSON.parse('{"properties":{"constructor":{"type":"string"},"__proto__":{"type":"string"}}}'), { properties: { a: { properties: { hasOwnProperty: false } } } }, { required: ['toString'] },
  { not: { const: 1 } }, { not: { required: ['a'] } }, { not: { type: 'object', properties: { verified: { const: true } }, required: ['verified'] } },
  { anyOf: [{ required: ['a'] }, { type: 'array' }] }, { allOf: [{ type: 'object' }, { required: ['b'] }] }, { oneOf: [{ type: 'number' }, { type: 'integer' }] }, { oneOf: [{ minimum: 0 }, { maximum: 10 }] },
  { items: { type: 'number' } }, { contains: { const: 1 } }, { contains: true }, { items: { properties: { kind: { const: 'deprecated' } }, required: ['kind'] } },
  { minItems: 1 }, { maxItems: 0 }, { minItems: 2, maxItems: 3 },
  { minimum: 1 }, { maximum: 7 }, { exclusiveMinimum: 0 }, { exclusiveMaximum: 8 }, { minimum: -0 },
  { properties: { a: { anyOf: [{ properties: { b: { const: true } }, required: ['b'] }, { properties: { b: { type: 'null' } } }] }, item: { not: { enum: [1, 'x'] } } } },
  { properties: { a: { not: { const: 1 } }, item: { not: { not: { type: 'array', minItems: 1 } } } } },
  // Absolute `$data`: a missing reference passes, one of the wrong type fails, a falsy step stops the read.
  { properties: { item: { const: { $data: '/a' } } } }, { properties: { item: { enum: { $data: '/a' } } } }, { properties: { item: { enum: { $data: '/params/list' } } } },
  { properties: { item: { minimum: { $data: '/a' } } } }, { properties: { item: { maximum: { $data: '/a/b' } } } }, { properties: { item: { exclusiveMinimum: { $data: '/a/b' } } } },
  { properties: { item: { exclusiveMaximum: { $data: '/a' } } } }, { properties: { a: { contains: { const: { $data: '/item' } } } } }, { properties: { a: { items: { not: { enum: { $data: '/a' } } } } } },
  { not: { properties: { item: { anyOf: [{ type: 'null' }, { enum: { $data: '/a' } }] } } } }, { properties: { item: { const: { $data: '/a~1b' } } } },
  { required: { $data: '/a' } }, { properties: { a: { required: { $data: '/params/list' } } } },
  { minLength: 1 }, { maxLength: 1 }, { properties: { a: { type: 'string', minLength: 2 } } },
];

const unsupported: unknown[] = [
  { pattern: '^a' }, { format: 'uri' }, { $ref: '#/definitions/x' }, { minLength: 1.5 }, { const: { a: 1 } }, { enum: [[1]] }, { items: [{ type: 'string' }] },
  { contains: { const: 1 }, minContains: 2 }, { const: { $data: '1/a' } }, { pattern: { $data: '/a' } }, { minItems: { $data: '/a' } }, { const: { $data: '/a', x: 1 } },
  { additionalProperties: false }, { propertyNames: { pattern: 'x' } }, { 'x-vendor': true }, { if: { type: 'string' }, then: { minLength: 1 } }, { const: Number.NaN }, 'not a schema',
];

t.test('every check answers as ajv on every value', async (t) => {
  for (const schema of supported) {
    const check = compileCheck(schema);
    if (!check) {
      t.fail(`no check written for ${JSON.stringify(schema)}`);
      continue;
    }
    const validate = ajv.compile(schema as object);
    const wrong = documents.filter((d) => check(d) !== validate(d));
    t.same(wrong, [], JSON.stringify(schema));
  }
});

t.test('the screen form answers as ajv on every plain-object document, reading its members once', async (t) => {
  const objects = documents.filter((d) => typeof d === 'object' && d !== null && !Array.isArray(d));
  t.ok(objects.length > 100);
  let hoisted = 0;
  for (const schema of supported) {
    const check = compileRootCheck(schema);
    if (!check) {
      t.fail(`no parts written for ${JSON.stringify(schema)}`);
      continue;
    }
    hoisted += checkParts(schema, 'c', { rootObject: true })?.reads.length ?? 0;
    const validate = ajv.compile(schema as object);
    t.same(objects.filter((d) => check(d) !== validate(d)), [], JSON.stringify(schema));
  }
  t.ok(hoisted > 10, `members read through r_/o_ names (${hoisted})`);
  t.same(checkParts({ properties: { params: { required: ['a'] }, item: { const: 1 }, 'a-b': { const: 1 } } }, 'c', { rootObject: true })?.reads, [], 'params, item and non-identifiers are read in place');
});

t.test('schemas the checks cannot answer exactly are left to ajv', async (t) => {
  for (const schema of unsupported) t.equal(checkCode(schema, 'c'), null, JSON.stringify(schema));
});

t.test('keys and constants enter the code as JSON literals only', async (t) => {
  const hostile = { properties: { '"]) || process.exit(1) || (["': { const: '"); process.exit(1); ("' } } };
  const check = compileCheck(hostile);
  t.ok(check);
  t.equal(check?.({ '"]) || process.exit(1) || (["': '"); process.exit(1); ("' }), true);
  t.equal(check?.({ '"]) || process.exit(1) || (["': 'other' }), false);
});
