// Fact paths in message templates and policies read own members only: a template or a user's
// object naming `constructor`, `toString` or `__proto__` never reaches an inherited member.
import t from 'tap';
import { valueAtPath } from '../../src/engine/util/json.js';
import { renderTemplate } from '../../src/engine/evaluate/render.js';

t.test('inherited members are not values', async (t) => {
  t.equal(valueAtPath({}, 'constructor'), undefined);
  t.equal(valueAtPath({ a: {} }, 'a.toString'), undefined);
  t.equal(valueAtPath({ a: [1, 2] }, 'a.map'), undefined);
  t.equal(valueAtPath({}, '__proto__'), undefined);
  t.equal(valueAtPath({ a: {} }, 'a.__proto__.hasOwnProperty'), undefined);
  t.equal(renderTemplate('[[has {{a.constructor}}]]{{!a.constructor|none}}', { a: {} }), 'none');
});

t.test('own members are values, whatever their names', async (t) => {
  const parsed = JSON.parse('{"__proto__": {"x": 1}, "constructor": "c", "a": {"toString": "s", "list": [5, 6]}}') as unknown;
  t.equal(valueAtPath(parsed, '__proto__.x'), 1, 'an own __proto__ key (JSON.parse makes one)');
  t.equal(valueAtPath(parsed, 'constructor'), 'c');
  t.equal(valueAtPath(parsed, 'a.toString'), 's');
  t.equal(valueAtPath(parsed, 'a.list.1'), 6);
  t.equal(valueAtPath(parsed, 'a.list.2'), undefined);
  t.equal(valueAtPath(parsed, 'a.list.length'), 2, 'an array’s length is its own');
  t.equal(valueAtPath({ a: null }, 'a.b'), undefined);
  t.equal(valueAtPath({ a: 0 }, 'a'), 0);
});
