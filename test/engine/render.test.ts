import t from 'tap';
import { renderTemplate } from '../../src/engine/render.js';

const facts = { a: { b: 3, s: 'x'.repeat(200), list: [1, 'two', { k: 1 }], empty: '', obj: { k: 'v' } }, n: null };

t.test('placeholders are filled from the facts, shortened, and missing values say so', async (t) => {
  t.equal(renderTemplate('TP {{a.b}} > {{ a.b }}', facts), 'TP 3 > 3');
  t.equal(renderTemplate('{{a.list}}', facts), '1, two, {"k":1}');
  t.equal(renderTemplate('{{a.obj}}', facts), '{"k":"v"}');
  t.equal(renderTemplate('[{{a.missing}}] [{{n}}] [{{a.empty}}]', facts), '[not set] [not set] [not set]');
  const long = renderTemplate('{{a.s}}', facts);
  t.equal(long.length, 80);
  t.ok(long.endsWith('…'));
  t.equal(renderTemplate('{{__proto__.polluted}} {{constructor}}', facts), 'not set not set', 'no prototype walking');
  t.equal(renderTemplate('on: {{a.none}}', { a: { none: [] } }), 'on: not set', 'an empty list is not set');
  t.equal(renderTemplate('no placeholders {{ }}', facts), 'no placeholders {{ }}');
});
