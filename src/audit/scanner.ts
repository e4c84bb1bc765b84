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
import { describeGap, isFatal, type AuditGap } from './gaps.js';
import { createRelatedLister, type RelatedLister } from './related-lister.js';
import { AUDIT_KINDS, type AuditKind } from './kinds.js';
import type { Lister } from './lister.js';
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
  if (uid && object.kind !== 'Pod') state.checkedUids.add(uid);
  let review = reviewObject(engine, object, { now });
  // A vLLM workload is reviewed again with the objects around it in its namespace (listed once).
  if (review.vllm) review = reviewObject(engine, object, { now, related: await related.forNamespace(namespace) });
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
  const related = createRelatedLister(lister, { pageSize: options.pageSize });
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
        // Checked before the items: the ceiling holds even when one page is larger than asked for.
        const room = bounds.maxObjects - state.stats.listed;
        const items = page.items.length > room ? page.items.slice(0, Math.max(0, room)) : page.items;
        for (const item of items) await visit(engine, item, state, options, startedAt, related);
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

  gaps.push(...related.gaps);
  state.results.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  state.stats.namespaces = [...state.namespaces].sort();
  state.stats.durationMs = performance.now() - started;
  const errors = gaps.filter((g) => g.incomplete).map((g) => ({ source: `cluster:${g.namespace ?? '*'}/${g.kind}`, message: `${g.message}. ${g.hint}` }));
  // resources counts every workload reviewed, not only the ones kept for the report.
  const summary = { ...summarize(state.results), resources: state.stats.evaluated };
  return { report: { results: state.results, errors, summary }, gaps, stats: state.stats, startedAt, scope: namespace ?? 'all namespaces' };
}
