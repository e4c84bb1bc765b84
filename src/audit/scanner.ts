/**
 * The audit itself: lists each kind page by page, checks every workload with the same engine,
 * config, modes and waivers as the webhook, and passes over objects whose controller was
 * already checked. Only results worth showing are kept, so memory follows the number of
 * vLLM workloads and controllers, not the number of pods.
 * @module
 */
import { reviewObject, type Engine } from '../engine/api.js';
import type { JsonObject } from '../engine/api.js';
import { summarize, type Report, type ReportResult } from '../report/types.js';
import { describeGap, isFatal, notServedGap, outOfScopeGap, type AuditGap } from './gaps.js';
import { atVersion, AUDIT_KINDS, type AuditKind } from './kinds.js';
import { ListFailure, type Lister } from './lister.js';
import { createRelatedLister, type RelatedLister } from './related-lister.js';
import { DEFAULT_PAGE_BOUNDS, pageCutGap, type PageBounds, type PageCut } from './page-bounds.js';

export interface AuditResult extends ReportResult {
  apiVersion: string;
  uid: string | null;
  /** The owner team: the team label, else the namespace. */
  team: string;
}

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
  report: Omit<Report, 'results'> & { results: AuditResult[] };
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
}

function record(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function controllerUid(metadata: JsonObject): string | null {
  const refs = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences : [];
  const controller = refs.map(record).find((ref) => ref.controller === true);
  return controller ? text(controller.uid) : null;
}

function teamOf(object: JsonObject, metadata: JsonObject, label: string, namespace: string): string {
  const own = text(record(metadata.labels)[label]);
  if (own) return own;
  const template = record(record(record(object.spec).template).metadata);
  return text(record(template.labels)[label]) ?? namespace;
}

interface ScanState {
  checkedUids: Set<string>;
  namespaces: Set<string>;
  results: AuditResult[];
  stats: AuditStats;
}

async function visit(engine: Engine, object: JsonObject, state: ScanState, options: ScanOptions, now: Date, related: RelatedLister): Promise<void> {
  const metadata = record(object.metadata);
  const namespace = text(metadata.namespace) ?? '';
  const uid = text(metadata.uid);
  state.stats.listed += 1;
  if (namespace) state.namespaces.add(namespace);
  const owner = controllerUid(metadata);
  if (owner !== null && state.checkedUids.has(owner)) {
    state.stats.skippedOwned += 1;
    // A ReplicaSet skipped for its Deployment still covers the Pods it owns.
    if (uid && object.kind !== 'Pod') state.checkedUids.add(uid);
    return;
  }
  const phase = text(record(object.status).phase);
  if (object.kind === 'Pod' && (phase === 'Succeeded' || phase === 'Failed')) {
    state.stats.skippedFinished += 1;
    return;
  }
  let review = reviewObject(engine, object, { now });
  // A vLLM workload is reviewed again with the objects around it in its namespace (listed once).
  if (review.vllm) review = reviewObject(engine, object, { now, related: await related.forNamespace(namespace) });
  // Only a parent whose pod templates were reviewed covers what it owns: a KAITO preset Workspace or a
  // Rollout with a workloadRef has none, so the Deployment or ReplicaSets its controller makes are checked.
  if (uid && object.kind !== 'Pod' && !review.skipped) state.checkedUids.add(uid);
  state.stats.evaluated += 1;
  if (!review.vllm && review.findings.length === 0) return;
  state.results.push({
    source: `cluster:${namespace}/${review.kind}/${review.name}`,
    apiVersion: review.apiVersion,
    kind: review.kind,
    namespace,
    name: review.name,
    uid,
    team: teamOf(object, metadata, options.teamLabel ?? 'team', namespace),
    vllm: review.vllm,
    ...(review.skipped ? { skipped: review.skipped } : {}),
    notes: review.notes,
    findings: review.findings,
  });
}

interface ScanContext {
  namespace: string | null;
  bounds: PageBounds;
  now: Date;
  served: ReadonlySet<string> | null;
  related: RelatedLister;
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
      // Checked before the items: the ceiling holds even when one page is larger than asked for.
      const room = ctx.bounds.maxObjects - state.stats.listed;
      const items = page.items.length > room ? page.items.slice(0, Math.max(0, room)) : page.items;
      for (const item of items) await visit(engine, item, state, options, ctx.now, ctx.related);
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
    results: [],
    stats: { listed: 0, evaluated: 0, skippedOwned: 0, skippedFinished: 0, namespaces: [], pages: 0, durationMs: 0 },
  };
  const gaps: AuditGap[] = [];
  const served = lister.servedApiVersions ? await lister.servedApiVersions() : null;
  const related = createRelatedLister(lister, { pageSize: options.pageSize });
  const ctx: ScanContext = { namespace, bounds: options.bounds ?? DEFAULT_PAGE_BOUNDS, now: startedAt, served, related };
  for (const kind of options.kinds ?? AUDIT_KINDS) {
    const outcome = await scanKind(engine, lister, kind, state, options, ctx);
    gaps.push(...outcome.gaps);
    if (outcome.stop) break;
  }

  gaps.push(...related.gaps);
  state.results.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  state.stats.namespaces = [...state.namespaces].sort();
  state.stats.durationMs = performance.now() - started;
  const errors = gaps.filter((g) => g.incomplete).map((g) => ({ source: `cluster:${g.namespace ?? '*'}/${g.kind}`, message: `${g.message}. ${g.hint}` }));
  // resources counts every workload reviewed, not only the ones kept for the report.
  const summary = { ...summarize(state.results), resources: state.stats.evaluated };
  return { report: { results: state.results, errors, summary }, gaps, stats: state.stats, startedAt, scope: namespace ?? 'all namespaces' };
}
