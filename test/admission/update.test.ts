/** UPDATE comparison: what counts as changing the pods an object runs. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { RESTART_ANNOTATION, isTemplateUnchanged } from '../../src/admission/update.js';

type Json = Record<string, any>;

const load = (name: string): Json => JSON.parse(readFileSync(new URL(`../fixtures/admission/${name}`, import.meta.url), 'utf8')) as Json;
const deployment = (): Json => load('deployment-deny.json').request.object as Json;
const pod = (): Json => load('pod-deny.json').request.object as Json;
const lws = (): Json => load('lws-deny.json').request.object as Json;

const cases: { name: string; object: () => Json; change: (o: Json) => void; unchanged: boolean }[] = [
  { name: 'scale a Deployment', object: deployment, change: (o) => (o.spec.replicas = 0), unchanged: true },
  { name: 'relabel and annotate a Deployment', object: deployment, change: (o) => ((o.metadata.labels.incident = 'inc-1'), (o.metadata.annotations.note = 'x')), unchanged: true },
  { name: 'status only', object: deployment, change: (o) => (o.status = { readyReplicas: 1 }), unchanged: true },
  { name: 'rollout restart', object: deployment, change: (o) => (o.spec.template.metadata.annotations = { [RESTART_ANNOTATION]: '2025-06-01T10:00:00Z' }), unchanged: true },
  { name: 'new image', object: deployment, change: (o) => (o.spec.template.spec.containers[0].image = 'vllm/vllm-openai:v0.9.0'), unchanged: false },
  { name: 'new args', object: deployment, change: (o) => o.spec.template.spec.containers[0].args.push('--enforce-eager'), unchanged: false },
  { name: 'template label', object: deployment, change: (o) => (o.spec.template.metadata.labels.tier = 'gold'), unchanged: false },
  { name: 'template annotation besides the restart stamp', object: deployment, change: (o) => (o.spec.template.metadata.annotations = { [RESTART_ANNOTATION]: 'x', 'llm-readiness/precision': 'bf16' }), unchanged: false },
  { name: 'relabel a Pod', object: pod, change: (o) => (o.metadata.labels.incident = 'inc-1'), unchanged: true },
  { name: 'new Pod image', object: pod, change: (o) => (o.spec.containers[0].image = 'vllm/vllm-openai:v0.9.0'), unchanged: false },
  { name: 'LeaderWorkerSet replicas', object: lws, change: (o) => (o.spec.replicas = 3), unchanged: true },
  { name: 'LeaderWorkerSet worker args', object: lws, change: (o) => o.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].args.push('--x'), unchanged: false },
  { name: 'LeaderWorkerSet drops its leader template', object: lws, change: (o) => delete o.spec.leaderWorkerTemplate.leaderTemplate, unchanged: false },
  { name: 'template annotations: empty where there were none', object: deployment, change: (o) => (o.spec.template.metadata.annotations = {}), unchanged: true },
  { name: 'template annotations: not a map (counts as none)', object: deployment, change: (o) => (o.spec.template.metadata.annotations = ['x']), unchanged: true },
  { name: 'template annotations: one besides a stamp, against none', object: deployment, change: (o) => (o.spec.template.metadata.annotations = { note: 'x', [RESTART_ANNOTATION]: 'y' }), unchanged: false },
  { name: 'template labels removed', object: deployment, change: (o) => delete o.spec.template.metadata.labels, unchanged: false },
];

t.test('UPDATE comparison', async (t) => {
  for (const c of cases) {
    const old = c.object();
    const next = c.object();
    c.change(next);
    t.equal(isTemplateUnchanged(next, old), c.unchanged, c.name);
  }
});

t.test('without oldObject the update is reviewed in full', async (t) => {
  t.equal(isTemplateUnchanged(deployment(), undefined), false);
  t.equal(isTemplateUnchanged(deployment(), null), false);
});

t.test('a kind change is a change', async (t) => {
  const next = deployment();
  next.kind = 'StatefulSet';
  t.equal(isTemplateUnchanged(next, deployment()), false);
});

t.test('annotations compared with the restart stamp left out, on both sides', async (t) => {
  const withAnnotations = (annotations: Json) => {
    const o = deployment();
    o.spec.template.metadata.annotations = annotations;
    return o;
  };
  t.equal(isTemplateUnchanged(withAnnotations({ a: '1', [RESTART_ANNOTATION]: 'x' }), withAnnotations({ a: '1' })), true, 'a stamp added');
  t.equal(isTemplateUnchanged(withAnnotations({ a: '1' }), withAnnotations({ [RESTART_ANNOTATION]: 'x', a: '1' })), true, 'a stamp removed');
  t.equal(isTemplateUnchanged(withAnnotations({ a: '1' }), withAnnotations({ b: '1' })), false, 'same count, another key');
  t.equal(isTemplateUnchanged(withAnnotations({ a: '1' }), withAnnotations({ a: '2' })), false, 'another value');
  t.equal(isTemplateUnchanged(withAnnotations({ a: '1', b: '2' }), withAnnotations({ b: '2', a: '1' })), true, 'key order');
});

t.test('key order does not matter', async (t) => {
  const old = deployment();
  const next = deployment();
  const c = next.spec.template.spec.containers[0];
  next.spec.template.spec.containers[0] = Object.fromEntries(Object.entries(c).reverse());
  t.equal(isTemplateUnchanged(next, old), true);
});
