/** `vllm-guard check`: files in, the shared report out. No HTTP, no cluster. */
import { reviewObject, type Engine } from '../engine/api.js';
import { TEMPLATE_PATHS } from '../engine/api.js';
import { pathSegments, summarize, type Report, type ReportResult } from '../report/types.js';
import type { InputError, InputObject } from './inputs.js';

export function runCheck(engine: Engine, objects: InputObject[], inputErrors: InputError[], now = new Date()): Report {
  const errors = [...inputErrors];
  const results: ReportResult[] = [];
  for (const input of objects) {
    const review = reviewObject(engine, input.object, { now });
    if (review.skipped && Object.prototype.hasOwnProperty.call(TEMPLATE_PATHS, review.kind)) {
      // A known kind without its pod spec is a broken manifest, not something to skip quietly.
      errors.push({ source: input.source, line: input.lineOf(['spec']), message: `${review.kind} ${review.name || '(unnamed)'}: ${review.skipped}` });
      continue;
    }
    results.push({
      source: input.source,
      kind: review.kind,
      namespace: review.namespace,
      name: review.name,
      vllm: review.vllm,
      ...(review.skipped ? { skipped: review.skipped } : {}),
      notes: review.notes,
      ...(review.assumed ? { assumed: review.assumed } : {}),
      findings: review.findings.map((f) => ({ ...f, line: input.lineOf(pathSegments(f.path)) })),
    });
  }
  return { results, errors, summary: summarize(results) };
}

/** 2 = input could not be read; 1 = something would be denied; 0 otherwise. */
export function exitCodeOf(report: Report): number {
  if (report.errors.length > 0) return 2;
  return report.summary.deny > 0 ? 1 : 0;
}
