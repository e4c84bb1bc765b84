/** The JSON contract: stable field names other tools build on. */
import { checklistText, type Report, type ReportError, type ReportFinding, type ReportResult, type ReportSummary } from './types.js';

/**
 * One finding in its JSON contract shape. Built by assignment in the contract's key order, not
 * with conditional spreads: a spread of `{}` or `{ line }` per optional field made this the
 * larger half of renderJson's CPU on a report of 14,000 findings.
 */
function jsonFinding(f: ReportFinding): Record<string, unknown> {
  const out: Record<string, unknown> = {
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
  };
  if (f.line !== undefined) out.line = f.line;
  if (f.column !== undefined) out.column = f.column;
  if (f.waived) out.waived = f.waived;
  if (f.waiverProblem) out.waiverProblem = f.waiverProblem;
  if (f.fix) out.fix = f.fix;
  return out;
}

/** One result in its JSON contract shape (keys in the contract's order, optional ones only when set). */
function jsonResult(r: ReportResult): Record<string, unknown> {
  const out: Record<string, unknown> = { source: r.source };
  if (r.template) out.template = r.template;
  out.kind = r.kind;
  out.namespace = r.namespace;
  out.name = r.name;
  out.vllm = r.vllm;
  if (r.detection?.length) out.detection = r.detection;
  if (r.skipped) out.skipped = r.skipped;
  if (r.notes.length) out.notes = r.notes;
  if (r.assumed?.length) out.assumed = r.assumed;
  out.findings = r.findings.map(jsonFinding);
  return out;
}

/**
 * The report as its JSON contract (results, errors, summary; keys in contract order, optional ones only
 * when set), indented 2 spaces, ending in a newline; a whole string (writeJsonReport streams it). Never throws.
 */
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
