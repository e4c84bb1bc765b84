// The build's plain yes/no checks (src/policy/check-code.ts) must answer as ajv's validators of the
// same schemas, and leave to ajv every schema they cannot answer exactly.
import t from 'tap';
import { Script } from 'node:vm';
import { createAjv } from '../../src/policy/compile.js';
import { CHECK_HELPERS, checkCode } from '../../src/policy/check-code.js';

const ajv = createAjv();

function compileCheck(schema: unknown): ((data: unknown) => boolean) | null {
  const code = checkCode(schema, 'check_under_test');
  if (code === null) return null;
  return new Script(`(() => {\n${CHECK_HELPERS}\n${code}\nreturn check_under_test;\n})()`).runInThisContext() as (data: unknown) => boolean;
}

const values: unknown[] = [
  undefined, null, true, false, 0, -0, 1, 1.5, -3, 7, 8, 100, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', 'hub', 'true', '8',
  [], [1], [1, 2, 3], ['a', 'b'], [null], [{ kind: 'deprecated' }], {}, { a: 1 }, { a: null }, { a: 'x', b: 2 }, { a: { b: true } }, { a: { b: false } },
  { a: [] }, { a: [1, 2] }, JSON.parse('{"__proto__":"x","constructor":"y"}'), { kind: 'deprecated' }, { kind: 'other' }, { verified: true }, { verified: 'yes' }, { a: undefined },
];
const documents = values.flatMap((v) => [v, { a: v }, { a: { b: v } }, { item: v, a: v }]);

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
];

const unsupported: unknown[] = [
  { pattern: '^a' }, { format: 'uri' }, { $ref: '#/definitions/x' }, { minLength: 1 }, { const: { a: 1 } }, { enum: [[1]] }, { items: [{ type: 'string' }] },
  { contains: { const: 1 }, minContains: 2 }, { minimum: { $data: '/params/x' } }, { properties: { a: { enum: { $data: '/params/list' } } } },
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
