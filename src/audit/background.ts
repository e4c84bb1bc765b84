/**
 * The background audit in the server (`--audit-interval`, off by default): at each tick the
 * replica that holds the Lease audits the cluster with the serving engine, exports the gauges
 * and writes the PolicyReports when enabled. Failures are logged, never thrown.
 * With a Watcher, the first tick lists everything and opens a watch per kind; later ticks apply
 * nothing new to the cluster and write only the reports of namespaces whose results changed. A
 * failed watch, a policy reload or losing the Lease sends the next tick back to a full list.
 * @module
 */
import { describeError } from '../errors.js';
import type { Engine } from '../engine/api.js';
import { tryAcquireLease, type LeaseApi } from './lease.js';
import type { Lister } from './lister.js';
import { startWatches, type WatchState } from './background-watch.js';
import { AUDIT_KINDS } from './kinds.js';
import { recordAuditRun, recordFindings, type AuditMetrics } from './metrics.js';
import { buildPolicyReports, REPORT_NAME } from './policy-report.js';
import { writePolicyReports, type ReportStore } from './report-writer.js';
import { scanCluster } from './scanner.js';
import type { Watcher } from './watcher.js';
import { createWorkloadIndex } from './workload-index.js';

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
  /** Set to follow changes with watches between full lists (kube-watcher.ts); without it every tick lists everything. */
  watcher?: Watcher;
  now?: () => Date;
}

/** 'updated': the watches were healthy, only the changed namespaces were written. */
export type TickOutcome = 'audited' | 'updated' | 'not-leader' | 'failed';

export interface BackgroundAudit {
  /** One tick, as the timer runs it; exposed for tests. */
  tick(): Promise<TickOutcome>;
  stop(): Promise<void>;
}

/** A full list of the cluster; with a watcher, also the index and the watches that follow it. */
async function audit(opts: BackgroundAuditOptions, now: () => Date): Promise<WatchState | null> {
  const engine = opts.getEngine();
  const index = opts.watcher ? createWorkloadIndex(opts.teamLabel ?? 'team') : null;
  const run = await scanCluster(engine, opts.lister, {
    pageSize: opts.pageSize,
    now: now(),
    ...(opts.teamLabel ? { teamLabel: opts.teamLabel } : {}),
    ...(index ? { onVisit: (visit) => index.listed(visit) } : {}),
  });
  recordAuditRun(opts.metrics, run, now());
  const s = run.report.summary;
  const fields = { listed: run.stats.listed, workloads: s.resources, vllm: s.vllm, deny: s.deny, warn: s.warn, audit: s.audit, durationMs: Math.round(run.stats.durationMs) };
  for (const gap of run.gaps.filter((g) => g.incomplete)) opts.logger.warn({ kind: gap.kind, reason: gap.reason, status: gap.status, hint: gap.hint }, 'background audit could not list a kind');
  opts.logger.info(fields, 'background audit finished');
  // Opened before the reports are written, so no change made meanwhile is missed.
  const complete = !run.gaps.some((g) => g.incomplete);
  const watches = index && opts.watcher && complete ? await startWatches({ watcher: opts.watcher, kinds: AUDIT_KINDS, versions: run.listVersions, index, engine, now }) : null;
  index?.takeChanged();
  if (!opts.reports) return watches;
  const reports = buildPolicyReports(run.report.results, engine.policies.policies, engine.config, { now: run.startedAt });
  const outcome = await writePolicyReports(opts.reports, reports, { namespace: null, prune: complete });
  logWrite(opts, outcome);
  return watches;
}

function logWrite(opts: BackgroundAuditOptions, outcome: Awaited<ReturnType<typeof writePolicyReports>>, changed?: number): void {
  const level = outcome.failures.length ? 'warn' : 'info';
  opts.logger[level]({ ...(changed !== undefined ? { changedNamespaces: changed } : {}), created: outcome.created.length, updated: outcome.updated.length, deleted: outcome.deleted.length, failures: outcome.failures }, 'PolicyReports written');
}

/** A tick with healthy watches: the gauges from the index, and the reports of the namespaces that changed. */
async function update(opts: BackgroundAuditOptions, state: WatchState, now: () => Date): Promise<void> {
  const started = performance.now();
  const changed = state.index.takeChanged();
  const events = state.events;
  state.events = 0;
  const at = now();
  recordFindings(opts.metrics, state.index.results(), at, performance.now() - started, 0);
  opts.logger.info({ events, changedNamespaces: changed.length }, 'background audit updated from watches');
  if (!opts.reports || changed.length === 0) return;
  const engine = state.engine;
  const withResults = changed.filter((ns) => ns !== '' && state.index.resultsIn(ns).length > 0);
  const reports = (function* () {
    for (const ns of withResults) yield* buildPolicyReports(state.index.resultsIn(ns), engine.policies.policies, engine.config, { now: at });
  })();
  const outcome = await writePolicyReports(opts.reports, reports, { namespace: null, prune: false });
  // A namespace whose last reported workload went away: its report goes too.
  for (const ns of changed.filter((n) => n !== '' && !withResults.includes(n))) {
    try {
      await opts.reports.remove({ namespace: ns, name: REPORT_NAME });
      outcome.deleted.push(ns);
    } catch (err: unknown) {
      outcome.failures.push({ namespace: ns, message: describeError(err) });
    }
  }
  logWrite(opts, outcome, changed.length);
}

/**
 * Starts the timer: a first tick after min(10 s, intervalSeconds), then one every intervalSeconds
 * (seconds; a tick still running is not doubled), holding the Lease for max(60, 2 × intervalSeconds)
 * seconds. The timers do not keep the process alive; `stop()` clears them without awaiting a run.
 * Nothing here throws: a failed tick is logged and answers 'failed'.
 */
export function startBackgroundAudit(opts: BackgroundAuditOptions): BackgroundAudit {
  const now = opts.now ?? (() => new Date());
  // Held for two intervals: a leader that dies is replaced at most two ticks later.
  const leaseSeconds = Math.max(60, opts.intervalSeconds * 2);
  let running: Promise<TickOutcome> | null = null;
  let stopped = false;
  let watches: WatchState | null = null;
  const dropWatches = (): void => {
    watches?.stop();
    watches = null;
  };
  const tick = async (): Promise<TickOutcome> => {
    try {
      const leader = await tryAcquireLease(opts.lease, opts.identity, leaseSeconds, now());
      opts.metrics.leader.set(leader ? 1 : 0);
      if (!leader) {
        // Another replica exports the findings; two replicas exporting them would double every sum.
        opts.metrics.findings.reset();
        dropWatches();
        return 'not-leader';
      }
      if (watches?.healthy && watches.engine === opts.getEngine()) {
        await update(opts, watches, now);
        return 'updated';
      }
      if (watches?.staleReason) opts.logger.warn({ reason: watches.staleReason }, 'background audit lists everything again');
      dropWatches();
      watches = await audit(opts, now);
      if (stopped) dropWatches();
      return 'audited';
    } catch (err: unknown) {
      dropWatches();
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
      dropWatches();
      clearInterval(timer);
      clearTimeout(first);
      // A run in progress is not awaited: it can take longer than the shutdown grace period,
      // and each report it writes is one atomic update.
      await Promise.resolve();
    },
  };
}
