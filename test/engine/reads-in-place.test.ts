// What a review reads in place or remembers instead of copying or cutting again (bench/PROFILE.md
// S5, S7): the answers are the copies' and the cuts', and the copies are still made when needed.
import t from 'tap';
import { stringMapAt, stringMapView } from '../../src/engine/util/json.js';
import { createIntentKeys, readIntent } from '../../src/engine/facts/intent.js';

t.test('a label map of strings is read in place; any other is copied as stringMapAt copies it', async (t) => {
  const labels = { app: 'vllm', 'app.kubernetes.io/name': 'llama' };
  t.equal(stringMapView({ labels }, 'labels'), labels, 'all strings: the map itself');
  for (const text of ['{"labels": {"a": "x", "n": 3}}', '{"labels": {"__proto__": "x", "a": "y"}}', '{"labels": {"a": null}}', '{"labels": [1]}', '{"labels": "x"}', '{}', 'null']) {
    const value = JSON.parse(text) as unknown;
    const view = stringMapView(value, 'labels');
    t.same(view, stringMapAt(value, 'labels'), text);
    t.same(Object.keys(view), Object.keys(stringMapAt(value, 'labels')), `${text}: same keys in the same order`);
  }
  const inherited = Object.create({ inherited: 'x' }) as Record<string, string>;
  inherited.own = 'y';
  t.same(Object.keys(stringMapView({ labels: inherited }, 'labels')), ['own'], 'an inherited member makes it copy the own ones');
});

t.test('intent names cut once per key say what a cut per review says', async (t) => {
  const vllm = { dtype: 'bfloat16', quantization: null, maxModelLen: 16384 };
  const annotations = { 'llm-readiness/precision': 'bf16', 'llm-readiness/max-context-tokens': '16384', other: 'x', 'llm-readiness/': 'empty name' };
  for (const prefix of ['llm-readiness/', '', 'other']) {
    const keys = createIntentKeys(prefix);
    const expected = readIntent(annotations, prefix, vllm);
    t.same(readIntent(annotations, prefix, vllm, keys), expected, `prefix ${JSON.stringify(prefix)}, first`);
    t.same(Object.keys(readIntent(annotations, prefix, vllm, keys)), Object.keys(expected), `prefix ${JSON.stringify(prefix)}, remembered`);
  }
  const keys = createIntentKeys('p/');
  for (let i = 0; i < 600; i++) t.equal(keys(`p/k${i}`), `k${i}`);
  t.equal(keys('q/k'), null, 'another prefix: no name');
  t.equal(keys(`p/${'x'.repeat(400)}`), 'x'.repeat(400), 'a long key is answered (and not kept)');
});
