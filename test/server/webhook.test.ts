/**
 * The webhook end to end over real HTTPS. There is no kube-apiserver binary on these
 * machines: these tests play its part faithfully (POST, Content-Type: application/json,
 * CA verification against the Service name, keep-alive) against the real server on a
 * loopback port, with a CA made in the test.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterFile } from '../groups/groups.js';
import { loadReview, SECRET_CANARIES, scrapeMetrics, startTestWebhook, callWebhook, type TestWebhook } from './helpers.js';

// Started at the top level and closed by afterFile, not in a t.before and a root teardown: the file
// runs in the server group's process (test/groups/groups.ts), where a root hook would run around
// every later file's tests too.
const dir = mkdtempSync(join(os.tmpdir(), 'vllm-guard-webhook-'));
const webhook: TestWebhook = await startTestWebhook({ dir });
afterFile(async () => {
  webhook.agent.destroy();
  await webhook.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (name: string | Record<string, any>, path = '/validate') =>
  callWebhook(webhook.port, path, typeof name === 'string' ? loadReview(name) : name, { agent: webhook.agent });

function decisionLine(uid: string): Record<string, any> | undefined {
  return webhook.lines.find((line) => line.uid === uid && typeof line.decision === 'string');
}

t.test('a Deployment that breaks deny policies is denied with one readable message', async (t) => {
  const reply = await post('deployment-deny.json');
  t.equal(reply.status, 200);
  t.equal(reply.body.apiVersion, 'admission.k8s.io/v1');
  t.equal(reply.body.kind, 'AdmissionReview');
  const response = reply.body.response;
  t.equal(response.uid, '0f3e8c4a-1d2b-4c6e-9a7f-000000000001');
  t.equal(response.allowed, false);
  t.equal(response.status.code, 403);
  t.notOk('patch' in response, 'never a patch');
  const message: string = response.status.message;
  t.match(message, /^vllm-guard denied Deployment ml\/llama-70b: 2 policies failed\n/);
  t.match(message, '- fixture-parallel-fits: parallelism needs 4 GPUs, container vllm requests 2');
  t.match(message, 'at:  spec.template.spec.containers[0].args (container vllm)');
  t.match(message, 'fix: request 4 GPUs or lower --tensor-parallel-size');
  t.match(message, '- fixture-shm: no /dev/shm volume for container vllm');
  t.match(message, 'at:  spec.template.spec.volumes');
  t.same(response.warnings, ['fixture-image-pinned: image vllm/vllm-openai:latest is not pinned'], 'the warn finding still shows');
  const line = decisionLine(response.uid);
  t.match(line, { operation: 'CREATE', kind: 'Deployment', namespace: 'ml', name: 'llama-70b', user: 'alice@example.com', decision: 'deny', dry_run: false });
  t.same([...(line?.policies ?? [])].sort(), ['fixture-image-pinned', 'fixture-parallel-fits', 'fixture-shm']);
  t.type(line?.duration_ms, 'number');
});

t.test('a Deployment with only warn findings is allowed with Warning lines', async (t) => {
  const reply = await post('deployment-warn.json');
  const response = reply.body.response;
  t.equal(response.allowed, true);
  t.notOk(response.status);
  t.same(response.warnings, ['fixture-image-pinned: image vllm/vllm-openai:latest is not pinned'], 'the fix would pass 120 characters');
  t.equal(decisionLine(response.uid)?.decision, 'warn');
});

t.test('a compliant Deployment is allowed without warnings', async (t) => {
  const response = (await post('deployment-allow.json')).body.response;
  t.same(response, { uid: '0f3e8c4a-1d2b-4c6e-9a7f-000000000003', allowed: true });
  t.equal(decisionLine(response.uid)?.decision, 'allow');
});

t.test('a StatefulSet with only audit findings is allowed silently and recorded', async (t) => {
  const response = (await post('statefulset-audit.json')).body.response;
  t.same(response, { uid: '0f3e8c4a-1d2b-4c6e-9a7f-000000000004', allowed: true });
  t.match(decisionLine(response.uid), { decision: 'audit', kind: 'StatefulSet', policies: ['fixture-readiness-probe'] });
});

t.test('StatefulSet, Pod and LeaderWorkerSet denials point at their own paths', async (t) => {
  const cases = [
    { file: 'statefulset-deny.json', workload: 'StatefulSet ml/mistral-7b', path: 'spec.template.spec.containers[0].args' },
    { file: 'pod-deny.json', workload: 'Pod ml/vllm-debug', path: 'spec.containers[0].args' },
    { file: 'lws-deny.json', workload: 'LeaderWorkerSet ml/deepseek', path: 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].args' },
  ];
  for (const c of cases) {
    const response = (await post(c.file)).body.response;
    t.equal(response.allowed, false, c.file);
    t.match(response.status.message, `vllm-guard denied ${c.workload}`, c.file);
    t.match(response.status.message, `at:  ${c.path}`, c.file);
  }
  const lws = (await post('lws-deny.json')).body.response.status.message as string;
  t.match(lws, 'spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].args', 'the worker template is checked too');
});

t.test('a Pod with a warning and a LeaderWorkerSet that fits are allowed', async (t) => {
  const pod = (await post('pod-warn.json')).body.response;
  t.equal(pod.allowed, true);
  t.equal(pod.warnings.length, 1);
  const lws = (await post('lws-allow.json')).body.response;
  t.equal(lws.allowed, true);
});

t.test('a kind vllm-guard does not know is allowed at once', async (t) => {
  const response = (await post('unknown-kind.json')).body.response;
  t.same(response, { uid: '0f3e8c4a-1d2b-4c6e-9a7f-000000000010', allowed: true });
  t.match(decisionLine(response.uid), { decision: 'skip', skip: 'not-vllm', kind: 'ConfigMap' });
});

t.test('scaling a non-compliant Deployment is never denied, and still says what is wrong', async (t) => {
  const response = (await post('update-replicas-only.json')).body.response;
  t.equal(response.allowed, true);
  t.notOk(response.status);
  t.ok(response.warnings.some((w: string) => w.startsWith('fixture-parallel-fits:')), 'the deny finding shows as a warning');
  t.match(decisionLine(response.uid), { operation: 'UPDATE', decision: 'warn', template_unchanged: true });
});

t.test('an UPDATE that changes the pod template is reviewed in full', async (t) => {
  const response = (await post('update-template.json')).body.response;
  t.equal(response.allowed, false);
  t.equal(response.status.code, 403);
});

t.test('dryRun is evaluated like any request and flagged', async (t) => {
  const response = (await post('deployment-deny-dryrun.json')).body.response;
  t.equal(response.allowed, false);
  t.match(decisionLine(response.uid), { decision: 'deny', dry_run: true });
});

t.test('DELETE is allowed untouched', async (t) => {
  const response = (await post('delete.json')).body.response;
  t.same(response, { uid: '0f3e8c4a-1d2b-4c6e-9a7f-000000000014', allowed: true });
  t.match(decisionLine(response.uid), { decision: 'skip', skip: 'operation', operation: 'DELETE' });
});

t.test('a Pod created by the ReplicaSet controller passes quickly; a hand-written owner does not', async (t) => {
  const owned = (await post('pod-owned-by-replicaset.json')).body.response;
  t.same(owned, { uid: '0f3e8c4a-1d2b-4c6e-9a7f-000000000015', allowed: true });
  t.match(decisionLine(owned.uid), { decision: 'skip', skip: 'owned-pod' });
  const forged = (await post('pod-forged-owner.json')).body.response;
  t.equal(forged.allowed, false, 'same pod, sent by a person');
});

t.test('the route caps the mode', async (t) => {
  const routes = [
    { path: '/validate/enforce', allowed: false, warnings: true },
    { path: '/validate/warn', allowed: true, warnings: true },
    { path: '/validate/audit', allowed: true, warnings: false },
  ];
  for (const route of routes) {
    const response = (await post('deployment-deny.json', route.path)).body.response;
    t.equal(response.allowed, route.allowed, `${route.path} allowed`);
    t.equal(Array.isArray(response.warnings), route.warnings, `${route.path} warnings`);
    if (route.path === '/validate/warn') {
      t.ok(response.warnings.some((w: string) => w.startsWith('fixture-shm:')), 'denials become warnings');
    }
  }
});

t.test('bad input gets HTTP 400 with a clear JSON error and no stack trace', async (t) => {
  const review = loadReview('deployment-deny.json');
  const noObject = loadReview('deployment-deny.json');
  delete noObject.request.object;
  const noUid = loadReview('deployment-deny.json');
  delete noUid.request.uid;
  const cases: { name: string; body: unknown; contentType?: string; reason: string }[] = [
    { name: 'not JSON', body: '{"apiVersion": "admission.k8s.io/v1", ', reason: 'invalid-json' },
    { name: 'empty', body: '', reason: 'empty-body' },
    { name: 'wrong content type', body: JSON.stringify(review), contentType: 'text/plain', reason: 'wrong-content-type' },
    { name: 'not an AdmissionReview', body: { kind: 'Deployment', apiVersion: 'apps/v1' }, reason: 'wrong-kind' },
    { name: 'v1beta1', body: { ...review, apiVersion: 'admission.k8s.io/v1beta1' }, reason: 'wrong-api-version' },
    { name: 'no request', body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, reason: 'missing-request' },
    { name: 'no uid', body: noUid, reason: 'missing-uid' },
    { name: 'no object', body: noObject, reason: 'missing-object' },
    { name: 'too large', body: JSON.stringify({ ...review, padding: 'x'.repeat(4 * 1024 * 1024) }), reason: 'too-large' },
  ];
  for (const c of cases) {
    const reply = await callWebhook(webhook.port, '/validate', c.body, { agent: webhook.agent, ...(c.contentType ? { contentType: c.contentType } : {}) });
    t.equal(reply.status, 400, `${c.name}: status`);
    t.equal(reply.body?.error, 'ERR_INPUT', `${c.name}: error code`);
    t.equal(reply.body?.reason, c.reason, `${c.name}: reason`);
    t.type(reply.body?.message, 'string', `${c.name}: message`);
    t.notMatch(reply.text, /\bat .+:\d+:\d+|node_modules|\.ts:\d/, `${c.name}: no stack trace`);
  }
  const after = await post('deployment-allow.json');
  t.equal(after.body.response.allowed, true, 'the server is still up');
});

t.test('health routes', async (t) => {
  const health = await callWebhook(webhook.port, '/healthz', undefined, { agent: webhook.agent });
  t.same([health.status, health.body], [200, { status: 'ok' }]);
  const ready = await callWebhook(webhook.port, '/readyz', undefined, { agent: webhook.agent });
  t.equal(ready.status, 200);
  t.match(ready.body, { status: 'ready', checks: { policies: /^4 loaded from /, certificate: /^valid until \d{4}-/ } });
  const missing = await callWebhook(webhook.port, '/mutate', {}, { agent: webhook.agent });
  t.equal(missing.status, 404);
  t.equal(missing.body.message, 'no route POST /mutate: POST AdmissionReviews to /validate, /validate/enforce, /validate/warn, /validate/audit; GET /healthz, /readyz');
});

t.test('metrics show decisions, findings, errors, durations, policies, certificate expiry and the process', async (t) => {
  const text = await scrapeMetrics(webhook.metricsServer.port);
  const expected = [
    'vllm_guard_admission_requests_total{operation="CREATE",kind="Deployment",decision="deny",dry_run="false"}',
    'vllm_guard_admission_requests_total{operation="CREATE",kind="Deployment",decision="deny",dry_run="true"} 1',
    'vllm_guard_admission_requests_total{operation="UPDATE",kind="Deployment",decision="warn",dry_run="false"} 1',
    'vllm_guard_admission_requests_total{operation="CREATE",kind="StatefulSet",decision="audit",dry_run="false"} 1',
    'vllm_guard_admission_requests_total{operation="DELETE",kind="Deployment",decision="skip",dry_run="false"} 1',
    'vllm_guard_admission_duration_seconds_bucket{le="0.0005"}',
    'vllm_guard_policy_findings_total{policy="fixture-shm",action="deny"}',
    'vllm_guard_policy_findings_total{policy="fixture-readiness-probe",action="audit"}',
    'vllm_guard_admission_errors_total{reason="invalid-json"} 1',
    'vllm_guard_admission_errors_total{reason="too-large"} 1',
    'vllm_guard_policies_loaded 4',
    'vllm_guard_tls_certificate_expiry_timestamp_seconds',
    'process_cpu_user_seconds_total',
    'nodejs_eventloop_lag_seconds',
  ];
  for (const line of expected) t.ok(text.includes(line), line);
  t.notMatch(text, /quantile=/, 'histograms, not summaries, for the admission duration');
  const expiry = Number(/vllm_guard_tls_certificate_expiry_timestamp_seconds (\d+)/.exec(text)?.[1]);
  t.ok(expiry > Date.now() / 1000 + 300 * 86400, 'the serving certificate expiry, about a year out');
});

t.test('no secret value from a fixture reaches any log line', async (t) => {
  t.ok(webhook.raw.length > 20, `${webhook.raw.length} log lines captured`);
  for (const canary of SECRET_CANARIES) {
    t.notOk(webhook.raw.some((line) => line.includes(canary)), canary);
  }
  t.notOk(webhook.raw.some((line) => line.includes('meta-llama/Llama-3.1-70B-Instruct')), 'not even the args');
});
