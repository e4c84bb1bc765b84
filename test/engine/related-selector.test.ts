// Label selectors as Kubernetes matches them (k8s.io/apimachinery labels.SelectorFromSet /
// LabelSelectorAsSelector): the one helper every related reader uses.
import t from 'tap';
import { labelSelectorMatches, labelsText, mapSelects } from '../../src/engine/related/selector.js';

const labels = { app: 'qwen', tier: 'gpu' };

t.test('a LabelSelector: every requirement holds; {} matches all; absent matches none', async (t) => {
  t.equal(labelSelectorMatches({}, labels), true);
  t.equal(labelSelectorMatches(undefined, labels), false);
  t.equal(labelSelectorMatches(null, labels), false);
  t.equal(labelSelectorMatches({ matchLabels: { app: 'qwen' } }, labels), true);
  t.equal(labelSelectorMatches({ matchLabels: { app: 'qwen', tier: 'cpu' } }, labels), false);
  t.equal(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['gpu', 'tpu'] }] }, labels), true);
  t.equal(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['gpu'] }] }, labels), false);
  t.equal(labelSelectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels), true, 'NotIn holds for a missing label');
  t.equal(labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels), true);
  t.equal(labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels), false);
  t.equal(labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, labels), false, 'an unknown operator matches nothing');
  const many = Array.from({ length: 65 }, (_, i) => ({ key: `k${i}`, operator: 'DoesNotExist' }));
  t.equal(labelSelectorMatches({ matchExpressions: many }, labels), false, 'more requirements than a real manifest has: no match');
});

t.test('a Service selector map is a subset of the labels; an empty one selects nothing', async (t) => {
  t.equal(mapSelects({ app: 'qwen' }, labels), true);
  t.equal(mapSelects({ app: 'qwen', zone: 'a' }, labels), false);
  t.equal(mapSelects({}, labels), false);
  t.equal(mapSelects(undefined, labels), false);
  t.equal(mapSelects({ constructor: 'x' }, {}), false, 'own properties only');
});

t.test('labels for messages: sorted k=v, at most 8', async (t) => {
  t.equal(labelsText({ tier: 'gpu', app: 'qwen' }), 'app=qwen, tier=gpu');
  t.equal(labelsText({}), '');
  t.match(labelsText(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v']))), /, …$/);
});
