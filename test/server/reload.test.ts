/**
 * Live policy and config reload under the real HTTPS server. There is no kube-apiserver
 * binary on these machines: the tests play its part over real TLS while the policy
 * directory and a ConfigMap-style config mount change underneath.
 */
import t from 'tap';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { callWebhook, copyPolicies, loadReview, scrapeMetrics, startTestWebhook, waitFor, type TestWebhook } from './helpers.js';

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** A ConfigMap volume: config.yaml → ..data/config.yaml, ..data → a timestamped directory. */
function mountConfig(dir: string, text: string, generation: number): void {
  const gen = path.join(dir, `..2025_06_01_${generation}`);
  mkdirSync(gen, { recursive: true });
  writeFileSync(path.join(gen, 'config.yaml'), text);
  symlinkSync(path.basename(gen), path.join(dir, '..data_tmp'));
  renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
}

const countOf = (webhook: TestWebhook, msg: string) => webhook.lines.filter((line) => line.msg === msg).length;

t.test('policy and config reload: a good set swaps in, a bad one is rejected and the last good keeps serving', async (t) => {
  const dir = t.testdir();
  const policies = copyPolicies(path.join(dir, 'policies'));
  const configDir = path.join(dir, 'config');
  mkdirSync(configDir);
  mountConfig(configDir, 'mode: enforce\nfailureMode: open\n', 1);
  symlinkSync('..data/config.yaml', path.join(configDir, 'config.yaml'));
  const webhook = await startTestWebhook({ dir, sources: { policiesDir: policies, configFile: path.join(configDir, 'config.yaml') } });
  t.teardown(async () => {
    webhook.agent.destroy();
    await webhook.close();
  });
  const review = (name: string) => callWebhook(webhook.port, '/validate', loadReview(name), { agent: webhook.agent }).then((r) => r.body.response);

  t.equal((await review('deployment-warn.json')).allowed, true, 'an unpinned image only warns at first');

  // A good new set: the image policy now denies.
  const pinned = path.join(policies, 'fixture-image-pinned.yaml');
  const original = readFileSync(pinned, 'utf8');
  writeAtomically(pinned, original.replace('action: warn', 'action: deny'));
  await waitFor('the good set', () => countOf(webhook, 'policies reloaded') === 1);
  const denied = await review('deployment-warn.json');
  t.equal(denied.allowed, false, 'the new set is serving');
  t.match(denied.status.message, 'fixture-image-pinned');

  // A bad set: a field the meta-schema refuses.
  writeAtomically(path.join(policies, 'fixture-shm.yaml'), readFileSync(path.join(policies, 'fixture-shm.yaml'), 'utf8').replace('severity: high', 'severity: extreme'));
  await waitFor('the rejection', () => countOf(webhook, 'reload rejected; the last good policy set keeps serving') === 1);
  const rejection = webhook.lines.find((line) => line.msg === 'reload rejected; the last good policy set keeps serving');
  t.match(rejection?.error, /fixture-shm\.yaml:\d+/, 'the log names the file and line');
  t.match(rejection?.error, 'severity', 'and the field');
  t.equal((await review('deployment-warn.json')).allowed, false, 'the last good set still serves');
  t.equal((await review('deployment-deny.json')).allowed, false);
  let metrics = await scrapeMetrics(webhook.metricsServer.port);
  t.match(metrics, 'vllm_guard_policy_reloads_total{result="error"} 1');
  t.match(metrics, 'vllm_guard_policy_reloads_total{result="success"} 1');
  t.match(metrics, 'vllm_guard_policy_last_reload_success 0');
  t.match(metrics, 'vllm_guard_policies_loaded 4');

  // Fixed again, and a policy removed: the count follows.
  rmSync(path.join(policies, 'fixture-shm.yaml'));
  await waitFor('the fixed set', () => countOf(webhook, 'policies reloaded') === 2);
  metrics = await scrapeMetrics(webhook.metricsServer.port);
  t.match(metrics, 'vllm_guard_policies_loaded 3');
  t.match(metrics, 'vllm_guard_policy_last_reload_success 1');

  // The config ConfigMap changes by a symlink swap: mode warn never denies.
  mountConfig(configDir, 'mode: warn\nfailureMode: open\n', 2);
  await waitFor('the new config', () => countOf(webhook, 'policies reloaded') === 3);
  const warned = await review('deployment-deny.json');
  t.equal(warned.allowed, true, 'mode warn from the new config');
  t.ok(warned.warnings.length > 0);

  // A config with a bad field is rejected the same way.
  mountConfig(configDir, 'mode: sometimes\n', 3);
  await waitFor('the config rejection', () => countOf(webhook, 'reload rejected; the last good policy set keeps serving') === 2);
  const configRejection = webhook.lines.filter((line) => line.msg === 'reload rejected; the last good policy set keeps serving')[1];
  t.match(configRejection?.error, /config\.yaml:1/, 'names the config file and line');
  t.equal((await review('deployment-deny.json')).allowed, true, 'still mode warn');
});

t.test('a deleted policy directory keeps the last good set serving, visibly', async (t) => {
  const dir = t.testdir();
  const policies = copyPolicies(path.join(dir, 'policies'));
  const webhook = await startTestWebhook({ dir, sources: { policiesDir: policies } });
  t.teardown(async () => {
    webhook.agent.destroy();
    await webhook.close();
  });
  rmSync(policies, { recursive: true });
  await waitFor('the rejection', () => countOf(webhook, 'reload rejected; the last good policy set keeps serving') === 1);
  const line = webhook.lines.find((l) => l.msg === 'reload rejected; the last good policy set keeps serving');
  t.match(line?.error, 'cannot read the policy directory');
  const reply = await callWebhook(webhook.port, '/validate', loadReview('deployment-deny.json'), { agent: webhook.agent });
  t.equal(reply.body.response.allowed, false, 'still enforcing with the last good set');
  t.match(await scrapeMetrics(webhook.metricsServer.port), 'vllm_guard_policy_last_reload_success 0');
  // It comes back (a ConfigMap re-created): picked up by the poll.
  copyPolicies(policies);
  await waitFor('the set to come back', () => countOf(webhook, 'policies reloaded') === 1);
  t.match(await scrapeMetrics(webhook.metricsServer.port), 'vllm_guard_policy_last_reload_success 1');
});
