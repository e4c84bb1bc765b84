/**
 * The README's two examples against the bundled default policies, over real HTTPS. There
 * is no kube-apiserver binary on these machines: the test plays its part (CA-verified
 * POST with Content-Type: application/json over a keep-alive agent).
 */
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterFile } from '../groups/groups.js';
import { parse } from 'yaml';
import { callWebhook, startTestWebhook, type TestWebhook } from './helpers.js';

const example = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../examples/admission/${name}`, import.meta.url), 'utf8'));

// Started at the top level and closed by afterFile, not in a t.before and a root teardown: the file
// runs in the server group's process (test/groups/groups.ts), where a root hook would run around
// every later file's tests too.
const dir = mkdtempSync(join(os.tmpdir(), 'vllm-guard-default-policies-'));
const webhook: TestWebhook = await startTestWebhook({ dir, sources: { policiesDir: null } });
afterFile(async () => {
  webhook.agent.destroy();
  await webhook.close();
  rmSync(dir, { recursive: true, force: true });
});

t.test('examples/admission/deny.json is denied, naming each policy, path and fix', async (t) => {
  const reply = await callWebhook(webhook.port, '/validate', example('deny.json'), { agent: webhook.agent });
  const response = reply.body.response;
  t.equal(response.allowed, false);
  t.equal(response.status.code, 403);
  const message: string = response.status.message;
  t.match(message, /^vllm-guard denied Deployment ml\/llama-70b: 3 policies failed\n/);
  const expected: [string, string][] = [
    ['gpu-count-matches-parallelism', 'spec.template.spec.containers[0].resources.limits'],
    ['image-pinned', 'spec.template.spec.containers[0].image'],
    ['shm-mounted', 'spec.template.spec.volumes'],
  ];
  for (const [policy, path] of expected) {
    t.match(message, `\n- ${policy}: `, policy);
    t.match(message, `at:  ${path}`, `${policy} path`);
  }
  t.equal(message.split('\n    fix: ').length - 1, 3, 'a fix for each');
});

t.test('examples/admission/warn.json is allowed with short Warning lines', async (t) => {
  const response = (await callWebhook(webhook.port, '/validate', example('warn.json'), { agent: webhook.agent })).body.response;
  t.equal(response.allowed, true);
  t.notOk(response.status);
  t.same(
    response.warnings.map((w: string) => w.split(':')[0]),
    ['gpu-taint-toleration', 'non-root', 'rollout-strategy'],
  );
  // The objects around the workload are not looked up at admission: the policies that judge them are not
  // run there (check and audit judge them), so neither the answer nor the decision record names them.
  const line = webhook.lines.find((l) => l.uid === response.uid);
  t.ok(line, 'the decision is recorded');
  for (const policy of ['api-auth', 'disruption-budget', 'metrics-scraped', 'network-policy-covers', 'service-exposes-server', 'storage-access']) {
    t.notOk(line?.policies.includes(policy), `${policy} is not run without lookups`);
  }
  for (const warning of response.warnings as string[]) t.ok(warning.length <= 256, `${warning.length} characters`);
});

t.test('the audit route lets the denied example through silently and records it', async (t) => {
  const response = (await callWebhook(webhook.port, '/validate/audit', example('deny.json'), { agent: webhook.agent })).body.response;
  t.same(response, { uid: '7d4b2c1e-9f0a-4e2b-8c3d-5a6f7e8d9c01', allowed: true });
  const line = webhook.lines.find((l) => l.uid === response.uid && l.route === '/validate/audit');
  t.equal(line?.decision, 'audit');
  t.ok(line?.policies.includes('shm-mounted'));
});

t.test('the decision record names each policy once, and no token value', async (t) => {
  // examples/bad/literal-hf-token.yaml has two literal credentials: two no-literal-secrets findings.
  const object = parse(readFileSync(new URL('../../examples/bad/literal-hf-token.yaml', import.meta.url), 'utf8')) as Record<string, any>;
  const review = {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'literal-token-1',
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      operation: 'CREATE',
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      userInfo: { username: 'alice' },
      object,
    },
  };
  const response = (await callWebhook(webhook.port, '/validate', review, { agent: webhook.agent })).body.response;
  t.equal(response.allowed, false);
  t.equal(response.status.message.split('\n- no-literal-secrets: ').length - 1, 2, 'two findings in the answer');
  const line = webhook.lines.find((l) => l.uid === 'literal-token-1');
  t.same(line?.policies.filter((p: string) => p === 'no-literal-secrets'), ['no-literal-secrets'], 'one entry in the log');
  t.equal(new Set(line?.policies).size, line?.policies.length, 'no policy twice');
  t.notMatch(JSON.stringify(line), /hf_EXAMPLE|sk-example/, 'no token value in the log line');
});
