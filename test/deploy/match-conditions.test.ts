import t from 'tap';
import { parse as parseCel } from '@marcbachmann/cel-js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject, type Engine } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';
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
    // The lookups overlay's autoscaler webhooks have none (an HPA does not look like vLLM).
    for (const webhook of webhooksOf(await renderKustomization(dir)).filter((w) => !w.name.startsWith('autoscalers.'))) {
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

  // Never narrower than the engine: every object of every example, fixture and case that the engine
  // reviews as vLLM must be sent. Objects the engine does not read yet (the serving CRDs, the containers
  // of shared/cases/) are listed as vLLM by the cases README and the kind fixtures, so the CEL is held to
  // them now; the engine wiring (issue 10) must find them too.
  const config = loadConfig(null).engine;
  const engine: Engine = createEngine({ config, policies: loadPolicies(null) });
  const DIRS = ['examples/good', 'examples/bad', 'test/fixtures/deploy', 'test/fixtures/kinds', 'test/fixtures/cases/containers', 'test/fixtures/cases/inputs', 'test/fixtures/cases/failure-reports', 'test/fixtures/recognition'];
  const inputs: { name: string; object: unknown }[] = [];
  for (const dir of DIRS) {
    for (const file of readdirSync(join(REPO_ROOT, dir)).filter((f) => f.endsWith('.yaml'))) {
      const docs = parseAllDocuments(await readFile(join(REPO_ROOT, dir, file), 'utf8'));
      docs.forEach((doc, i) => inputs.push({ name: `${dir}/${file}#${i}`, object: doc.toJS() }));
    }
  }
  for (const dir of ['examples/admission', 'test/fixtures/admission', 'test/fixtures/cases/admission']) {
    for (const file of readdirSync(join(REPO_ROOT, dir)).filter((f) => f.endsWith('.json'))) {
      const review = JSON.parse(await readFile(join(REPO_ROOT, dir, file), 'utf8')) as { request?: { object?: unknown } };
      if (review.request?.object) inputs.push({ name: `${dir}/${file}`, object: review.request.object });
    }
  }
  // OME's ClusterServingRuntime (ome.io, not KServe's) shares a kind name: it is read too, so it is held to the CEL.
  const NOT_VLLM = new Set(['test/fixtures/deploy/nginx-deployment.yaml#0', 'test/fixtures/deploy/busybox-pod.yaml#0', 'test/fixtures/cases/containers/eph.yaml#0', 'test/fixtures/cases/containers/init-generic.yaml#0']);
  const WORKLOAD_KINDS = /^(Pod|Deployment|StatefulSet|ReplicaSet|DaemonSet|Job|CronJob|ReplicationController|LeaderWorkerSet)$|^(InferenceService|ServingRuntime|ClusterServingRuntime|LLMInferenceService|LLMInferenceServiceConfig|RayCluster|RayService|RayJob|RayClusterFleet|StormService|Rollout|CloneSet|JobSet|Workspace|DynamoGraphDeployment|Configuration|Revision|ModelServing|Model)$/;

  t.test('the CEL sends every vLLM workload the engine finds, in every example, fixture and case', async (t) => {
    t.ok(inputs.length > 40, `${inputs.length} objects`);
    for (const { name, object } of inputs) {
      const kind = (object as { kind?: unknown } | null)?.kind;
      const knativeService = kind === 'Service' && String((object as { apiVersion?: unknown }).apiVersion).startsWith('serving.knative.dev/');
      if (typeof kind !== 'string' || !(WORKLOAD_KINDS.test(kind) || knativeService)) continue;
      const engineSays = reviewObject(engine, object).vllm;
      const expected = engineSays || (!NOT_VLLM.has(name) && !name.startsWith('test/fixtures/admission/'));
      if (expected) t.equal(matches(object), true, `${name}: ${engineSays ? 'the engine finds vLLM' : 'vLLM by the cases README / kind fixture'}`);
    }
  });

  t.test('the cases the issue names: env-held launchers, init, native sidecar and ephemeral containers, new kinds', async (t) => {
    const named = ['test/fixtures/cases/inputs/env-launcher.yaml#0', 'test/fixtures/cases/containers/vllm-native-sidecar.yaml#0', 'test/fixtures/cases/containers/vllm-init-secret.yaml#0', 'test/fixtures/cases/admission/ephemeral-container.json', 'test/fixtures/kinds/llminferenceservice.yaml#0', 'test/fixtures/kinds/inferenceservice-multinode.yaml#0', 'test/fixtures/kinds/rayservice.yaml#0'];
    for (const name of named) {
      const found = inputs.find((i) => i.name === name);
      t.equal(found && matches(found.object), true, name);
    }
    const container = (fields: Record<string, unknown>): Record<string, unknown> => ({ name: 'c', image: 'registry.example.com/app:1', ...fields });
    const pod = (spec: Record<string, unknown>): Record<string, unknown> => ({ kind: 'Pod', spec });
    t.equal(matches(pod({ containers: [container({ command: ['$(L)', 'serve', 'm'], env: [{ name: 'L', value: 'vllm' }] })] })), true, 'a launcher held in env');
    t.equal(matches(pod({ containers: [container({ args: ['--model', 'm', '--max_model_len', '4096'] })] })), true, 'an args-only vLLM engine flag');
    t.equal(matches(pod({ containers: [container({})], ephemeralContainers: [container({ image: 'vllm/vllm-openai:latest' })] })), true, 'an ephemeral vLLM container');
    t.equal(matches({ kind: 'Deployment', spec: { template: { metadata: { labels: { 'model.aibrix.ai/engine': 'vllm' } }, spec: { containers: [container({})] } } } }), true, 'a platform label');
    t.equal(matches({ kind: 'InferenceService', spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://x' } } } }), false, 'a non-LLM KServe model is not sent');
    t.equal(matches(pod({ containers: [container({ env: [{ name: 'HOME', value: '/home' }] })] })), false, 'an ordinary pod is not sent');
  });
}