// The audit reviews each vLLM workload with the objects around it in its namespace, listed from
// the STAND-IN kube-apiserver (kube-stand-in.ts): Services, NetworkPolicies, HPAs, PDBs,
// ServiceMonitors, Ingresses, PVCs and ConfigMaps (values resolved from them: related-configmaps.test.ts)
// from test/fixtures/audit; the CRDs it does not serve
// (ScaledObject, PodMonitor, HTTPRoute, InferencePool) are notes and hold no objects; a forbidden
// list makes the facts read from it unknown.
import t from 'tap';
import path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createKubeLister } from '../../src/audit/kube-lister.js';
import { loadKubeConfig } from '../../src/audit/kubeconfig.js';
import { scanCluster, type AuditRun } from '../../src/audit/scanner.js';
import { loadEngine } from './helpers.js';
import { RELATED_AUDIT_KINDS } from '../../src/audit/related-kinds.js';
import { AUDIT_KINDS } from '../../src/audit/kinds.js';

// Kinds listed only as related objects (ServingRuntime is also a workload kind: its notes are the scan's).
const RELATED = new Set(RELATED_AUDIT_KINDS.flat().map((k) => k.kind as string).filter((kind) => !AUDIT_KINDS.some((a) => a.kind === kind)));
import { startKubeStandIn, type StandInOptions } from './kube-stand-in.js';

const engine = loadEngine();
const now = new Date('2026-01-15T10:00:00Z');

async function audit(t: { teardown(fn: () => unknown): void }, options: StandInOptions): Promise<{ run: AuditRun; paths: string[] }> {
  const standIn = await startKubeStandIn({ missingGroups: ['leaderworkerset.x-k8s.io/v1'], ...options });
  t.teardown(() => standIn.close());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vllm-guard-related-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(file, standIn.kubeconfig());
  const run = await scanCluster(engine, createKubeLister(loadKubeConfig({ kubeconfig: file }, false)), { pageSize: 500, now });
  return { run, paths: standIn.requests.map((r) => r.path) };
}

const findings = (run: AuditRun, name: string, policy: string) =>
  run.report.results.filter((r) => r.name === name).flatMap((r) => r.findings.filter((f) => f.policy === policy));

t.test('each vLLM workload is reviewed with the related objects of its namespace', async (t) => {
  const { run, paths } = await audit(t, {});
  // qwen-7b has a Service on the named port, an HPA (min 2), a PDB, a NetworkPolicy and a ServiceMonitor.
  for (const policy of ['service-exposes-server', 'network-policy-covers', 'metrics-scraped', 'disruption-budget', 'storage-access']) {
    t.same(findings(run, 'qwen-7b', policy), [], `qwen-7b: ${policy} passes`);
  }
  t.match(findings(run, 'llama-70b', 'service-exposes-server'), [{ outcome: 'fail', action: 'warn', message: /^Service llama-70b selects the pods of Deployment llama-70b, but no port targets vLLM's --port 8000/ }]);
  t.match(findings(run, 'llama-70b', 'disruption-budget'), [{ outcome: 'fail', message: /runs with a minimum replica count of 1/ }]);
  t.match(findings(run, 'mistral-7b', 'network-policy-covers'), [{ outcome: 'fail', message: /^no NetworkPolicy in namespace research selects the pods of StatefulSet mistral-7b \(labels app=mistral-7b, team=research\)/ }]);
  t.same(findings(run, 'llama-70b', 'network-policy-covers'), [], 'the namespace-wide NetworkPolicy ({} selector) covers llama-70b');
  // The CRDs the stand-in does not serve: one note each for the whole run, not an incomplete audit;
  // not installed means none exist, so llama-70b's single replica is a fact (no ScaledObject scales it).
  t.same(
    run.gaps.filter((g) => RELATED.has(g.kind)).map((g) => [g.kind, g.namespace, g.reason, g.incomplete]),
    [
      ['ScaledObject', null, 'missing-api', false],
      ['PodMonitor', null, 'missing-api', false],
      ['PodMonitoring', null, 'missing-api', false],
      ['ClusterPodMonitoring', null, 'missing-api', false],
      ['HTTPRoute', null, 'missing-api', false],
      ['InferencePool', null, 'missing-api', false],
    ],
  );
  t.equal(run.gaps.find((g) => g.kind === 'InferencePool')?.message, 'inference.networking.k8s.io/v1 InferencePool: not served by this cluster (nor v1alpha2)');
  t.same(run.report.errors, [], 'nothing missed');
  // Related objects are listed per namespace, only where a vLLM workload lives, each API once for the missing ones.
  const related = paths.filter((p) => /\/(services|networkpolicies|servicemonitors|podmonitors|inferencepools)$/.test(p));
  t.ok(related.every((p) => p.includes('/namespaces/')), 'namespaced lists only');
  t.notOk(related.some((p) => p.includes('/namespaces/web/')), 'no related lists where no vLLM workload runs');
  t.equal(related.filter((p) => p.endsWith('/podmonitors')).length, 1, 'a missing API is asked once');
  const pools = related.filter((p) => p.endsWith('/inferencepools'));
  t.match(pools, [/^\/apis\/inference\.networking\.k8s\.io\/v1\/namespaces\/[a-z-]+\/inferencepools$/, /^\/apis\/inference\.networking\.x-k8s\.io\/v1alpha2\/namespaces\/[a-z-]+\/inferencepools$/], 'InferencePool v1 first, then v1alpha2, once each');
  t.equal(pools.length, 2);
});

t.test('a forbidden list is a gap of the namespace, and the facts from it are unknown, never denied', async (t) => {
  const { run } = await audit(t, { forbidden: ['networkpolicies'] });
  const gaps = run.gaps.filter((g) => g.kind === 'NetworkPolicy');
  t.ok(gaps.length >= 2, 'one per namespace audited for related objects');
  t.match(gaps[0], { reason: 'forbidden', incomplete: true, hint: /grant get and list on networkpolicies\.networking\.k8s\.io in namespace/ });
  t.ok(run.report.errors.some((e) => /cannot list NetworkPolicy in namespace ml-serving: 403/.test(e.message)), 'listed as an error of the audit');
  t.match(findings(run, 'mistral-7b', 'network-policy-covers'), [
    { outcome: 'unknown', action: 'warn', message: /^could not be verified \(cannot list NetworkPolicy in namespace research: 403 networkpolicies\.networking\.k8s\.io is forbidden/ },
  ]);
  t.same(findings(run, 'qwen-7b', 'service-exposes-server'), [], 'the other kinds were still listed');
});

t.test('a built-in API the cluster does not serve is a gap: the facts from it are unknown', async (t) => {
  const { run } = await audit(t, { missingGroups: ['leaderworkerset.x-k8s.io/v1', 'policy/v1'] });
  t.match(run.gaps.filter((g) => g.kind === 'PodDisruptionBudget'), [{ namespace: null, reason: 'missing-api', incomplete: true, hint: /does not serve poddisruptionbudgets\.policy policy\/v1/ }]);
  t.match(findings(run, 'qwen-7b', 'disruption-budget'), [{ outcome: 'unknown', action: 'warn', message: /^could not be verified \(cannot list PodDisruptionBudget cluster-wide: 404/ }]);
});
