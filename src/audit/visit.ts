/**
 * One listed object through the audit: passed over when its controller was already checked or
 * it is a finished Pod, else reviewed by the engine and turned into a result when it is worth
 * showing. Shared by the paged scan (scanner.ts) and the watch (watcher.ts).
 * @module
 */
import { reviewObject, type Engine, type JsonObject, type RelatedSet } from '../engine/api.js';
import type { ReportResult } from '../report/types.js';

export interface AuditResult extends ReportResult {
  apiVersion: string;
  uid: string | null;
  /** The owner team: the team label, else the namespace. */
  team: string;
}

/** What became of one object; `result` is null when nothing about it is worth reporting. */
export interface Visit {
  kind: string;
  namespace: string;
  name: string;
  uid: string | null;
  outcome: 'owned' | 'finished' | 'reviewed';
  result: AuditResult | null;
}

export function record(value: unknown): JsonObject {
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

/**
 * Reviews one object in its wire shape. `checkedUids` holds the controllers checked so far: an
 * object they own is passed over, and a non-Pod object's uid is added (a ReplicaSet skipped for its
 * Deployment still covers the Pods it owns). `teamLabel` names the owner team label. `related`: the
 * objects around it in its namespace, when listed (otherwise the facts about them are unknown).
 */
export function visitObject(engine: Engine, object: JsonObject, checkedUids: Set<string>, teamLabel: string, now: Date, related?: RelatedSet): Visit {
  const metadata = record(object.metadata);
  const namespace = text(metadata.namespace) ?? '';
  const uid = text(metadata.uid);
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const base = { kind, namespace, name: text(metadata.name) ?? '', uid, result: null };
  const owner = controllerUid(metadata);
  if (owner !== null && checkedUids.has(owner)) {
    if (uid && kind !== 'Pod') checkedUids.add(uid);
    return { ...base, outcome: 'owned' };
  }
  const phase = text(record(object.status).phase);
  if (kind === 'Pod' && (phase === 'Succeeded' || phase === 'Failed')) return { ...base, outcome: 'finished' };
  const review = reviewObject(engine, object, { now, ...(related ? { related } : {}) });
  // Only a parent whose pod templates were reviewed covers what it owns: a KAITO preset Workspace or a
  // Rollout with a workloadRef has none, so the Deployment or ReplicaSets its controller makes are checked.
  if (uid && kind !== 'Pod' && !review.skipped) checkedUids.add(uid);
  if (!review.vllm && review.findings.length === 0) return { ...base, outcome: 'reviewed' };
  const result: AuditResult = {
    source: `cluster:${namespace}/${review.kind}/${review.name}`,
    apiVersion: review.apiVersion,
    kind: review.kind,
    namespace,
    name: review.name,
    uid,
    team: teamOf(object, metadata, teamLabel, namespace),
    vllm: review.vllm,
    ...(review.skipped ? { skipped: review.skipped } : {}),
    notes: review.notes,
    findings: review.findings,
  };
  return { ...base, outcome: 'reviewed', result };
}
