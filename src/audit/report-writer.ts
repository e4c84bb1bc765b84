/**
 * Creates or replaces each namespace's PolicyReport (replacing the results drops stale ones)
 * and deletes our reports in namespaces that no longer have a checked workload.
 * @module
 */
import { describeError } from '../errors.js';
import { REPORT_NAME, type PolicyReport } from './policy-report.js';

export interface ReportRef {
  namespace: string;
  name: string;
}

/** What the writer needs from the API; kube-report-store.ts is the real one. */
export interface ReportStore {
  /** The stored report's resourceVersion, or null when there is none. */
  getVersion(ref: ReportRef): Promise<string | null>;
  create(report: PolicyReport): Promise<void>;
  replace(report: PolicyReport, resourceVersion: string): Promise<void>;
  /** Our reports (by the managed-by label), in one namespace or all. */
  listManaged(namespace: string | null): Promise<ReportRef[]>;
  remove(ref: ReportRef): Promise<void>;
}

export interface WriteOutcome {
  created: string[];
  updated: string[];
  deleted: string[];
  failures: { namespace: string; message: string }[];
}

export interface WriteOptions {
  /** Namespace the audit was limited to (-n), null for all. */
  namespace: string | null;
  /** Delete reports of namespaces not in this run; off when the run had gaps and may have missed them. */
  prune: boolean;
}

async function upsert(store: ReportStore, report: PolicyReport): Promise<'created' | 'updated'> {
  const ref = { namespace: report.metadata.namespace, name: report.metadata.name };
  const version = await store.getVersion(ref);
  if (version === null) {
    await store.create(report);
    return 'created';
  }
  await store.replace(report, version);
  return 'updated';
}

export async function writePolicyReports(store: ReportStore, reports: readonly PolicyReport[], options: WriteOptions): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { created: [], updated: [], deleted: [], failures: [] };
  for (const report of reports) {
    const namespace = report.metadata.namespace;
    try {
      outcome[await upsert(store, report)].push(namespace);
    } catch (err: unknown) {
      outcome.failures.push({ namespace, message: describeError(err) });
      // Without the CRD or the right, every namespace fails the same way: say it once.
      if (outcome.created.length + outcome.updated.length === 0 && outcome.failures.length >= 2) break;
    }
  }
  if (!options.prune || outcome.failures.length > 0) return outcome;
  try {
    const written = new Set(reports.map((r) => r.metadata.namespace));
    for (const ref of await store.listManaged(options.namespace)) {
      if (ref.name !== REPORT_NAME || written.has(ref.namespace)) continue;
      await store.remove(ref);
      outcome.deleted.push(ref.namespace);
    }
  } catch (err: unknown) {
    outcome.failures.push({ namespace: options.namespace ?? '*', message: `removing stale reports: ${describeError(err)}` });
  }
  return outcome;
}
