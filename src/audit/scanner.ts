/**
 * The audit itself: lists each kind page by page, checks every workload with the same engine,
 * config, modes and waivers as the webhook, and passes over objects whose controller was
 * already checked. Only results worth showing are kept, so memory follows the number of
 * vLLM workloads and controllers, not the number of pods.
 * @module
 */
import type { Engine, JsonObject } from '../engine/api.js';
import type { Report, ReportSummary } from '../report/types.js';
import { describeGap, isFatal, type AuditGap } from './gaps.js';
import { AUDIT_KINDS, type AuditKind } from './kinds.js';
import type { Lister } from './lister.js';
import { DEFAULT_PAGE_BOUNDS, pageCutGap, type PageBounds, type PageCut } from './page-bounds.js';
import { createMemoryStore, type ResultStore } from './result-spool.js';
import { visitObject, type AuditResult, type Visit } from './visit.js';

export type { AuditResult } from './visit.js';

export interface AuditStats {
  /** Objects the API server returned, of every kind. */
  listed: number;
  /** Workloads the engine reviewed. */
  evaluated: number;
  /** Objects passed over because their controller was checked. */
  skippedOwned: number;
  /** Pods that have finished (Succeeded, Failed). */
  skippedFinished: number;
  namespaces: string[];
  pages: number;
  durationMs: number;
}

export interface AuditRun {
  /** `results` is empty when the scan was given a store: read them from `store`. */
  report: Omit<Report, 'results'> & { results: AuditResult[] };
  /** Every kept result (report.results, or the store given in the options). */
  store: ResultStore;
  /** The resourceVersion of each kind's list (its first page), for a watch to start from. */
  listVersions: Map<string, string>;
  gaps: AuditGap[];
  stats: AuditStats;
  startedAt: Date;
  /** 'all namespaces' or the namespace given with -n. */
  scope: string;
}

export interface ScanProgress {
  kind: string;
  objects: number;
  namespaces: number;
}

export interface ScanOptions {
  namespace?: string | null;
  pageSize: number;
  /** Label naming the owner team (default `team`). */
  teamLabel?: string;
  now?: Date;
  kinds?: readonly AuditKind[];
  onProgress?: (progress: ScanProgress) => void;
  /** Page and object ceilings (DEFAULT_PAGE_BOUNDS when absent). */
  bounds?: PageBounds;
  /**
   * Where results go as each page is reviewed (createFileSpool for a large audit); the caller
   * reads them from run.store and closes it. Default: in memory, returned in report.results.
   */
  store?: ResultStore;
  /** Called for every listed object, reviewed or passed over (the background audit's index). */
  onVisit?: (visit: Visit) => void;
}

/** Adds one kept result's counts to the summary (resources is set from the stats at the end). */
export function addToSummary(summary: ReportSummary, result: AuditResult): void {
  if (result.vllm) summary.vllm += 1;
  for (const finding of result.findings) {
    if (finding.action === 'deny' || finding.action === 'warn' || finding.action === 'audit') summary[finding.action] += 1;
  }
}

interface ScanState {
  checkedUids: Set<string>;
  namespaces: Set<string>;
  store: ResultStore;
  summary: ReportSummary;
  stats: AuditStats;
}

function visit(engine: Engine, object: JsonObject, state: ScanState, options: ScanOptions, now: Date): void {
  const seen = visitObject(engine, object, state.checkedUids, options.teamLabel ?? 'team', now);
  state.stats.listed += 1;
  if (seen.namespace) state.namespaces.add(seen.namespace);
  if (seen.outcome === 'owned') state.stats.skippedOwned += 1;
  else if (seen.outcome === 'finished') state.stats.skippedFinished += 1;
  else state.stats.evaluated += 1;
  options.onVisit?.(seen);
  if (!seen.result) return;
  addToSummary(state.summary, seen.result);
  state.store.add(seen.result);
}

/** Never throws for a cluster problem: what could not be listed becomes a gap. */
export async function scanCluster(engine: Engine, lister: Lister, options: ScanOptions): Promise<AuditRun> {
  const started = performance.now();
  const startedAt = options.now ?? new Date();
  const namespace = options.namespace ?? null;
  const state: ScanState = {
    checkedUids: new Set(),
    namespaces: new Set(namespace ? [namespace] : []),
    store: options.store ?? createMemoryStore(),
    summary: { resources: 0, vllm: 0, deny: 0, warn: 0, audit: 0 },
    stats: { listed: 0, evaluated: 0, skippedOwned: 0, skippedFinished: 0, namespaces: [], pages: 0, durationMs: 0 },
  };
  const gaps: AuditGap[] = [];
  const listVersions = new Map<string, string>();
  const bounds = options.bounds ?? DEFAULT_PAGE_BOUNDS;
  for (const kind of options.kinds ?? AUDIT_KINDS) {
    let continueToken: string | undefined;
    let listed = 0;
    let pages = 0;
    const seenTokens = new Set<string>();
    let cut: PageCut | null = null;
    try {
      do {
        const page = await lister.list(kind, { namespace, limit: options.pageSize, ...(continueToken ? { continueToken } : {}) });
        state.stats.pages += 1;
        pages += 1;
        if (pages === 1 && page.resourceVersion) listVersions.set(kind.kind, page.resourceVersion);
        // Checked before the items: the ceiling holds even when one page is larger than asked for.
        const room = bounds.maxObjects - state.stats.listed;
        const items = page.items.length > room ? page.items.slice(0, Math.max(0, room)) : page.items;
        for (const item of items) visit(engine, item, state, options, startedAt);
        listed += items.length;
        continueToken = page.continueToken;
        options.onProgress?.({ kind: kind.kind, objects: state.stats.listed, namespaces: state.namespaces.size });
        if (items.length < page.items.length || (continueToken && state.stats.listed >= bounds.maxObjects)) cut = 'object-limit';
        else if (continueToken && seenTokens.has(continueToken)) cut = 'repeated-continue';
        else if (continueToken && pages >= bounds.maxPagesPerKind) cut = 'page-limit';
        if (continueToken) seenTokens.add(continueToken);
      } while (continueToken && cut === null);
    } catch (err: unknown) {
      const gap = describeGap(kind, namespace, err, listed);
      gaps.push(gap);
      if (isFatal(gap)) break;
    }
    if (cut !== null) {
      gaps.push(pageCutGap(kind, namespace, cut, { pages, listedBefore: listed, bounds }));
      // The ceiling is for the whole audit: the kinds after this one are not listed (the gap says so).
      if (cut === 'object-limit') break;
    }
  }

  const results = options.store ? [] : [...state.store.sorted()];
  state.stats.namespaces = [...state.namespaces].sort();
  state.stats.durationMs = performance.now() - started;
  const errors = gaps.filter((g) => g.incomplete).map((g) => ({ source: `cluster:${g.namespace ?? '*'}/${g.kind}`, message: `${g.message}. ${g.hint}` }));
  // resources counts every workload reviewed, not only the ones kept for the report.
  const summary = { ...state.summary, resources: state.stats.evaluated };
  return { report: { results, errors, summary }, store: state.store, listVersions, gaps, stats: state.stats, startedAt, scope: namespace ?? 'all namespaces' };
}
