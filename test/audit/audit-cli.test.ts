// `vllm-guard audit` end to end: the CLI (runCli in process, as the bin runs it, and once the built bin as a real
// process for its exit status and streams; npm test builds first) against a STAND-IN for the kube-apiserver
// (kube-stand-in.ts: HTTPS with a test CA, API discovery, the fixtures' list responses page by page, a 403 on
// DaemonSets, no LeaderWorkerSet or serving CRD API). Then the HTML page rendered in headless Chromium.
// The serving CRDs against the stand-in: audit-serving-cli.test.ts.
import t from 'tap';
import { RELATED_AUDIT_KINDS } from '../../src/audit/related-kinds.js';

/** A list of the objects around vLLM workloads (audit/related-lister.ts). */
const RELATED_PATH = new RegExp(`/(${RELATED_AUDIT_KINDS.flat().map((k) => k.plural).join('|')})$`);
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { auditCli as cli, kubeconfigFor, policyReportValidator, type Run } from './helpers.js';
import { startKubeStandIn } from './kube-stand-in.js';
import { uninstrumentedEnv } from '../child-env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** The built bin as a real process: exit status and streams as a CI job sees them. */
async function cliProcess(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'audit', ...args], { cwd: ROOT, env: uninstrumentedEnv({ NO_COLOR: '1', ...env }) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

t.test('audit --kubeconfig FILE --html report.html --write-reports against the stand-in', async (t) => {
  const standIn = await startKubeStandIn({ forbidden: ['daemonsets'], missingGroups: ['leaderworkerset.x-k8s.io/v1'] });
  t.teardown(() => standIn.close());
  const dir = t.testdir({});
  const html = path.join(dir, 'report.html');
  const run = await cli(['--kubeconfig', kubeconfigFor(standIn, dir), '--html', html, '--write-reports', '-o', 'json']);

  t.equal(run.code, 2, 'exit 2: the audit is incomplete (403 on DaemonSets)');
  const report = JSON.parse(run.stdout) as { results: { source: string; findings: { policy: string; action: string }[] }[]; errors: { source: string; message: string }[]; summary: Record<string, number> };
  t.same(
    report.results.map((r) => r.source),
    [
      'cluster:batch/CronJob/nightly-eval',
      'cluster:batch/Job/bench-once',
      'cluster:ml-serving/Deployment/llama-70b',
      'cluster:ml-serving/Deployment/qwen-7b',
      'cluster:research/Pod/debug-vllm',
      'cluster:research/StatefulSet/mistral-7b',
    ],
  );
  t.match(report.summary, { resources: 8, vllm: 6 });
  t.ok(report.summary.deny! >= 4, 'the broken workloads are denied');
  t.match(report.errors, [{ source: 'cluster:*/DaemonSet', message: /403 daemonsets\.apps is forbidden.*grant get and list on daemonsets\.apps/ }]);
  t.match(run.stderr, /^note: leaderworkerset\.x-k8s\.io\/v1 LeaderWorkerSet: not served by this cluster$/m);
  t.match(run.stderr, /^note: serving\.kserve\.io\/v1beta1 InferenceService: not served by this cluster$/m, 'the serving CRDs this cluster lacks, one line each');
  t.match(run.stderr, /audit of all namespaces: 17 objects listed in 5 namespaces, 8 workloads reviewed, 6 vLLM;.*INCOMPLETE \(1 gap\)/);
  t.match(run.stderr, /PolicyReports: 3 created \(batch, ml-serving, research\), 0 updated, 0 stale deleted/);
  t.notMatch(run.stderr, /\r|\u001b\[K/, 'no progress lines when stderr is not a terminal');
  t.equal(standIn.requests.filter((r) => r.path === '/apis').length, 1, 'one discovery call says which APIs are served');
  // The objects around vLLM workloads are listed per namespace too (test/audit/related.test.ts covers them).
  const lists = standIn.requests.filter((r) => r.method === 'GET' && !r.path.includes('policyreports') && r.path !== '/apis' && !r.path.includes('/namespaces/'));
  t.same(lists.filter((r) => !r.query.get('continue')).map((r) => r.path), ['/apis/batch/v1/cronjobs', '/apis/apps/v1/deployments', '/apis/apps/v1/statefulsets', '/apis/apps/v1/daemonsets', '/apis/batch/v1/jobs', '/apis/apps/v1/replicasets', '/api/v1/replicationcontrollers', '/api/v1/pods'], 'only served APIs are listed');
  t.ok(lists.every((r) => r.query.get('limit') === '500'), 'every list is paged (audit.pageSize)');
  t.equal(lists.filter((r) => r.query.get('continue')).length, 2, 'Deployments and Pods took two pages');

  const validate = policyReportValidator();
  const stored = [...standIn.objects.entries()].filter(([k]) => k.startsWith('wgpolicyk8s.io/'));
  t.same(stored.map(([k]) => k), ['wgpolicyk8s.io/policyreports/batch/vllm-guard', 'wgpolicyk8s.io/policyreports/ml-serving/vllm-guard', 'wgpolicyk8s.io/policyreports/research/vllm-guard']);
  for (const [key, body] of stored) t.ok(validate(body), `${key} matches the CRD schema ${JSON.stringify(validate.errors)}`);
  const ml = standIn.objects.get('wgpolicyk8s.io/policyreports/ml-serving/vllm-guard') as { summary: Record<string, number>; results: { policy: string; result: string; resources: { name: string }[] }[] };
  t.match(ml.results.find((r) => r.policy === 'image-pinned' && r.resources[0]?.name === 'llama-70b'), { result: 'fail' });
  t.match(ml.results.find((r) => r.policy === 'image-pinned' && r.resources[0]?.name === 'qwen-7b'), { result: 'pass' });
  t.equal(ml.summary.pass! + ml.summary.fail! + ml.summary.warn! + ml.summary.skip!, ml.results.length);

  const page = readFileSync(html, 'utf8');
  t.match(page, /<table id="scorecard"/);
  t.match(page, /cannot list DaemonSet cluster-wide: 403/);
  t.notMatch(page, /<script>alert/, 'the hostile label value in the fixtures is not in the page unescaped');

  t.test('rendered in headless Chromium: the scorecard and its counts', { skip: CHROMIUM ? false : 'chromium is not installed (apt-get install -y chromium)' }, async (t) => {
    const profile = mkdtempSync(path.join(tmpdir(), 'vg-chromium-'));
    const dump = spawnSync(
      CHROMIUM as string,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', `file://${html}`],
      { encoding: 'utf8', timeout: 30_000 },
    );
    t.equal(dump.status, 0, dump.stderr.slice(-500));
    const dom = dump.stdout;
    const figure = (name: string) => new RegExp(`data-figure="${name}"><b>([^<]+)</b>`).exec(dom)?.[1];
    t.equal(figure('workloads'), '6');
    t.equal(figure('fail'), '3', 'llama-70b, debug-vllm, mistral-7b fail');
    t.equal(figure('warn'), '3');
    t.equal(figure('pass'), '0');
    t.equal(figure('namespaces'), '5');
    t.equal(figure('listed'), '17');
    const grid = /<table id="scorecard"[\s\S]*?<\/table>/.exec(dom)?.[0] ?? '';
    const rows = [...grid.matchAll(/<tr data-workload="([^"]+)" data-state="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    // Failing workloads first (the page sorts them so), then the rest in namespace order.
    t.same(rows, [
      'ml-serving/Deployment/llama-70b:fail',
      'research/Pod/debug-vllm:fail',
      'research/StatefulSet/mistral-7b:fail',
      'batch/Job/bench-once:warn',
      'batch/CronJob/nightly-eval:warn',
      'ml-serving/Deployment/qwen-7b:warn',
    ]);
    t.ok((grid.match(/data-state="fail" title=/g) ?? []).length >= 5, 'failing cells in the grid');
    const team = /<table id="by-team"[\s\S]*?<\/table>/.exec(dom)?.[0] ?? '';
    const teamRow = (key: string) => new RegExp(`data-key="${key}">[\\s\\S]*?data-total="workloads">(\\d+)[\\s\\S]*?data-total="fail">(\\d+)`).exec(team)?.slice(1);
    t.same(teamRow('inference'), ['2', '1']);
    t.same(teamRow('research'), ['2', '2']);
    t.same(teamRow('batch'), ['2', '0'], 'no team label: the namespace');
    t.notMatch(dom, /<script/, 'nothing executable in the rendered DOM');
  });
});

t.test('a second, complete run updates the reports and deletes the stale one', async (t) => {
  const standIn = await startKubeStandIn({ missingGroups: ['leaderworkerset.x-k8s.io/v1'] });
  t.teardown(() => standIn.close());
  const labels = { 'app.kubernetes.io/managed-by': 'vllm-guard' };
  standIn.objects.set('wgpolicyk8s.io/policyreports/ml-serving/vllm-guard', {
    apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'vllm-guard', namespace: 'ml-serving', labels, resourceVersion: '7' },
    results: [{ policy: 'image-pinned', result: 'fail', resources: [{ kind: 'Deployment', name: 'deleted-last-week' }] }],
  });
  standIn.objects.set('wgpolicyk8s.io/policyreports/old-team/vllm-guard', {
    apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'vllm-guard', namespace: 'old-team', labels, resourceVersion: '3' }, results: [],
  });
  const dir = t.testdir({});
  const run = await cli(['--kubeconfig', kubeconfigFor(standIn, dir), '--write-reports', '-o', 'junit']);
  t.equal(run.code, 1, 'complete, and something would be denied');
  t.match(run.stdout, /<testsuites name="vllm-guard"/);
  t.match(run.stderr, /PolicyReports: 2 created \(batch, research\), 1 updated \(ml-serving\), 1 stale deleted \(old-team\)/);
  const ml = standIn.objects.get('wgpolicyk8s.io/policyreports/ml-serving/vllm-guard') as { metadata: { resourceVersion: string }; results: { resources: { name: string }[] }[] };
  t.equal(ml.metadata.resourceVersion, '8', 'replaced at the version read');
  t.notOk(ml.results.some((r) => r.resources[0]?.name === 'deleted-last-week'), 'stale results removed');
  t.notOk(standIn.objects.has('wgpolicyk8s.io/policyreports/old-team/vllm-guard'));
});

t.test('-n NS and --mode audit: one namespace, nothing denied', async (t) => {
  const standIn = await startKubeStandIn({ missingGroups: ['leaderworkerset.x-k8s.io/v1'] });
  t.teardown(() => standIn.close());
  const run = await cli(['--kubeconfig', kubeconfigFor(standIn, t.testdir({})), '-n', 'research', '--mode', 'audit']);
  t.equal(run.code, 0);
  t.match(run.stdout, /StatefulSet research\/mistral-7b/);
  t.notMatch(run.stdout, /ml-serving/);
  t.match(run.stdout, /0 deny/);
  const lists = standIn.requests.filter((r) => r.path !== '/apis' && !RELATED_PATH.test(r.path));
  t.equal(lists.length, 8, 'the eight built-in kinds; no CRD is served');
  t.ok(lists.every((r) => r.path.includes('/namespaces/research/')), 'every list is of the namespace');
});

t.test('an unreachable API server, the built bin as a real process: a clear message, the gap listed, exit 2', async (t) => {
  const file = path.join(t.testdir({}), 'unreachable');
  writeFileSync(file, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: x}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n');
  const down = await cliProcess(['--kubeconfig', file, '-o', 'json']);
  t.equal(down.code, 2);
  t.match(down.stderr, /gap: cannot list InferenceService cluster-wide: no answer from the API server.*ECONNREFUSED/);
  t.match(down.stderr, /check the server address in the kubeconfig/);
  t.notMatch(down.stderr, /\n\s+at /, 'no stack trace');
  t.match(JSON.parse(down.stdout), { results: [], errors: [{ source: 'cluster:*/InferenceService' }] });
});
