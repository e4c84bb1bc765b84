/**
 * Where a large audit keeps its results: each result is written to a temporary file as compact
 * JSON the moment its object is reviewed, and only a small index entry (namespace, kind, name,
 * offset, length) stays in memory. Read back in report order, one result at a time. So memory
 * follows the number of kept workloads times ~100 bytes, not their findings: 50,000 workloads
 * print 286 MB of JSON, about the audit's whole memory budget (issue 16: 300 MB).
 * The file is removed by close(); it holds findings (no Secret values: the engine redacts them).
 * @module
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditResult } from './visit.js';

interface Entry {
  namespace: string;
  kind: string;
  name: string;
  offset: number;
  length: number;
}

/** Results kept by the audit, in memory (small audits, tests) or spooled to a file. */
export interface ResultStore {
  add(result: AuditResult): void;
  /** How many results were added. */
  readonly size: number;
  /** Every result, sorted by namespace, kind, then name (the report order). */
  sorted(): Iterable<AuditResult>;
  close(): void;
}

/** The report order: namespace, kind, name. */
export function compareResults(a: Pick<AuditResult, 'namespace' | 'kind' | 'name'>, b: Pick<AuditResult, 'namespace' | 'kind' | 'name'>): number {
  return a.namespace.localeCompare(b.namespace) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
}

/** Results in an array; sorted() sorts it in place. */
export function createMemoryStore(): ResultStore & { results: AuditResult[] } {
  const results: AuditResult[] = [];
  return {
    results,
    add: (result) => void results.push(result),
    get size() {
      return results.length;
    },
    sorted: () => results.sort(compareResults),
    close: () => undefined,
  };
}

/** Bytes written per writeSync: one syscall per ~64 KiB instead of one per result. */
const FLUSH_BYTES = 64 * 1024;

/** Results in a temporary file under `dir` (default: the OS temp directory). Throws if it cannot be created. */
export function createFileSpool(dir: string = tmpdir()): ResultStore {
  const folder = mkdtempSync(path.join(dir, 'vllm-guard-audit-'));
  const fd = openSync(path.join(folder, 'results.jsonl'), 'w+', 0o600);
  const index: Entry[] = [];
  let written = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pendingBytes === 0) return;
    const buffer = Buffer.concat(pending, pendingBytes);
    let done = 0;
    while (done < buffer.length) done += writeSync(fd, buffer, done, buffer.length - done, written + done);
    written += buffer.length;
    pending = [];
    pendingBytes = 0;
  };
  let closed = false;
  return {
    add(result) {
      const bytes = Buffer.from(JSON.stringify(result), 'utf8');
      index.push({ namespace: result.namespace, kind: result.kind, name: result.name, offset: written + pendingBytes, length: bytes.length });
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes >= FLUSH_BYTES) flush();
    },
    get size() {
      return index.length;
    },
    *sorted() {
      flush();
      index.sort(compareResults);
      for (const entry of index) {
        const buffer = Buffer.allocUnsafe(entry.length);
        let done = 0;
        while (done < entry.length) {
          const read = readSync(fd, buffer, done, entry.length - done, entry.offset + done);
          if (read === 0) throw new Error(`audit result spool: ${entry.namespace}/${entry.kind}/${entry.name} is cut short`);
          done += read;
        }
        yield JSON.parse(buffer.toString('utf8')) as AuditResult;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
