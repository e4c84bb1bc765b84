/**
 * The background audit in the server (`--audit-interval`, off by default): at each tick the
 * replica that holds the Lease scans the cluster with the serving engine, exports the gauges
 * and writes the PolicyReports when enabled. Failures are logged, never thrown.
 * @module
 */
import { describeError } from '../errors.js';
import type { Engine } from '../engine/api.js';
import { tryAcquireLease, type LeaseApi } from './lease.js';
import type { Lister } from './lister.js';
import { recordAuditRun, type AuditMetrics } from './metrics.js';
import { buildPolicyReports } from './policy-report.js';
import { writePolicyReports, type ReportStore } from './report-writer.js';
import { scanCluster } from './scanner.js';

export interface AuditLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface BackgroundAuditOptions {
  intervalSeconds: number;
  /** The engine serving now, so a policy reload applies to the next audit. */
  getEngine: () => Engine;
  lister: Lister;
  lease: LeaseApi;
  identity: string;
  metrics: AuditMetrics;
  logger: AuditLogger;
  pageSize: number;
  teamLabel?: string;
  /** Set to write PolicyReports after each run. */
  reports?: ReportStore;
  now?: () => Date;
}

export type TickOutcome = 'audited' | 'not-leader' | 'failed';

export interface BackgroundAudit {
  /** One tick, as the timer runs it; exposed for tests. */
  tick(): Promise<TickOutcome>;
  stop(): Promise<void>;
}

async function audit(opts: BackgroundAuditOptions, now: () => Date): Promise<void> {
  const engine = opts.getEngine();
  const run = await scanCluster(engine, opts.lister, { pageSize: opts.pageSize, now: now(), ...(opts.teamLabel ? { teamLabel: opts.teamLabel } : {}) });
  recordAuditRun(opts.metrics, run, now());
  const s = run.report.summary;
  const fields = { listed: run.stats.listed, workloads: s.resources, vllm: s.vllm, deny: s.deny, warn: s.warn, audit: s.audit, durationMs: Math.round(run.stats.durationMs) };
  for (const gap of run.gaps.filter((g) => g.incomplete)) opts.logger.warn({ kind: gap.kind, reason: gap.reason, status: gap.status, hint: gap.hint }, 'background audit could not list a kind');
  opts.logger.info(fields, 'background audit finished');
  if (!opts.reports) return;
  const reports = buildPolicyReports(run.report.results, engine.policies.policies, engine.config, { now: run.startedAt });
  const outcome = await writePolicyReports(opts.reports, reports, { namespace: null, prune: !run.gaps.some((g) => g.incomplete) });
  const level = outcome.failures.length ? 'warn' : 'info';
  opts.logger[level]({ created: outcome.created.length, updated: outcome.updated.length, deleted: outcome.deleted.length, failures: outcome.failures }, 'PolicyReports written');
}

export function startBackgroundAudit(opts: BackgroundAuditOptions): BackgroundAudit {
  const now = opts.now ?? (() => new Date());
  // Held for two intervals: a leader that dies is replaced at most two ticks later.
  const leaseSeconds = Math.max(60, opts.intervalSeconds * 2);
  let running: Promise<TickOutcome> | null = null;
  let stopped = false;
  const tick = async (): Promise<TickOutcome> => {
    try {
      const leader = await tryAcquireLease(opts.lease, opts.identity, leaseSeconds, now());
      opts.metrics.leader.set(leader ? 1 : 0);
      if (!leader) {
        // Another replica exports the findings; two replicas exporting them would double every sum.
        opts.metrics.findings.reset();
        return 'not-leader';
      }
      await audit(opts, now);
      return 'audited';
    } catch (err: unknown) {
      opts.logger.error({ err: describeError(err) }, 'background audit failed');
      return 'failed';
    }
  };
  const run = (): void => {
    if (stopped || running) return;
    running = tick().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(run, opts.intervalSeconds * 1000);
  timer.unref();
  // The first audit starts soon after start-up, not one whole interval later.
  const first = setTimeout(run, Math.min(10_000, opts.intervalSeconds * 1000));
  first.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      // A run in progress is not awaited: it can take longer than the shutdown grace period,
      // and each report it writes is one atomic update.
      await Promise.resolve();
    },
  };
}
