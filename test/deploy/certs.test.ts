import t from 'tap';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { WEBHOOK_NAMES, writeWebhookCertificates } from '../../certs/bundle.js';
import { fetchOverTls, serveOverTls } from '../tls/tls-helpers.js';
import { REPO_ROOT, findKubectlProblem, findObject, renderKustomization, webhooksOf, type K8sObject } from './kustomize-helpers.js';
import { uninstrumentedEnv } from '../child-env.js';

const run = promisify(execFile);
const SERVICE_NAME = 'vllm-guard.vllm-guard.svc';

/** Runs the tool exactly as `npm run certs --` does. */
async function runCerts(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'certs/generate.ts', ...args], { cwd: REPO_ROOT, env: uninstrumentedEnv() });
    return { code: 0, stdout, stderr };
  } catch (err: unknown) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const read = (dir: string, name: string): Promise<string> => readFile(join(dir, name), 'utf8');
const kubectlProblem = await findKubectlProblem();

t.test('npm run certs: the chain is served by Node HTTPS and verified for the service name', async (t) => {
  const out = t.testdir();
  const result = await runCerts(['--namespace', 'vllm-guard', '--out', out]);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, `Serving certificate for ${SERVICE_NAME}, ${SERVICE_NAME}.cluster.local`);
  t.match(result.stdout, /kubectl apply -k .*overlays\/audit/);
  t.equal((await stat(join(out, 'tls.key'))).mode & 0o777, 0o600, 'tls.key is private');
  t.equal((await stat(join(out, 'ca.key'))).mode & 0o777, 0o600, 'ca.key is private');

  const server = await serveOverTls({ certPem: await read(out, 'tls.crt'), keyPem: await read(out, 'tls.key') });
  t.teardown(() => server.close());
  for (const name of [SERVICE_NAME, `${SERVICE_NAME}.cluster.local`]) {
    t.equal(await fetchOverTls(server.port, name, await read(out, 'ca-bundle.crt')), 'ok', `verified as ${name}`);
  }
  await t.rejects(fetchOverTls(server.port, 'vllm-guard.default.svc', await read(out, 'ca-bundle.crt')), {
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
  });

  const secret = parse(await read(out, 'component/secret.yaml')) as K8sObject & { type: string; data: Record<string, string> };
  t.equal(secret.type, 'kubernetes.io/tls');
  t.same(secret.metadata.namespace, 'vllm-guard');
  for (const key of ['tls.crt', 'tls.key', 'ca.crt']) {
    t.equal(Buffer.from(secret.data[key] ?? '', 'base64').toString(), await read(out, key), `Secret ${key} is the file ${key}`);
  }
});

t.test('re-running rotates, and the caBundle keeps the previous CA for the changeover', async (t) => {
  const out = t.testdir();
  t.equal((await runCerts(['--namespace', 'vllm-guard', '--out', out])).code, 0);
  const oldPair = { certPem: await read(out, 'tls.crt'), keyPem: await read(out, 'tls.key') };
  const second = await runCerts(['--namespace', 'vllm-guard', '--out', out, '--days', '30']);
  t.equal(second.code, 0, second.stderr);
  t.match(second.stdout, 'caBundle trusts 2 CA(s) (the new one and the previous one)');
  const newCert = await read(out, 'tls.crt');
  t.not(new X509Certificate(newCert).serialNumber, new X509Certificate(oldPair.certPem).serialNumber, 'a new certificate');
  const bundle = await read(out, 'ca-bundle.crt');
  const newServer = await serveOverTls({ certPem: newCert, keyPem: await read(out, 'tls.key') });
  const oldServer = await serveOverTls(oldPair);
  t.teardown(() => Promise.all([newServer.close(), oldServer.close()]));
  t.equal(await fetchOverTls(newServer.port, SERVICE_NAME, bundle), 'ok', 'pods with the new Secret are trusted');
  t.equal(await fetchOverTls(oldServer.port, SERVICE_NAME, bundle), 'ok', 'pods still on the old Secret are trusted too');
  const lifetime = Date.parse(new X509Certificate(newCert).validTo) - Date.now();
  t.ok(lifetime > 29 * 86_400_000 && lifetime < 31 * 86_400_000, '--days sets the lifetime');
});

t.test('the previous CA is dropped once expired or unreadable', async (t) => {
  const out = t.testdir();
  const later = new Date(Date.now() + 6 * 365 * 86_400_000);
  await writeWebhookCertificates({ namespace: 'vllm-guard', service: 'vllm-guard', outDir: out });
  t.equal((await writeWebhookCertificates({ namespace: 'vllm-guard', service: 'vllm-guard', outDir: out, now: later })).trustedCas, 1, 'expired');
  await writeFile(join(out, 'ca.crt'), 'garbage');
  t.equal((await writeWebhookCertificates({ namespace: 'vllm-guard', service: 'vllm-guard', outDir: out })).trustedCas, 1, 'unreadable');
});

t.test('bad arguments get a usage message and exit code 2', async (t) => {
  const cases: [string[], RegExp][] = [
    [[], /--namespace is required/],
    [['--namespace', 'Bad_NS'], /--namespace must be a DNS label/],
    [['--namespace', 'ml', '--service', 'x.y'], /--service must be a DNS label/],
    [['--namespace', 'ml', '--days', '0'], /--days must be a positive integer/],
    [['--namespace', 'ml', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const result = await runCerts(args);
    t.equal(result.code, 2, args.join(' '));
    t.match(result.stderr, message);
    t.match(result.stderr, /usage: npm run certs -- --namespace NS/);
  }
});

t.test('the generated overlays render: Secret plus caBundle on every webhook', { skip: kubectlProblem }, async (t) => {
  const out = join(t.testdir(), 'certs-out');
  await writeWebhookCertificates({ namespace: 'vllm-guard', service: 'vllm-guard', outDir: out });
  const expectedBundle = Buffer.from(await read(out, 'ca-bundle.crt')).toString('base64');
  for (const mode of ['audit', 'warn', 'enforce']) {
    const objects = await renderKustomization(join(out, 'overlays', mode));
    t.equal(findObject(objects, 'Secret', 'vllm-guard-tls').metadata.namespace, 'vllm-guard', `${mode}: Secret rendered`);
    const webhooks = webhooksOf(objects);
    t.same(webhooks.map((w) => w.name).sort(), WEBHOOK_NAMES.map((n) => `${n}.vllm-guard.io`).sort());
    for (const webhook of webhooks) t.equal(webhook.clientConfig.caBundle, expectedBundle, `${mode}: ${webhook.name} caBundle`);
    const config = findObject(objects, 'ConfigMap', 'vllm-guard-config') as K8sObject & { data: Record<string, string> };
    t.match(config.data['config.yaml'], new RegExp(`^mode: ${mode}\\b`, 'm'), `${mode}: the mode's config`);
  }
});

t.test('the lookups overlays give the autoscaler webhooks the caBundle and the namespace too', { skip: kubectlProblem }, async (t) => {
  const out = join(t.testdir(), 'certs-out');
  await writeWebhookCertificates({ namespace: 'ml-platform', service: 'vllm-guard', outDir: out });
  const expectedBundle = Buffer.from(await read(out, 'ca-bundle.crt')).toString('base64');
  const names = WEBHOOK_NAMES.flatMap((n) => [`${n}.vllm-guard.io`, `autoscalers.${n}.vllm-guard.io`]).sort();
  for (const mode of ['audit', 'warn', 'enforce']) {
    const objects = await renderKustomization(join(out, 'overlays', `${mode}-lookups`));
    const webhooks = webhooksOf(objects);
    t.same(webhooks.map((w) => w.name).sort(), names, `${mode}-lookups: the vLLM and the autoscaler webhooks`);
    for (const webhook of webhooks) {
      t.equal(webhook.clientConfig.caBundle, expectedBundle, `${mode}-lookups: ${webhook.name} caBundle`);
      t.equal(webhook.clientConfig.service.namespace, 'ml-platform');
      t.same(webhook.namespaceSelector.matchExpressions[0]?.values, ['kube-system', 'ml-platform'], `${webhook.name} excludes ml-platform`);
    }
    t.equal(webhooks.find((w) => w.name === 'autoscalers.enforce.vllm-guard.io')?.failurePolicy, 'Ignore', 'autoscaler webhooks never block');
    const server = findObject(objects, 'Deployment', 'vllm-guard') as K8sObject & { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    t.ok(server.spec.template.spec.containers[0]?.args.includes('--lookups'), `${mode}-lookups: the server looks up`);
  }
  // Without the lookups component the certificate patch adds no autoscaler webhook of its own.
  t.same(webhooksOf(await renderKustomization(join(out, 'overlays', 'warn'))).map((w) => w.name).sort(), WEBHOOK_NAMES.map((n) => `${n}.vllm-guard.io`).sort());
});

t.test('another namespace moves everything and keeps itself excluded', { skip: kubectlProblem }, async (t) => {
  const out = join(t.testdir(), 'certs-out');
  const result = await writeWebhookCertificates({ namespace: 'ml-platform', service: 'guard', outDir: out });
  t.same(result.dnsNames, ['guard.ml-platform.svc', 'guard.ml-platform.svc.cluster.local']);
  const objects = await renderKustomization(join(out, 'overlays', 'enforce'));
  for (const object of objects) {
    if (!['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration'].includes(object.kind)) {
      t.equal(object.metadata.namespace, 'ml-platform', `${object.kind} ${object.metadata.name} in ml-platform`);
    }
  }
  t.ok(objects.some((o) => o.kind === 'Namespace' && o.metadata.name === 'ml-platform'), 'the Namespace is ml-platform');
  for (const webhook of webhooksOf(objects)) {
    t.equal(webhook.clientConfig.service.namespace, 'ml-platform');
    t.same(webhook.namespaceSelector.matchExpressions[0], {
      key: 'kubernetes.io/metadata.name',
      operator: 'NotIn',
      values: ['kube-system', 'ml-platform'],
    }, `${webhook.name} excludes ml-platform`);
    t.equal(webhook.matchConditions.length, 1, `${webhook.name} keeps its matchCondition`);
  }
  const defaultHook = webhooksOf(objects).find((w) => w.name === 'default.vllm-guard.io');
  t.same(defaultHook?.namespaceSelector.matchExpressions[1]?.operator, 'NotIn', 'the default route still takes unlabelled namespaces');
  t.equal(webhooksOf(objects).find((w) => w.name === 'enforce.vllm-guard.io')?.failurePolicy, 'Fail', 'the mode overlay still applies');
});
