import t from 'tap';
import { createMemo } from '../../src/engine/util/memo.js';
import { createKeyScratch, createValuesMemo, pushKey, type KeyValue } from '../../src/engine/util/values-memo.js';
import { createKnowledge } from '../../src/engine/knowledge/knowledge.js';

t.test('a memo answers from the cache, stays bounded and does not keep very long keys', async (t) => {
  let computed = 0;
  const memo = createMemo<string | null>(2, 8);
  const get = (key: string) => memo.get(key, () => (computed++, key === 'none' ? null : key.toUpperCase()));
  t.equal(get('a'), 'A');
  t.equal(get('a'), 'A');
  t.equal(computed, 1, 'the second lookup is a hit');
  t.equal(get('none'), null);
  t.equal(get('none'), null);
  t.equal(computed, 2, 'a null answer is kept too');
  t.equal(get('b'), 'B', 'a third key clears the full memo');
  t.equal(get('a'), 'A');
  t.equal(computed, 4, 'a was computed again after the clear');
  t.equal(get('a-very-long-key'), 'A-VERY-LONG-KEY');
  t.equal(get('a-very-long-key'), 'A-VERY-LONG-KEY');
  t.equal(computed, 6, 'keys over the length cap are computed each time');
});

t.test('catalogue answers are the same on the first and a repeated lookup, and read-only', async (t) => {
  const knowledge = createKnowledge();
  const first = knowledge.models.resolve('meta-llama/Llama-3.1-8B-Instruct', null);
  const again = knowledge.models.resolve('meta-llama/Llama-3.1-8B-Instruct', null);
  t.same(again, first);
  t.ok(Object.isFrozen(again));
  t.not(knowledge.models.resolve('meta-llama/Llama-3.1-8B-Instruct', 'fp8'), first, 'the --quantization value is part of the key');
  const pod = { nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } };
  const placed = knowledge.gpus.placement(pod, ['nvidia.com/gpu']);
  t.equal(placed.name, knowledge.gpus.placement(structuredClone(pod), ['nvidia.com/gpu']).name);
  t.ok(Object.isFrozen(placed));
  const other = knowledge.gpus.placement({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' } }, ['nvidia.com/gpu']);
  t.not(other.name, placed.name, 'another selector gets its own answer');
});

t.test('a memo that stores on second sight computes a new key twice, then answers from the cache', async (t) => {
  let computed = 0;
  const memo = createMemo<{ key: string }>(4, 64, { storeOnSecondSight: true });
  const get = (key: string) => memo.get(key, () => (computed++, { key }));
  const first = get('argv-a');
  t.same(first, { key: 'argv-a' });
  t.not(get('argv-a'), first, 'the first answer was not kept');
  t.equal(computed, 2);
  const third = get('argv-a');
  t.equal(get('argv-a'), third, 'kept after the second sight');
  t.equal(computed, 2, 'the third and fourth looks are hits');
  for (let i = 0; i < 3000; i++) get(`new-${i}`);
  t.equal(computed, 3002, 'keys seen once are computed once each and never stored');
});

t.test('a values memo answers only for the same values, in the same order and of the same types', async (t) => {
  let computed = 0;
  const memo = createValuesMemo<string>(3, { maxValues: 6 });
  const get = (values: KeyValue[]) => memo.get(values, () => `${computed++}`);
  t.equal(get(['a', 1, null, ['x', 'y']]), '0');
  t.equal(get(['a', 1, null, ['x', 'y']]), '0', 'a hit');
  t.equal(get(['a', '1', null, ['x', 'y']]), '1', '1 and "1" differ');
  t.equal(get([1, 'a', null, ['x', 'y']]), '2', 'order counts');
  t.equal(get(['a', 1, null, ['x', 'y', 'z']]), '3', 'a longer list differs; the full memo was cleared first');
  t.equal(get(['a', 1, false, ['x', 'y']]), '4', 'false and null differ');
  t.equal(get([0]), '5');
  t.equal(get([-0]), '6', '0 and -0 differ');
  t.equal(get(['a', 'b', 'c', 'd', 'e', 'f', 'g']), '7');
  t.equal(get(['a', 'b', 'c', 'd', 'e', 'f', 'g']), '8', 'more values than the cap are computed each time');
  const reused: KeyValue[] = ['r', ['s']];
  t.equal(get(reused), '9');
  (reused[1] as string[]).push('t');
  t.equal(get(['r', ['s']]), '9', 'the stored values are a copy');
});

t.test('a values memo does not keep values whose strings are over its character cap', async (t) => {
  let computed = 0;
  const memo = createValuesMemo<string>(3, { maxChars: 8 });
  const get = (values: KeyValue[]) => memo.get(values, () => `${computed++}`);
  t.equal(get(['abcd', ['efgh']]), '0');
  t.equal(get(['abcd', ['efgh']]), '0', '8 characters are kept');
  t.equal(get(['abcd', ['efghi']]), '1');
  t.equal(get(['abcd', ['efghi']]), '2', '9 characters, counted in lists too, are computed each time');
});

t.test('a values memo reads only the first `count` values of a scratch list, and stores a copy of them', async (t) => {
  let computed = 0;
  const memo = createValuesMemo<string>(3);
  const key = createKeyScratch();
  const get = (...values: KeyValue[]) => {
    key.count = 0;
    for (const v of values) pushKey(key, v);
    return memo.get(key.values, () => `${computed++}`, key.count);
  };
  t.equal(get('a', 'b', 'c'), '0');
  t.equal(get('a', 'b'), '1', 'a shorter key in the same list is another key (the old third value is not read)');
  t.equal(get('a', 'b', 'c'), '0', 'the first answer, stored with its own copy of the values');
  t.equal(get('a', 'b'), '1');
  t.equal(key.values.length, 3, 'the list is reused, not grown per look-up');
  t.equal(memo.get(['a', 'b'], () => 'x'), '1', 'a plain list of the same values finds the same answer');
});
