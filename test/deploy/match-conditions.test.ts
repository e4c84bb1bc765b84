import t from 'tap';
import { parse as parseCel } from '@marcbachmann/cel-js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { INSTALLABLE, REPO_ROOT, findKubectlProblem, renderKustomization, webhooksOf, type K8sObject } from './kustomize-helpers.js';
import { findSchemaError, hasSchema } from './schema-validators.js';

// The kube-apiserver evaluates matchConditions with cel-go; here @marcbachmann/cel-js
// evaluates the same text. The expression sticks to the CEL core both share (has(),
// exists, in, matches with a plain RE2/JS-compatible pattern, list concatenation), and
// `object` is untyped (dyn) in both, as it is for webhook matchConditions.
const FIXTURES = join(REPO_ROOT, 'test/fixtures/deploy');
const selected = [
  'vllm-deployment.yaml',
  'vllm-serve-command.yaml',
  'opt-in-label.yaml',
  'leaderworkerset.yaml',
  'vllm-cronjob.yaml',
  'vllm-pod.yaml',
];
const ignored = ['nginx-deployment.yaml', 'busybox-pod.yaml'];

const kubectlProblem = await findKubectlProblem();
if (kubectlProblem) t.plan(0, kubectlProblem);
else await defineTests();

async function defineTests(): Promise<void> {
  const expressions = new Set<string>();
  for (const dir of INSTALLABLE.filter((d) => d.includes('overlays'))) {
    for (const webhook of webhooksOf(await renderKustomization(dir))) {
      for (const condition of webhook.matchConditions) expressions.add(condition.expression);
    }
  }
  const [expression] = expressions;
  const looksLikeVllm = parseCel(expression ?? 'false');
  const matches = (object: unknown): unknown => looksLikeVllm({ object });
  const load = async (name: string): Promise<unknown> => parse(await readFile(join(FIXTURES, name), 'utf8'));

  t.test('every overlay ships the same matchCondition', async (t) => {
    t.equal(expressions.size, 1);
  });

  t.test('the fixtures are valid API objects', async (t) => {
    for (const name of [...selected, ...ignored]) {
      const object = (await load(name)) as K8sObject;
      if (hasSchema(object)) t.equal(findSchemaError(object), undefined, name);
      else t.equal(object.kind, 'LeaderWorkerSet', `${name}: only the LWS CRD has no schema here`);
    }
  });

  t.test('vLLM workloads are sent to the webhook', async (t) => {
    for (const name of selected) t.equal(matches(await load(name)), true, name);
  });

  t.test('other workloads never reach the webhook', async (t) => {
    for (const name of ignored) t.equal(matches(await load(name)), false, name);
  });

  t.test('objects lacking fields are not matched and do not error', async (t) => {
    const cases: [string, unknown][] = [
      ['no spec, no metadata', { apiVersion: 'v1', kind: 'Pod' }],
      ['metadata without labels', { kind: 'Pod', metadata: { name: 'x' }, spec: {} }],
      ['a container without an image', { kind: 'Pod', spec: { containers: [{ name: 'c' }] } }],
      ['a template without a spec', { kind: 'Deployment', spec: { template: { metadata: {} } } }],
      ['a CronJob whose jobTemplate has no spec', { kind: 'CronJob', spec: { jobTemplate: {} } }],
      ['an LWS without templates', { kind: 'LeaderWorkerSet', spec: { leaderWorkerTemplate: { size: 2 } } }],
      ['the opt-in label set to another value', { kind: 'Pod', metadata: { labels: { 'vllm-guard.io/check': 'yes' } }, spec: {} }],
    ];
    for (const [name, object] of cases) t.equal(matches(object), false, name);
  });

  t.test('each signal selects on its own, wherever the pod template sits', async (t) => {
    const container = (fields: Record<string, unknown>): Record<string, unknown> => ({ name: 'c', image: 'registry.example.com/app:1', ...fields });
    const signals: [string, Record<string, unknown>][] = [
      ['image', container({ image: 'vllm/vllm-openai:v0.8.5' })],
      ['llm-d image', container({ image: 'ghcr.io/llm-d/llm-d-cuda:v0.3.0' })],
      ['command', container({ command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'] })],
      ['args', container({ args: ['-m', 'huggingfaceserver', '--model_name=x'] })],
    ];
    const places: [string, (spec: Record<string, unknown>) => Record<string, unknown>][] = [
      ['Pod', (spec) => ({ kind: 'Pod', spec })],
      ['Job', (spec) => ({ kind: 'Job', spec: { template: { spec } } })],
      ['CronJob', (spec) => ({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec } } } } })],
      ['LWS leader', (spec) => ({ kind: 'LeaderWorkerSet', spec: { leaderWorkerTemplate: { leaderTemplate: { spec }, workerTemplate: { spec: {} } } } })],
      ['LWS worker', (spec) => ({ kind: 'LeaderWorkerSet', spec: { leaderWorkerTemplate: { workerTemplate: { spec } } } })],
    ];
    for (const [signal, c] of signals) {
      for (const [place, wrap] of places) {
        t.equal(matches(wrap({ containers: [container({}), c] })), true, `${signal} in ${place} containers`);
        t.equal(matches(wrap({ initContainers: [c], containers: [container({})] })), true, `${signal} in ${place} initContainers`);
      }
    }
    t.equal(
      matches({ kind: 'Deployment', spec: { template: { metadata: { labels: { 'vllm-guard.io/check': 'true' } }, spec: {} } } }),
      true,
      'the opt-in label on the pod template',
    );
  });
}
