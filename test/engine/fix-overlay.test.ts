// The write overlay fixes are checked against: an `add` under missing parents, before and after earlier writes.
import t from 'tap';
import { Overlay, resolveAdd } from '../../src/engine/evaluate/fix-overlay.js';
import { pointerOf, pointerTokens } from '../../src/engine/evaluate/json-pointer.js';

const object = { spec: { template: { spec: { containers: [{ name: 'vllm', args: ['--port', '8000'] }] } } } };

t.test('an add under a missing parent creates the outermost missing member', async (t) => {
  const working = new Overlay(object);
  t.same(resolveAdd(working, pointerTokens('/spec/template/spec/volumes/-'), { name: 'shm' })?.operation, { op: 'add', path: '/spec/template/spec/volumes', value: [{ name: 'shm' }] });
  t.same(resolveAdd(working, pointerTokens('/spec/strategy/rollingUpdate/maxSurge'), 0)?.operation, { op: 'add', path: '/spec/strategy', value: { rollingUpdate: { maxSurge: 0 } } });
  t.same(resolveAdd(working, pointerTokens('/spec/template/spec/containers/0/args/-'), '--x'), { operation: { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '--x' }, tokens: ['spec', 'template', 'spec', 'containers', '0', 'args', '-'] });
  t.equal(resolveAdd(working, pointerTokens('/spec/template/spec/containers/0/name/x'), 1), null, 'a string is no container');
});

t.test('an add after earlier writes sees them, and what they replaced is gone', async (t) => {
  const working = new Overlay(object);
  const first = resolveAdd(working, pointerTokens('/spec/strategy/rollingUpdate/maxSurge'), 0);
  t.ok(first && working.apply(first.operation, first.tokens));
  t.same(resolveAdd(working, pointerTokens('/spec/strategy/rollingUpdate/maxUnavailable'), 1)?.operation, { op: 'add', path: '/spec/strategy/rollingUpdate/maxUnavailable', value: 1 });
  t.same(resolveAdd(working, pointerTokens('/spec/strategy/type/x'), 1)?.operation, { op: 'add', path: '/spec/strategy/type', value: { x: 1 } }, 'a missing member of a written object');
  t.ok(working.apply({ op: 'replace', path: '/spec/template/spec/containers/0/args', value: 'text' }));
  t.equal(resolveAdd(working, pointerTokens('/spec/template/spec/containers/0/args/-'), '--x'), null, 'the written value is not a list');
  t.ok(working.apply({ op: 'add', path: '/spec/template/spec/containers/0/env', value: [] }));
  t.same(resolveAdd(working, pointerTokens('/spec/template/spec/containers/0/env/-'), { name: 'A' })?.operation, { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'A' } });
  t.same(working.at(pointerTokens('/spec/strategy/rollingUpdate')), { found: true, value: { maxSurge: 0 }, owned: true });
});

t.test('pointers escape / and ~ both ways', async (t) => {
  t.equal(pointerOf(['resources', 'limits', 'nvidia.com/gpu', 'a~b']), '/resources/limits/nvidia.com~1gpu/a~0b');
  t.same(pointerTokens('/resources/limits/nvidia.com~1gpu/a~0b'), ['resources', 'limits', 'nvidia.com/gpu', 'a~b']);
});
