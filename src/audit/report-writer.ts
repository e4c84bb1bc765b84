/**
 * Creates or replaces each namespace's PolicyReport (replacing the results drops stale ones)
 * and deletes our reports in namespaces that no longer have a checked workload. Reports are
 * taken from an iterable as they are needed and written a few at a time (bounded concurrency),
 * so 2,000 namespaces are neither held at once nor written one round trip after another.
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
  /** Writes in flight at once (default DEFAULT_WRITE_CONCURRENCY). */
  concurrency?: number;
}

/**
 * Eight writes in flight: client-go's default client allows 5 QPS with bursts of 10; eight keeps
 * one audit well inside the API server's default max-mutating-requests-inflight (200).
 */
export const DEFAULT_WRITE_CONCURRENCY = 8;

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

/** Every report from `reports` (any iterable, read lazily) written; failures are collected, never thrown. */
export async function writePolicyReports(store: ReportStore, reports: Iterable<PolicyReport>, options: WriteOptions): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { created: [], updated: [], deleted: [], failures: [] };
  const written = new Set<string>();
  const source = reports[Symbol.iterator]();
  const succeeded = () => outcome.created.length + outcome.updated.length > 0;
  const givenUp = () => !succeeded() && outcome.failures.length >= 2;
  const worker = async (probing: boolean): Promise<void> => {
    while (!givenUp() && !(probing && succeeded())) {
      const next = source.next();
      if (next.done) return;
      const report = next.value;
      const namespace = report.metadata.namespace;
      written.add(namespace);
      try {
        outcome[await upsert(store, report)].push(namespace);
      } catch (err: unknown) {
        outcome.failures.push({ namespace, message: describeError(err) });
      }
    }
  };
  // One at a time until a write succeeds: without the CRD or the right, every namespace fails the
  // same way, and two failures are enough to say so. Then several at a time.
  await worker(true);
  const workers = Math.max(1, options.concurrency ?? DEFAULT_WRITE_CONCURRENCY);
  if (!givenUp()) await Promise.all(Array.from({ length: workers }, () => worker(false)));
  outcome.created.sort((a, b) => a.localeCompare(b));
  outcome.updated.sort((a, b) => a.localeCompare(b));
  outcome.failures.sort((a, b) => a.namespace.localeCompare(b.namespace));
  if (!options.prune || outcome.failures.length > 0) return outcome;
  try {
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
