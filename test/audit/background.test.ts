// The background audit over real HTTPS against the STAND-IN kube-apiserver (kube-stand-in.ts):
// the Lease decides which replica audits, the gauges, and the PolicyReports it writes.
import t from 'tap';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { startBackgroundAudit, type AuditLogger } from '../../src/audit/background.js';
import { createKubeLister } from '../../src/audit/kube-lister.js';
import { createKubeReportStore } from '../../src/audit/kube-report-store.js';
import { loadKubeConfig } from '../../src/audit/kubeconfig.js';
import { createKubeLeaseApi } from '../../src/audit/lease.js';
import { createAuditMetrics } from '../../src/audit/metrics.js';
import { loadEngine } from './helpers.js';
import { startKubeStandIn } from './kube-stand-in.js';

const engine = loadEngine();

function quietLogger(lines: string[]): AuditLogger {
  const log = (level: string) => (fields: Record<string, unknown>, message: string) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

t.test('one replica audits at a time; the other takes over when the lease expires', async (t) => {
  const standIn = await startKubeStandIn({ forbidden: ['daemonsets'], missingGroups: ['leaderworkerset.x-k8s.io/v1'] });
  t.teardown(() => standIn.close());
  const file = path.join(t.testdir({}), 'kubeconfig');
  writeFileSync(file, standIn.kubeconfig());
  const kube = loadKubeConfig({ kubeconfig: file }, false);
  let clock = new Date('2026-01-15T10:00:00Z');
  const replica = (identity: string) => {
    const registry = new Registry();
    const lines: string[] = [];
    const audit = startBackgroundAudit({
      intervalSeconds: 3600,
      getEngine: () => engine,
      lister: createKubeLister(kube),
      lease: createKubeLeaseApi(kube, 'vllm-guard', 'vllm-guard-audit'),
      identity,
      metrics: createAuditMetrics(registry),
      logger: quietLogger(lines),
      pageSize: 500,
      reports: createKubeReportStore(kube),
      now: () => clock,
    });
    t.teardown(() => audit.stop());
    return { audit, registry, lines };
  };
  const a = replica('vllm-guard-7d9f-a');
  const b = replica('vllm-guard-7d9f-b');

  t.equal(await a.audit.tick(), 'audited');
  t.equal(await b.audit.tick(), 'not-leader', 'the lease is held');
  const lease = standIn.objects.get('coordination.k8s.io/leases/vllm-guard/vllm-guard-audit') as { spec: Record<string, unknown> };
  t.match(lease.spec, { holderIdentity: 'vllm-guard-7d9f-a', leaseDurationSeconds: 7200, leaseTransitions: 0 });
  t.match(lease.spec.renewTime, /^2026-01-15T10:00:00\.000000Z$/, 'MicroTime with six fractional digits');

  const metrics = await a.registry.metrics();
  t.match(metrics, /vllm_guard_audit_findings\{policy="image-pinned",namespace="ml-serving",action="deny"\} 1/);
  t.match(metrics, /vllm_guard_audit_findings\{policy="gpu-count-matches-parallelism",namespace="research",action="deny"\} 1/);
  t.match(metrics, /vllm_guard_audit_last_run_timestamp_seconds 1768471200/);
  t.match(metrics, /vllm_guard_audit_last_run_duration_seconds \d/);
  t.match(metrics, /vllm_guard_audit_last_run_gaps 1/);
  t.match(metrics, /vllm_guard_audit_leader 1/);
  const other = await b.registry.metrics();
  t.notMatch(other, /vllm_guard_audit_findings\{/, 'the other replica exports no findings');
  t.match(other, /vllm_guard_audit_leader 0/);

  t.ok(standIn.objects.has('wgpolicyk8s.io/policyreports/ml-serving/vllm-guard'), 'PolicyReports written');
  t.match(a.lines.join('\n'), /warn background audit could not list a kind \{"kind":"DaemonSet","reason":"forbidden"/);
  t.match(a.lines.join('\n'), /info PolicyReports written \{"created":3,"updated":0,"deleted":0/);
  t.notMatch(a.lines.join('\n'), /hf-token|Qwen|--model/, 'no object contents in the logs');

  clock = new Date(clock.getTime() + 60_000);
  t.equal(await a.audit.tick(), 'audited', 'the holder renews');
  t.match(b.lines.join('\n'), /^$/, 'the standby logged nothing');
  clock = new Date(clock.getTime() + 7201_000);
  t.equal(await b.audit.tick(), 'audited', 'an expired lease is taken over');
  const taken = standIn.objects.get('coordination.k8s.io/leases/vllm-guard/vllm-guard-audit') as { spec: Record<string, unknown> };
  t.match(taken.spec, { holderIdentity: 'vllm-guard-7d9f-b', leaseTransitions: 1 });
  t.match(b.lines.join('\n'), /info PolicyReports written \{"created":0,"updated":3/);
});

t.test('an API server that cannot be reached is logged, not thrown', async (t) => {
  const file = path.join(t.testdir({}), 'kubeconfig');
  writeFileSync(file, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: x}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n');
  const kube = loadKubeConfig({ kubeconfig: file }, false);
  const lines: string[] = [];
  const audit = startBackgroundAudit({
    intervalSeconds: 3600,
    getEngine: () => engine,
    lister: createKubeLister(kube),
    lease: createKubeLeaseApi(kube, 'vllm-guard', 'vllm-guard-audit'),
    identity: 'x',
    metrics: createAuditMetrics(new Registry()),
    logger: quietLogger(lines),
    pageSize: 500,
  });
  t.teardown(() => audit.stop());
  t.equal(await audit.tick(), 'failed');
  t.match(lines, [/^error background audit failed \{"err":".*ECONNREFUSED/]);
});
