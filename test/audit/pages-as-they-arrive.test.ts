// The audit at scale, small: the stand-in serves a generated cluster (bench/audit-cluster.ts, the
// bench's generator) in many small pages; `vllm-guard audit -o json` reviews each page as it
// arrives, spools the results and prints the same report a whole-list audit would: every vLLM
// workload once, in namespace/kind/name order, the summary counting all of them. Then the
// streamed JSON text is byte for byte what renderJson makes of the same report.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generatedCluster, namespaceName, objectCount } from '../../bench/audit-cluster.js';
import { run } from '../cli/run.js';
import { renderJson, writeJsonReport } from '../../src/report/json.js';
import type { Report } from '../../src/report/types.js';
import { startKubeStandIn } from './kube-stand-in.js';

const SHAPE = { namespaces: 12, vllmDeployments: 3, plainDeployments: 2, plainPods: 2 };
const PAGE = 7;

async function audit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { status, stdout, stderr } = await run(['audit', ...args], { drained: true });
  return { code: status, stdout, stderr };
}

t.test('many small pages: every object reviewed once, the report complete and in order', async (t) => {
  const standIn = await startKubeStandIn({ generated: generatedCluster(SHAPE), onlyGenerated: true });
  t.teardown(() => standIn.close());
  const dir = t.testdir({ 'config.yaml': `audit:\n  pageSize: ${PAGE}\n` });
  writeFileSync(path.join(dir, 'kubeconfig'), standIn.kubeconfig());
  const run = await audit(['--kubeconfig', path.join(dir, 'kubeconfig'), '--config', path.join(dir, 'config.yaml'), '-o', 'json', '--write-reports']);

  const deploymentLists = standIn.requests.filter((r) => r.method === 'GET' && r.path === '/apis/apps/v1/deployments');
  const deployments = SHAPE.namespaces * (SHAPE.vllmDeployments + SHAPE.plainDeployments);
  t.equal(deploymentLists.length, Math.ceil(deployments / PAGE), 'Deployments came in pages of audit.pageSize');
  t.ok(deploymentLists.every((r) => r.query.get('limit') === String(PAGE)));

  const report = JSON.parse(run.stdout) as { results: { source: string; namespace: string; vllm: boolean }[]; summary: Record<string, number> };
  t.equal(report.results.length, SHAPE.namespaces * SHAPE.vllmDeployments, 'one result per vLLM Deployment, none twice');
  t.ok(report.results.every((r) => r.vllm));
  const sources = report.results.map((r) => r.source);
  const expected = Array.from({ length: SHAPE.namespaces }, (_, n) => Array.from({ length: SHAPE.vllmDeployments }, (_, i) => `cluster:${namespaceName(n)}/Deployment/llm-0${i}`)).flat();
  t.same(sources, expected, 'namespace, kind, name order');
  t.match(report.summary, { resources: objectCount(SHAPE), vllm: SHAPE.namespaces * SHAPE.vllmDeployments });
  t.ok((report.summary.deny ?? 0) > 0, 'the bad examples are denied');
  t.match(run.stderr, `audit of all namespaces: ${objectCount(SHAPE)} objects listed in ${SHAPE.namespaces} namespaces`);
  t.match(run.stderr, /complete;/);

  const reports = [...standIn.objects.keys()].filter((k) => k.startsWith('wgpolicyk8s.io/policyreports/'));
  t.equal(reports.length, SHAPE.namespaces, 'one PolicyReport per namespace');
  const names = Array.from({ length: SHAPE.namespaces }, (_, n) => namespaceName(n)).join(', ');
  t.match(run.stderr, `PolicyReports: ${SHAPE.namespaces} created (${names}), 0 updated, 0 stale deleted`, 'written in batches, reported in order');
});

t.test('the streamed JSON is the text renderJson makes', async (t) => {
  const finding = { policy: 'image-pinned', action: 'deny', severity: 'high', message: 'pin "x"\nplease', remediation: 'r', path: 'spec', container: 'c', checklist: { phase: 'p', section: 's', item: 'i' }, owner: 'o', outcome: 'violation' };
  const result = (name: string) => ({ source: `cluster:ns/Deployment/${name}`, kind: 'Deployment', namespace: 'ns', name, vllm: true, notes: ['a note'], findings: [finding] });
  for (const results of [[], [result('a')], [result('a'), result('b')]]) {
    const report = { results, errors: [{ source: 'cluster:*/Pod', message: 'gap' }], summary: { resources: 3, vllm: 2, deny: 2, warn: 0, audit: 0 } } as unknown as Report;
    const chunks: string[] = [];
    await writeJsonReport(report.results, report.errors, report.summary, { write: (text) => chunks.push(text) });
    t.equal(chunks.join(''), renderJson(report), `${results.length} results`);
  }
});
