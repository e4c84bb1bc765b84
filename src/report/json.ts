/** The JSON contract: stable field names other tools build on. */
import { checklistText, type Report, type ReportError, type ReportResult, type ReportSummary } from './types.js';

/** One result in its JSON contract shape. */
function jsonResult(r: ReportResult): Record<string, unknown> {
  return {
    source: r.source,
    ...(r.template ? { template: r.template } : {}),
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    vllm: r.vllm,
    ...(r.detection?.length ? { detection: r.detection } : {}),
    ...(r.skipped ? { skipped: r.skipped } : {}),
    ...(r.notes.length ? { notes: r.notes } : {}),
    ...(r.assumed?.length ? { assumed: r.assumed } : {}),
    findings: r.findings.map((f) => ({
      policy: f.policy,
      action: f.action,
      severity: f.severity,
      message: f.message,
      remediation: f.remediation,
      path: f.path,
      container: f.container,
      checklist: checklistText(f),
      owner: f.owner,
      outcome: f.outcome,
      ...(f.line !== undefined ? { line: f.line } : {}),
      ...(f.column !== undefined ? { column: f.column } : {}),
      ...(f.waived ? { waived: f.waived } : {}),
      ...(f.waiverProblem ? { waiverProblem: f.waiverProblem } : {}),
      ...(f.fix ? { fix: f.fix } : {}),
    })),
  };
}

export function renderJson(report: Report): string {
  return `${JSON.stringify({ results: report.results.map(jsonResult), errors: report.errors, summary: report.summary }, null, 2)}\n`;
}

/** Text handed to `write` at a time: large enough to keep writes few, small enough to stay bounded. */
const CHUNK_CHARS = 256 * 1024;

export interface ReportSink {
  write: (text: string) => void;
  /** Awaited after each chunk, when given: resolves once the output has taken what was written. */
  drained?: () => Promise<void>;
}

/**
 * The same text as renderJson, written piece by piece as `results` yields: a large audit never
 * holds its whole report (or its text) in memory. `write` receives chunks of about 256 KiB.
 */
export async function writeJsonReport(results: Iterable<ReportResult>, errors: readonly ReportError[], summary: ReportSummary, sink: ReportSink): Promise<void> {
  let buffer = '';
  let count = 0;
  const push = async (text: string): Promise<void> => {
    buffer += text;
    if (buffer.length >= CHUNK_CHARS) {
      sink.write(buffer);
      buffer = '';
      await sink.drained?.();
    }
  };
  await push('{\n  "results": [');
  for (const result of results) {
    await push(`${count === 0 ? '\n' : ',\n'}    ${JSON.stringify(jsonResult(result), null, 2).replaceAll('\n', '\n    ')}`);
    count += 1;
  }
  await push(count === 0 ? '],\n' : '\n  ],\n');
  const tail = JSON.stringify({ errors, summary }, null, 2);
  await push(`${tail.slice(2)}\n`);
  sink.write(buffer);
}
