/**
 * The background audit's gauges, on the server's registry: findings by policy, namespace and
 * action, and the last run's time and duration. Only the replica that audited exports findings.
 * @module
 */
import { Gauge, type Registry } from 'prom-client';
import type { AuditRun, AuditResult } from './scanner.js';

export interface AuditMetrics {
  readonly findings: Gauge<'policy' | 'namespace' | 'action'>;
  readonly lastRun: Gauge<string>;
  readonly duration: Gauge<string>;
  readonly gaps: Gauge<string>;
  readonly leader: Gauge<string>;
}

/**
 * Registers the background audit's gauges (above) on `registry`. prom-client throws (a plain Error)
 * when a registry already holds them: call once per registry.
 */
export function createAuditMetrics(registry: Registry): AuditMetrics {
  const registers = [registry];
  return {
    findings: new Gauge({
      name: 'vllm_guard_audit_findings',
      help: 'Findings in running workloads at the last background audit, by policy, namespace and action.',
      labelNames: ['policy', 'namespace', 'action'],
      registers,
    }),
    lastRun: new Gauge({ name: 'vllm_guard_audit_last_run_timestamp_seconds', help: 'When the last background audit finished (Unix seconds).', registers }),
    duration: new Gauge({ name: 'vllm_guard_audit_last_run_duration_seconds', help: 'How long the last background audit took.', registers }),
    gaps: new Gauge({ name: 'vllm_guard_audit_last_run_gaps', help: 'Lists the last background audit could not read (403, unreachable, …).', registers }),
    leader: new Gauge({ name: 'vllm_guard_audit_leader', help: '1 on the replica that holds the audit Lease.', registers }),
  };
}

/**
 * Sets the gauges from a finished run: findings by policy, namespace and action, finishedAt as Unix
 * seconds, the run's duration in seconds and the count of lists it could not read whole. Never throws.
 */
export function recordAuditRun(metrics: AuditMetrics, run: AuditRun, finishedAt: Date): void {
  recordFindings(metrics, run.report.results, finishedAt, run.stats.durationMs, run.gaps.filter((g) => g.incomplete).length);
}

/** The gauges from a set of results (a full run's, or the watch's index after an update); durationMs in ms. */
export function recordFindings(metrics: AuditMetrics, results: Iterable<AuditResult>, finishedAt: Date, durationMs: number, gaps: number): void {
  metrics.findings.reset();
  const counts = new Map<string, { policy: string; namespace: string; action: string; n: number }>();
  for (const result of results) {
    for (const f of result.findings) {
      const key = `${f.policy}\u0000${result.namespace}\u0000${f.action}`;
      const entry = counts.get(key) ?? { policy: f.policy, namespace: result.namespace, action: f.action, n: 0 };
      entry.n += 1;
      counts.set(key, entry);
    }
  }
  for (const c of counts.values()) metrics.findings.set({ policy: c.policy, namespace: c.namespace, action: c.action }, c.n);
  metrics.lastRun.set(finishedAt.getTime() / 1000);
  metrics.duration.set(durationMs / 1000);
  metrics.gaps.set(gaps);
}
