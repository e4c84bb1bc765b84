/** The JSON contract: stable field names other tools build on. */
import { checklistText, type Report } from './types.js';

export function renderJson(report: Report): string {
  const results = report.results.map((r) => ({
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
  }));
  return `${JSON.stringify({ results, errors: report.errors, summary: report.summary }, null, 2)}\n`;
}
