// Pod labels and annotations a serving component writes inline (OME's and KServe's components:
// `spec.engineConfig.labels`, `spec.predictor.annotations`), not under a `metadata` key those kinds
// do not have: they count as the pod's, and findings about them name the field a user can edit.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { byName, engine, reviewAll } from './recognition-fixtures.js';

const METADATA_POLICIES = new Set(['network-policy-covers', 'service-exposes-server', 'phase0-annotations', 'phase4-annotations', 'model-loading', 'model-reference']);

t.test('OME: findings about pod labels and annotations name the component\'s own fields', async (t) => {
  const text = readFileSync(fileURLToPath(new URL('../fixtures/kinds/ome-clusterservingruntime.yaml', import.meta.url)), 'utf8');
  const objects = parseDocuments(text).map((d) => d.value);
  const related = createRelatedSet(objects, { scope: 'the input set' });
  const review = reviewObject(engine, objects[0], { related });
  const about = review.findings.filter((f) => METADATA_POLICIES.has(f.policy) && /labels|annotations/.test(f.path));
  t.ok(about.length >= 3, `${about.length} findings about the pod's labels or annotations`);
  for (const f of about) {
    t.match(f.path, /^spec\.engineConfig\.(labels|annotations)$/, `${f.policy}: ${f.path}`);
    t.notMatch(f.path, /metadata/, `${f.policy}: no metadata key OME does not have`);
  }
});

t.test('KServe: the predictor\'s labels select the pod and its annotations record the intent', async (t) => {
  const review = byName(reviewAll('kserve-predictor-labels.yaml'), 'llama3-labelled');
  t.ok(review?.vllm, 'the predictor is reviewed');
  const policies = (review?.findings ?? []).map((f) => f.policy);
  t.notOk(policies.includes('network-policy-covers'), 'the NetworkPolicy selecting the predictor\'s label covers the pod');
  t.notOk((review?.findings ?? []).some((f) => f.policy === 'phase0-annotations' && /license/.test(f.message)), 'the license annotation on the predictor is read');
  const service = review?.findings.find((f) => f.policy === 'service-exposes-server');
  t.equal(service?.path, 'spec.predictor.labels', 'a finding about the pod labels names the predictor\'s labels');
  t.match(service?.message ?? '', /team-model=llama3-labelled/, 'and shows the labels the pod will carry');
  for (const f of review?.findings ?? []) t.notMatch(f.path, /^spec\.predictor\.metadata/, `${f.policy}: no predictor.metadata (KServe has none)`);
});
