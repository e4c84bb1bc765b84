// Knative Serving (serving.knative.dev/v1 Service, Configuration, Revision): a vLLM server in a Knative
// Service is reviewed like any pod template, Knative's own probe and route are taken into account, and
// the Deployment the Knative controller makes from a Revision is judged at its parent, not on its own.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { admit, loaded } from './admit.js';

const engine = loaded.engine;
const read = (path: string): Record<string, unknown> => parse(readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8')) as Record<string, unknown>;
const service = (): Record<string, unknown> => read('../fixtures/kinds/knative-service.yaml');
const check = (object: unknown): WorkloadReview => reviewObject(engine, object, { related: createRelatedSet([object], { scope: 'the input set' }) });
const findings = (review: WorkloadReview, policy: string) => review.findings.filter((f) => f.policy === policy);
const container = (object: Record<string, unknown>): Record<string, unknown> =>
  ((object.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0]) as Record<string, unknown>;

t.test('a Knative Service running vLLM is reviewed: TP 2 on one GPU is denied at its limits', async (t) => {
  const object = service();
  container(object).args = ['--model', 'Qwen/Qwen2.5-1.5B-Instruct', '--tensor-parallel-size', '2'];
  const review = check(object);
  t.equal(review.vllm, true);
  t.match(findings(review, 'gpu-count-matches-parallelism'), [{ action: 'deny', outcome: 'fail', path: 'spec.template.spec.containers[0].resources.limits' }]);
});

t.test('without a readinessProbe Knative probes the port itself: could not be verified, not denied', async (t) => {
  const review = check(service());
  const readiness = findings(review, 'readiness-model-aware');
  t.equal(readiness.length, 1);
  t.equal(readiness[0]?.outcome, 'unknown');
  t.match(readiness[0]?.message, /Knative gives a container without a readinessProbe its TCP probe/);
  t.equal(review.findings.some((f) => f.action === 'deny' && f.outcome === 'fail'), false, 'nothing in the sample is denied');
});

t.test("Knative's route reaches the container's first containerPort (8080 when none): it must be vLLM's --port", async (t) => {
  t.same(findings(check(service()), 'service-exposes-server'), [], 'containerPort 8000 is vLLM’s default port');
  const wrong = service();
  container(wrong).ports = [{ containerPort: 8080 }];
  t.match(findings(check(wrong), 'service-exposes-server'), [{ outcome: 'fail', message: /Service qwen \(Knative routes to containerPort 8080\) selects the pods .* no port targets vLLM's --port 8000/ }]);
  const none = service();
  delete container(none).ports;
  t.match(findings(check(none), 'service-exposes-server'), [{ message: /containerPort 8080/ }], 'no containerPort: Knative’s 8080');
  const moved = service();
  delete container(moved).ports;
  container(moved).args = ['--model', 'Qwen/Qwen2.5-1.5B-Instruct', '--port', '8080'];
  t.same(findings(check(moved), 'service-exposes-server'), [], 'vLLM on 8080 meets Knative’s default');
});

t.test('a core Service next to a Knative Service is not read as another workload, nor the Knative one as a core Service', async (t) => {
  const core = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'qwen-direct', namespace: 'llm' }, spec: { selector: { app: 'other' }, ports: [{ port: 80, targetPort: 8000 }] } };
  t.equal(reviewObject(engine, core).vllm, false);
  const related = createRelatedSet([service(), core], { scope: 'the input set' });
  t.same([...(related.byKind.get('Service') ?? [])].map((s) => (s.metadata as { name: string }).name), ['qwen-direct']);
});

t.test('the Deployment the Knative controller makes from a Revision is judged at its parent; from anyone else it is reviewed', async (t) => {
  const deployment = read('../fixtures/recognition/knative-revision-deployment.yaml');
  t.match(findings(check(deployment), 'readiness-model-aware'), [{ action: 'deny', outcome: 'fail' }], 'on its own it looks like a server without readiness (the queue-proxy runs it)');
  const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments' };
  const byKnative = admit(deployment, DEPLOYMENT, 'llm', 'system:serviceaccount:knative-serving:controller');
  t.same([byKnative.response.allowed, byKnative.decision, byKnative.skipReason], [true, 'skip', 'owned-child']);
  const byUser = admit(deployment, DEPLOYMENT, 'llm', 'jane@example.com');
  t.equal(byUser.response.allowed, false, 'a person writing the same object is reviewed and denied');
});

t.test('a container written without a name is the user-container Knative names it', async (t) => {
  const review = check(read('../fixtures/kinds/knative-configuration.yaml'));
  t.match(findings(review, 'batching-explicit'), [{ message: /in container user-container \(/ }]);
});
