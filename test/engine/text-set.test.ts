import t from 'tap';
import { createTextSet } from '../../src/engine/util/text-set.js';

t.test('a text set answers as a Set of the texts, also past its groups of one length', async (t) => {
  const set = createTextSet();
  const reference = new Set<string>();
  // Keys of one length (a group that becomes a Set), of other lengths, built by concatenation, and repeated.
  const keys: string[] = [];
  for (let i = 0; i < 40; i++) keys.push(`p\u0000spec.containers[${i % 10}]\u0000message ${String(i % 20).padStart(2, '0')}`);
  for (let i = 0; i < 12; i++) keys.push(`${'x'.repeat(i)}\u0000${i % 3}`);
  keys.push('', '', 'a\u0000b\u0000c', 'a\u0000b\u0000c');
  for (const key of keys) {
    const expected = reference.has(key);
    reference.add(key);
    t.equal(set.seen(key), expected, JSON.stringify(key));
  }
  for (const key of reference) t.equal(set.seen(key), true, `${JSON.stringify(key)} again`);
  t.equal(set.seen('never added'), false);
});
