// Reports, chosen by flag: --report-format openreports writes openreports.io/v1alpha1 Reports with
// the same results and summary as the wgpolicyk8s.io PolicyReports, against the API stand-in.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startKubeStandIn } from '../audit/kube-stand-in.js';
import { run } from './run.js';

type Stored = { apiVersion: string; kind: string; source?: string; metadata: { name: string; namespace: string }; summary: Record<string, number>; results: { policy: string; result: string; timestamp?: unknown }[] };

async function audit(t: Tap, format: string | null): Promise<{ stored: Map<string, Stored>; stderr: string; status: number }> {
  const standIn = await startKubeStandIn({ forbidden: [], missingGroups: ['leaderworkerset.x-k8s.io/v1'] });
  t.teardown(() => standIn.close());
  const dir = t.testdir({});
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, standIn.kubeconfig());
  const { status, stderr } = await run(['audit', '--kubeconfig', kubeconfig, '--write-reports', ...(format ? ['--report-format', format] : []), '-o', 'json']);
  const stored = new Map([...standIn.objects.entries()].filter(([k]) => !k.startsWith('coordination')).map(([k, v]) => [k, v as unknown as Stored]));
  return { stored, stderr, status };
}
type Tap = { teardown(fn: () => void): void; testdir(spec?: Record<string, never>): string };

t.test('openreports: one Report per namespace, the same results as the PolicyReports', async (t) => {
  const open = await audit(t, 'openreports');
  t.match(open.stderr, /^Reports: 3 created/m);
  t.same([...open.stored.keys()].sort(), ['openreports.io/reports/batch/vllm-guard', 'openreports.io/reports/ml-serving/vllm-guard', 'openreports.io/reports/research/vllm-guard']);
  const report = open.stored.get('openreports.io/reports/ml-serving/vllm-guard');
  t.match(report, { apiVersion: 'openreports.io/v1alpha1', kind: 'Report', source: 'vllm-guard', metadata: { name: 'vllm-guard', namespace: 'ml-serving' } });

  const policy = await audit(t, null);
  t.match(policy.stderr, /^PolicyReports: 3 created/m, 'the default is still the PolicyReport');
  const legacy = policy.stored.get('wgpolicyk8s.io/policyreports/ml-serving/vllm-guard');
  t.match(legacy, { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport' });
  t.equal(legacy?.source, undefined);
  const strip = (r: Stored | undefined) => r?.results.map(({ timestamp: _t, ...rest }) => rest);
  t.same(strip(report), strip(legacy), 'same results');
  t.same(report?.summary, legacy?.summary, 'same summary');
  t.ok((report?.results.length ?? 0) > 0);
});

t.test('an unknown format is a usage error', async (t) => {
  const { status, stderr } = await run(['audit', '--write-reports', '--report-format', 'kyverno']);
  t.equal(status, 2);
  t.match(stderr, /argument 'kyverno' is invalid. Allowed choices are policyreport, openreports/);
});
