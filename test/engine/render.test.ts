import t from 'tap';
import { compileTemplate, renderTemplate, templateComplete } from '../../src/engine/evaluate/render.js';

const facts = { a: { b: 3, s: 'x'.repeat(200), list: [1, 'two', { k: 1 }], empty: '', obj: { k: 'v' } }, n: null };

t.test('placeholders are filled from the facts and shortened', async (t) => {
  t.equal(renderTemplate('TP {{a.b}} > {{ a.b }}', facts), 'TP 3 > 3');
  t.equal(renderTemplate('{{a.list}}', facts), '1, two, {"k":1}');
  t.equal(renderTemplate('{{a.obj}}', facts), '{"k":"v"}');
  const long = renderTemplate('{{a.s}}', facts);
  t.equal(long.length, 80);
  t.ok(long.endsWith('…'));
  t.equal(renderTemplate('no placeholders {{ }}', facts), 'no placeholders {{ }}');
});

t.test('a long list is cut at an item, with how many are left, never inside a name', async (t) => {
  const labels = ['nvidia.com/gpu.product', 'nvidia.com/gpu.memory', 'nvidia.com/gpu.family', 'nvidia.com/gpu.machine', 'cloud.google.com/gke-accelerator'];
  const text = renderTemplate('({{l}})', { l: labels });
  t.equal(text, '(nvidia.com/gpu.product, nvidia.com/gpu.memory, nvidia.com/gpu.family, and 2 more)');
  t.notMatch(text, /…/);
  t.equal(renderTemplate('{{l}}', { l: ['y'.repeat(120), 'z'] }), `${'y'.repeat(79)}…, and 1 more`, 'one long first item is shortened, and the rest counted');
  t.equal(renderTemplate('{{l}}', { l: ['a', 'b'] }), 'a, b', 'a short list whole');
});

t.test('a missing value is never rendered as "not set", "undefined" or "null"', async (t) => {
  t.equal(renderTemplate('[{{a.missing}}] [{{n}}] [{{a.empty}}]', facts), '[] [] []');
  t.equal(renderTemplate('{{__proto__.polluted}}{{constructor}}', facts), '', 'no prototype walking');
  t.notOk(templateComplete(compileTemplate('on: {{a.none}}'), { a: { none: [] } }), 'an empty list is missing');
  t.ok(templateComplete(compileTemplate('{{a.b}}'), facts));
});

t.test('fallbacks, absent-only text and optional parts', async (t) => {
  t.equal(renderTemplate('loads {{a.model|the model}}', facts), 'loads the model');
  t.equal(renderTemplate('TP {{a.b|1}}', facts), 'TP 3');
  t.equal(renderTemplate('[[--dtype is {{a.dtype}}]]{{!a.dtype|no --dtype is given}} here', facts), 'no --dtype is given here');
  t.equal(renderTemplate('[[--dtype is {{a.dtype}}]]{{!a.dtype|no --dtype is given}} here', { a: { dtype: 'auto' } }), '--dtype is auto here');
  t.equal(renderTemplate('x[[ (cache {{a.cache}})]].', facts), 'x.');
  t.equal(renderTemplate('x[[ (b {{a.b}})]].', facts), 'x (b 3).');
  t.equal(renderTemplate('a ]] b [[ c', facts), 'a ]] b  c', 'unbalanced brackets stay text or open an empty part');
});

t.test('a fact path becomes the JSON Pointer a fix patches', async (t) => {
  const { dottedToPointer, pointerTokens } = await import('../../src/engine/evaluate/json-pointer.js');
  t.equal(dottedToPointer('spec.template.spec.containers[0]'), '/spec/template/spec/containers/0');
  t.equal(dottedToPointer('spec.containers[12].args[3]'), '/spec/containers/12/args/3');
  t.equal(dottedToPointer('metadata.annotations.nvidia.com/gpu'), '/metadata/annotations/nvidia/com~1gpu', 'a slash is escaped');
  t.equal(dottedToPointer('a[x].b'), '/a[x]/b', 'a bracket without digits is text');
  t.equal(dottedToPointer('a..b[0][1]'), '/a/b/0/1', 'empty segments are dropped, indexes may follow each other');
  t.equal(dottedToPointer(''), '');
  t.same(pointerTokens('/metadata/annotations/a~1b~0c'), ['metadata', 'annotations', 'a/b~c']);
  t.same(pointerTokens('/spec/replicas'), ['spec', 'replicas']);
});
