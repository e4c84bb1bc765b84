/**
 * The audit itself: lists each kind page by page, checks every workload with the same engine,
 * config, modes and waivers as the webhook, and passes over objects whose controller was
 * already checked. Only results worth showing are kept, so memory follows the number of
 * vLLM workloads and controllers, not the number of pods.
 * @module
 */
import type { Engine, JsonObject } from '../engine/api.js';
import type { Report, ReportSummary } from '../report/types.js';
import { describeGap, isFatal, notServedGap, outOfScopeGap, type AuditGap } from './gaps.js';
import { atVersion, AUDIT_KINDS, type AuditKind } from './kinds.js';
import { ListFailure, type Lister } from './lister.js';
import { createRelatedLister } from './related-lister.js';
import { DEFAULT_PAGE_BOUNDS, pageCutGap, type PageBounds, type PageCut } from './page-bounds.js';
import { createMemoryStore, type ResultStore } from './result-spool.js';
import { detectionProbe, visitWithRelated, type AuditResult, type RelatedLookup, type Visit } from './visit.js';

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

async function visit(engine: Engine, object: JsonObject, state: ScanState, options: ScanOptions, now: Date, related: RelatedLookup): Promise<void> {
  // A vLLM workload is reviewed with the objects around it in its namespace (listed once).
  const seen = await visitWithRelated(engine, object, state.checkedUids, options.teamLabel ?? 'team', now, related);
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

interface ScanContext {
  namespace: string | null;
  bounds: PageBounds;
  now: Date;
  served: ReadonlySet<string> | null;
  /** The related sets, and the probe saying which workloads need one. */
  lookup: RelatedLookup;
  /** The resourceVersion of each kind's first page, for a watch to start from. */
  listVersions: Map<string, string>;
}

interface KindOutcome {
  gaps: AuditGap[];
  /** Stop listing the kinds after this one (an unreachable server, the object ceiling). */
  stop: boolean;
}

/** Lists one kind at one group/version page by page; a failure before the first object is rethrown as is. */
async function listKind(engine: Engine, lister: Lister, kind: AuditKind, state: ScanState, options: ScanOptions, ctx: ScanContext): Promise<KindOutcome> {
  let continueToken: string | undefined;
  let listed = 0;
  let pages = 0;
  const seenTokens = new Set<string>();
  let cut: PageCut | null = null;
  const gaps: AuditGap[] = [];
  let stop = false;
  try {
    do {
      const page = await lister.list(kind, { namespace: ctx.namespace, limit: options.pageSize, ...(continueToken ? { continueToken } : {}) });
      state.stats.pages += 1;
      pages += 1;
      if (pages === 1 && page.resourceVersion) ctx.listVersions.set(kind.kind, page.resourceVersion);
      // Checked before the items: the ceiling holds even when one page is larger than asked for.
      const room = ctx.bounds.maxObjects - state.stats.listed;
      const items = page.items.length > room ? page.items.slice(0, Math.max(0, room)) : page.items;
      for (const item of items) await visit(engine, item, state, options, ctx.now, ctx.lookup);
      listed += items.length;
      continueToken = page.continueToken;
      options.onProgress?.({ kind: kind.kind, objects: state.stats.listed, namespaces: state.namespaces.size });
      if (items.length < page.items.length || (continueToken && state.stats.listed >= ctx.bounds.maxObjects)) cut = 'object-limit';
      else if (continueToken && seenTokens.has(continueToken)) cut = 'repeated-continue';
      else if (continueToken && pages >= ctx.bounds.maxPagesPerKind) cut = 'page-limit';
      if (continueToken) seenTokens.add(continueToken);
    } while (continueToken && cut === null);
  } catch (err: unknown) {
    // A CRD's API that is not served answers 404 before anything is listed: the caller tries its next version.
    if (pages === 0 && kind.optional && err instanceof ListFailure && err.reason === 'missing-api') throw err;
    const gap = describeGap(kind, ctx.namespace, err, listed);
    gaps.push(gap);
    stop = isFatal(gap);
  }
  if (cut !== null) {
    gaps.push(pageCutGap(kind, ctx.namespace, cut, { pages, listedBefore: listed, bounds: ctx.bounds }));
    // The ceiling is for the whole audit: the kinds after this one are not listed (the gap says so).
    stop ||= cut === 'object-limit';
  }
  return { gaps, stop };
}

/**
 * One kind: a cluster-scoped kind is left out of a one-namespace audit; a CRD is listed at the first of
 * its versions the cluster serves (API discovery when the Lister has it, else a 404 moves to the next);
 * a CRD no version of which is served is a note (notServedGap), not a gap.
 */
async function scanKind(engine: Engine, lister: Lister, kind: AuditKind, state: ScanState, options: ScanOptions, ctx: ScanContext): Promise<KindOutcome> {
  if (!kind.namespaced && ctx.namespace !== null) return { gaps: [outOfScopeGap(kind, ctx.namespace)], stop: false };
  const versions = kind.optional && ctx.served ? kind.apiVersions.filter((v) => ctx.served?.has(v)) : kind.apiVersions;
  let status: number | null = null;
  for (const version of versions) {
    try {
      return await listKind(engine, lister, atVersion(kind, version), state, options, ctx);
    } catch (err: unknown) {
      status = err instanceof ListFailure ? err.status : null;
    }
  }
  return { gaps: [notServedGap(kind, status)], stop: false };
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
  const served = lister.servedApiVersions ? await lister.servedApiVersions() : null;
  // The related lister asks for no kind the scan found not served (ServingRuntime is both a workload and related).
  const notServed = new Set<string>();
  const kinds = options.kinds ?? AUDIT_KINDS;
  const related = createRelatedLister(lister, { pageSize: options.pageSize, apis: { served, notServed, scanned: new Set(kinds.map((k) => k.kind)), namespaceOnly: namespace !== null } });
  const listVersions = new Map<string, string>();
  const lookup: RelatedLookup = { probe: detectionProbe(engine), forNamespace: (ns) => related.forNamespace(ns) };
  const ctx: ScanContext = { namespace, bounds: options.bounds ?? DEFAULT_PAGE_BOUNDS, now: startedAt, served, lookup, listVersions };
  for (const kind of kinds) {
    const outcome = await scanKind(engine, lister, kind, state, options, ctx);
    for (const gap of outcome.gaps) if (gap.reason === 'missing-api') for (const v of kind.apiVersions) notServed.add(`${v}/${kind.kind}`);
    gaps.push(...outcome.gaps);
    if (outcome.stop) break;
  }

  gaps.push(...related.gaps);
  const results = options.store ? [] : [...state.store.sorted()];
  state.stats.namespaces = [...state.namespaces].sort();
  state.stats.durationMs = performance.now() - started;
  const errors = gaps.filter((g) => g.incomplete).map((g) => ({ source: `cluster:${g.namespace ?? '*'}/${g.kind}`, message: `${g.message}. ${g.hint}` }));
  // resources counts every workload reviewed, not only the ones kept for the report.
  const summary = { ...state.summary, resources: state.stats.evaluated };
  return { report: { results, errors, summary }, store: state.store, listVersions, gaps, stats: state.stats, startedAt, scope: namespace ?? 'all namespaces' };
}
