/**
 * Drill: the policy ConfigMap goes bad under load. First the mount is swapped to a set with one
 * broken file, then the directory disappears. The webhook must keep serving the last good set
 * with zero errors, and say so in its logs and metrics.
 */
import { rmSync } from 'node:fs';
import { Agent } from 'node:https';
import path from 'node:path';
import t from 'tap';
import { metricValue, readBundledPolicies, scrapeMetrics, startChildServer, waitFor, writeMountGeneration } from './child-server.js';
import { expectDecision, readExampleReview, startLoad } from './load.js';

const REJECTED = 'reload rejected; the last good policy set keeps serving';

t.test('an invalid policy set, then a deleted directory, under load: the last good set serves with zero errors', async (t) => {
  const dir = t.testdir();
  const policiesDir = path.join(dir, 'policies');
  const good = readBundledPolicies();
  writeMountGeneration(policiesDir, good);
  const server = await startChildServer({ dir, args: ['--policies', policiesDir] });
  t.teardown(() => server.stop('SIGKILL'));
  const ca = server.pki.ca.certPem;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  t.teardown(() => agent.destroy());
  const loaded = metricValue(await scrapeMetrics(server.metricsPort), 'vllm_guard_policies_loaded');
  t.ok(loaded > 0, `the good set is loaded (${loaded} policies)`);

  const load = startLoad({ port: server.port, ca, review: readExampleReview('deny'), concurrency: 4, agent, check: expectDecision(false) });
  await waitFor('some answers before the change', () => load.stats.replies.length >= 20);

  // One file keeps its name but no longer parses as a policy: what a bad `kubectl apply` of the ConfigMap does.
  const [broken] = Object.keys(good).sort();
  t.ok(broken, 'there is a policy file to break');
  writeMountGeneration(policiesDir, { ...good, [broken as string]: 'id: [this is not\n  a policy' });
  await waitFor('the rejected reload in the logs', () => server.lines.some((l) => l.msg === REJECTED));
  const firstRejection = server.lines.find((l) => l.msg === REJECTED) ?? {};
  t.match(String(firstRejection.error), broken, 'the log line names the broken file');
  t.equal(firstRejection.level, 50, 'logged as an error');
  let metrics = await scrapeMetrics(server.metricsPort);
  t.equal(metricValue(metrics, 'vllm_guard_policy_last_reload_success'), 0, 'the metric shows the failed reload');
  t.equal(metricValue(metrics, 'vllm_guard_policy_reloads_total{result="error"}'), 1, 'one failed reload counted');
  const afterInvalid = load.stats.replies.length;
  await waitFor('answers served after the bad set', () => load.stats.replies.length >= afterInvalid + 40);

  // The whole mount disappears (namespace cleanup, a deleted ConfigMap with optional: true).
  rmSync(policiesDir, { recursive: true, force: true });
  await waitFor('the deleted directory in the logs', () => server.lines.filter((l) => l.msg === REJECTED).length >= 2);
  const secondRejection = server.lines.filter((l) => l.msg === REJECTED)[1] ?? {};
  t.match(String(secondRejection.error), policiesDir, 'the log line names the missing directory');
  const afterDelete = load.stats.replies.length;
  await waitFor('answers served after the deletion', () => load.stats.replies.length >= afterDelete + 40);
  const stats = await load.stop();

  metrics = await scrapeMetrics(server.metricsPort);
  t.equal(metricValue(metrics, 'vllm_guard_policy_last_reload_success'), 0, 'still flagged as failed after the deletion');
  t.equal(metricValue(metrics, 'vllm_guard_policy_reloads_total{result="error"}'), 2, 'two failed reloads counted');
  t.equal(metricValue(metrics, 'vllm_guard_policies_loaded'), loaded, 'the last good set is still the one loaded');
  t.same(stats.errors, [], 'no transport error');
  t.same(stats.wrong, [], 'every answer is the same denial the good set gave');
  t.ok(stats.replies.length > 100, `${stats.replies.length} reviews answered during the drill`);
  t.equal(server.child.exitCode, null, 'the process is still running');
});
