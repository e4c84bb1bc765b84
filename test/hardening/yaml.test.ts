// Finding 8 (YAML): maps with many keys parse in linear time, duplicates are still reported with
// their line, `<<` merge keys expand as kubectl expands them, and nesting has a bound.
import t from 'tap';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { parseDocuments, MAX_YAML_DEPTH } from '../../src/io/yaml.js';
import { runVllmGuard } from './cli-run.js';

const MERGE_KEYS = path.resolve(import.meta.dirname, '../fixtures/cases/inputs/merge-keys.yaml');

t.test('a map of 60,000 keys parses in seconds, not minutes (the quadratic check took ~107 s)', async (t) => {
  const text = `data:\n${Array.from({ length: 60_000 }, (_, i) => `  key${i}: v`).join('\n')}\n`;
  const started = performance.now();
  const [doc] = parseDocuments(text);
  const seconds = (performance.now() - started) / 1000;
  t.comment(`60,000 keys: ${seconds.toFixed(2)} s`);
  t.equal(doc?.error, undefined);
  t.equal(Object.keys((doc?.value as { data: object }).data).length, 60_000);
  t.ok(seconds < 30, 'a generous ceiling: well under the quadratic time');
});

t.test('a duplicate key is still an error, with its line', async (t) => {
  const [doc] = parseDocuments('metadata:\n  name: a\nspec:\n  replicas: 1\n  replicas: 2\n');
  t.equal(doc?.value, undefined);
  t.match(doc?.error?.message, /Map keys must be unique: "replicas"/);
  t.equal(doc?.error?.line, 5);
});

t.test('duplicates are found in nested maps and in maps inside sequences', async (t) => {
  const [doc] = parseDocuments('items:\n  - a: 1\n  - b: 1\n    b: 2\n');
  t.equal(doc?.error?.line, 4);
});

t.test('merge keys expand as kubectl does: explicit keys win, `<<` may repeat', async (t) => {
  const [doc] = parseDocuments('base: &b {image: vllm/vllm-openai:v0.8.5, name: base}\nextra: &e {workingDir: /w}\nc:\n  <<: *b\n  <<: *e\n  name: vllm\n');
  t.equal(doc?.error, undefined);
  t.same((doc?.value as { c: unknown }).c, { image: 'vllm/vllm-openai:v0.8.5', name: 'vllm', workingDir: '/w' });
});

t.test('merge-keys.yaml: the merged image makes the container vLLM, so its 5 denials show (0 before)', async (t) => {
  const run = await runVllmGuard(['check', '-o', 'json', MERGE_KEYS]);
  t.equal(run.status, 1, 'exit 1: denied');
  const report = JSON.parse(run.stdout) as { summary: { deny: number }; results: Array<{ name: string; vllm: boolean }> };
  t.equal(report.summary.deny, 5);
  t.ok(report.results.find((r) => r.name === 'merged')?.vllm, 'the Deployment is recognised as vLLM through the merged image');
  t.notOk(run.stdout.includes('<<'), 'no literal merge key is left in the object');
});

t.test(`nesting deeper than ${MAX_YAML_DEPTH} is refused with its line, without a stack overflow`, async (t) => {
  const deep = `a: 1\nb: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`;
  const [doc] = parseDocuments(deep);
  t.equal(doc?.value, undefined);
  t.match(doc?.error?.message, new RegExp(`nesting deeper than ${MAX_YAML_DEPTH} levels`));
  t.equal(doc?.error?.line, 2);
  const twoHundred = parseDocuments(`a: ${'['.repeat(200)}1${']'.repeat(200)}\n`);
  t.match(twoHundred[0]?.error?.message, /nesting deeper than/, '200 levels: refused by the check, before any reader recurses');
  const fine = parseDocuments(`a: ${'['.repeat(50)}1${']'.repeat(50)}\n`);
  t.equal(fine[0]?.error, undefined, '50 levels still parse');
});
