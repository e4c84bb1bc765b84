/**
 * One listed object through the audit: passed over when its controller was already checked or
 * it is a finished Pod, else reviewed by the engine and turned into a result when it is worth
 * showing. Shared by the paged scan (scanner.ts) and the watch (watcher.ts).
 * @module
 */
import { createEngine, reviewObject, runsConfigMapScript, type Engine, type JsonObject, type RelatedSet } from '../engine/api.js';
import type { ReportResult } from '../report/types.js';

export interface AuditResult extends ReportResult {
  apiVersion: string;
  uid: string | null;
  /** The owner team: the team label, else the namespace. */
  team: string;
}

/** What became of one object; `result` is null when nothing about it is worth reporting. */
export interface Visit {
  /** The object's apiVersion: kinds of two APIs share names (KServe's and OME's ClusterServingRuntime). */
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string | null;
  outcome: 'owned' | 'finished' | 'reviewed';
  result: AuditResult | null;
}

/** `value` when it is a plain object, else `{}`: reads of a listed object never fail on its type. Never throws. */
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

interface Identity {
  metadata: JsonObject;
  namespace: string;
  uid: string | null;
  kind: string;
  base: Omit<Visit, 'outcome'> & { result: null };
}

function identify(object: JsonObject): Identity {
  const metadata = record(object.metadata);
  const namespace = text(metadata.namespace) ?? '';
  const uid = text(metadata.uid);
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  return { metadata, namespace, uid, kind, base: { apiVersion, kind, namespace, name: text(metadata.name) ?? '', uid, result: null } };
}

/** Owned by a controller already checked, or a finished Pod: passed over. Else null. */
function passedOver(id: Identity, object: JsonObject, checkedUids: Set<string>): Visit | null {
  const owner = controllerUid(id.metadata);
  if (owner !== null && checkedUids.has(owner)) {
    if (id.uid && id.kind !== 'Pod') checkedUids.add(id.uid);
    return { ...id.base, outcome: 'owned' };
  }
  const phase = text(record(object.status).phase);
  if (id.kind === 'Pod' && (phase === 'Succeeded' || phase === 'Failed')) return { ...id.base, outcome: 'finished' };
  return null;
}

function reviewed(engine: Engine, object: JsonObject, id: Identity, checkedUids: Set<string>, teamLabel: string, now: Date, related?: RelatedSet): Visit {
  const { namespace, uid, kind, metadata, base } = id;
  // No detection evidence: a result does not carry it (it is for check's own output), and it costs a few % of a review.
  const review = reviewObject(engine, object, { now, detection: false, ...(related ? { related } : {}) });
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

/**
 * Reviews one object in its wire shape. `checkedUids` holds the controllers checked so far: an
 * object they own is passed over, and a non-Pod object's uid is added (a ReplicaSet skipped for its
 * Deployment still covers the Pods it owns). `teamLabel` names the owner team label. `related`: the
 * objects around it in its namespace, when listed (otherwise the facts about them are unknown).
 */
export function visitObject(engine: Engine, object: JsonObject, checkedUids: Set<string>, teamLabel: string, now: Date, related?: RelatedSet): Visit {
  const id = identify(object);
  return passedOver(id, object, checkedUids) ?? reviewed(engine, object, id, checkedUids, teamLabel, now, related);
}

/** How the paged scan finds the objects around a vLLM workload. */
export interface RelatedLookup {
  /** detectionProbe(engine): says whether an object is vLLM. */
  probe: Engine;
  /** The related set of a namespace (listed on first use). */
  forNamespace(namespace: string): Promise<RelatedSet>;
}

/**
 * An engine with `engine`'s config and no policies. Whether a review is vLLM depends only on the
 * containers detection selects (the config's detection settings and the object), never on the
 * policies, so its review answers that as the full engine's would, without building any finding:
 * 35–40 % of a full review of a vLLM Deployment (no fixes, messages or suggestions to render).
 */
export function detectionProbe(engine: Engine): Engine {
  return createEngine({ policies: { policies: [], byId: new Map(), source: 'none (vLLM detection only)', warnings: [] }, config: engine.config });
}

/**
 * As visitObject, for the paged scan: a vLLM workload (as reviewed without the objects around it), or
 * one started from a script on a ConfigMap volume, is reviewed once, with its namespace's related
 * set; anything else once without. The same visit as a
 * review without the related set followed, for a vLLM one, by a review with it.
 */
export async function visitWithRelated(engine: Engine, object: JsonObject, checkedUids: Set<string>, teamLabel: string, now: Date, lookup: RelatedLookup): Promise<Visit> {
  const id = identify(object);
  const over = passedOver(id, object, checkedUids);
  if (over) return over;
  // A container started from a ConfigMap script is known, vLLM or not, only with the ConfigMap: a
  // generic image running `vllm serve` from it gives no signal without (engine related/script-probe.ts).
  const vllm = reviewObject(lookup.probe, object, { now, detection: false }).vllm || runsConfigMapScript(engine, object);
  return reviewed(engine, object, id, checkedUids, teamLabel, now, vllm ? await lookup.forNamespace(id.namespace) : undefined);
}
