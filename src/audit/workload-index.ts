/**
 * The background audit's memory of the cluster between lists: per namespace, each listed
 * object's key and uid and its result (findings only, never the object), plus the controllers
 * checked. A watch event re-reviews one object and marks its namespace changed only when what a
 * report shows changed, so only those namespaces' PolicyReports are written again.
 * @module
 */
import type { Engine, JsonObject } from '../engine/api.js';
import { record, visitObject, type AuditResult, type Visit } from './visit.js';

interface Entry {
  uid: string | null;
  kind: string;
  result: AuditResult | null;
  /** The result as JSON, to tell a change that matters from a status update. */
  shown: string;
}

export interface WorkloadIndex {
  /** Records an object seen by the full list (ScanOptions.onVisit). */
  listed(visit: Visit): void;
  /** Applies one watch event: reviews the object again (ADDED, MODIFIED) or forgets it (DELETED). */
  apply(engine: Engine, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: JsonObject, now: Date): void;
  /** Namespaces whose results changed since the last call; the set is emptied. */
  takeChanged(): string[];
  /** The results of one namespace, sorted by kind then name. */
  resultsIn(namespace: string): AuditResult[];
  /** Every result, for the gauges. */
  results(): Iterable<AuditResult>;
  /** Namespaces with at least one result. */
  namespaces(): string[];
}

/** Kind with its API group: KServe's and OME's ClusterServingRuntime of one name are two objects. */
const keyOf = (apiVersion: string, kind: string, name: string): string => `${apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''}/${kind}/${name}`;

/** An empty index; `teamLabel` names the owner-team label, as in ScanOptions. */
export function createWorkloadIndex(teamLabel: string): WorkloadIndex {
  const byNamespace = new Map<string, Map<string, Entry>>();
  const checkedUids = new Set<string>();
  const changed = new Set<string>();
  const put = (namespace: string, key: string, entry: Entry | null): void => {
    const entries = byNamespace.get(namespace) ?? new Map<string, Entry>();
    const before = entries.get(key);
    if (entry) entries.set(key, entry);
    else entries.delete(key);
    if (entries.size) byNamespace.set(namespace, entries);
    else byNamespace.delete(namespace);
    if ((before?.shown ?? '') !== (entry?.shown ?? '')) changed.add(namespace);
  };
  const entryOf = (visit: Visit): Entry => ({ uid: visit.uid, kind: visit.kind, result: visit.result, shown: visit.result ? JSON.stringify(visit.result) : '' });
  return {
    listed(visit) {
      if (visit.uid && visit.kind !== 'Pod' && visit.outcome !== 'finished') checkedUids.add(visit.uid);
      put(visit.namespace, keyOf(visit.apiVersion, visit.kind, visit.name), entryOf(visit));
    },
    apply(engine, type, object, now) {
      const metadata = record(object.metadata);
      const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
      const key = keyOf(typeof object.apiVersion === 'string' ? object.apiVersion : '', String(object.kind), String(metadata.name));
      if (type === 'DELETED') {
        const uid = byNamespace.get(namespace)?.get(key)?.uid;
        if (uid) checkedUids.delete(uid);
        put(namespace, key, null);
        return;
      }
      put(namespace, key, entryOf(visitObject(engine, object, checkedUids, teamLabel, now)));
    },
    takeChanged() {
      const names = [...changed].sort((a, b) => a.localeCompare(b));
      changed.clear();
      return names;
    },
    resultsIn(namespace) {
      const entries = [...(byNamespace.get(namespace)?.values() ?? [])];
      return entries.flatMap((e) => (e.result ? [e.result] : [])).sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    },
    *results() {
      for (const entries of byNamespace.values()) for (const entry of entries.values()) if (entry.result) yield entry.result;
    },
    namespaces() {
      return [...byNamespace.keys()].filter((ns) => ns !== '' && this.resultsIn(ns).length > 0).sort((a, b) => a.localeCompare(b));
    },
  };
}
