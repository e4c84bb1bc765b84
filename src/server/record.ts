/**
 * Records one admission decision: the metrics and the one log line. Never object contents:
 * env values, args and annotations may hold secrets, so only identity and policy ids go out.
 * @module
 */
import type { AdmissionOutcome } from '../admission/handler.js';
import type { AdmissionRequest } from '../admission/review.js';
import { kindLabel, operationLabel } from '../observability/labels.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

export interface DecisionRecord {
  readonly request: AdmissionRequest;
  readonly outcome: AdmissionOutcome;
  readonly route: string;
  readonly seconds: number;
}

/** logger redacts (for errors, which may drag object contents along); decisions does not need to. */
export function recordDecision(deps: { logger: Logger; decisions: Logger; metrics: Metrics }, record: DecisionRecord): void {
  const { request, outcome } = record;
  const dryRun = request.dryRun ? 'true' : 'false';
  // Labels from closed sets: the request's own strings would mint a series per value.
  deps.metrics.countRequest(operationLabel(request.operation), kindLabel(request.kind.kind), outcome.decision, dryRun);
  deps.metrics.duration.observe(record.seconds);
  const policies: string[] = [];
  for (const finding of outcome.findings) {
    deps.metrics.countFinding(finding.policy, finding.action);
    // Each policy once: a policy with several findings (two literal tokens) is one entry.
    if (!policies.includes(finding.policy)) policies.push(finding.policy);
  }
  // Optional keys assigned after the fixed ones (same key order as before), not spread in:
  // this runs once per request.
  const line: Record<string, unknown> = {
    uid: request.uid,
    operation: request.operation,
    kind: request.kind.kind,
    namespace: outcome.workload.namespace,
    name: outcome.workload.name,
    user: request.username,
    decision: outcome.decision,
    policies,
    dry_run: request.dryRun,
    duration_ms: Math.round(record.seconds * 1e6) / 1e3,
    route: record.route,
  };
  if (outcome.skipReason) line.skip = outcome.skipReason;
  if (outcome.templateUnchanged) line.template_unchanged = true;
  if (outcome.errorReason === 'over-budget') {
    deps.metrics.errors.inc({ reason: 'over-budget' });
    deps.logger.warn({ ...line, reason: describeBudgetError(outcome.error) }, 'admission review over budget; answered by the failure mode');
    return;
  }
  if (outcome.error !== undefined) {
    deps.metrics.errors.inc({ reason: 'internal' });
    deps.logger.error({ ...line, err: outcome.error }, 'admission review failed; answered by the failure mode');
    return;
  }
  deps.decisions.info(line, 'admission reviewed');
}

/** The budget message: sizes and limits only, never a value from the object. */
function describeBudgetError(error: unknown): string {
  return error instanceof Error ? error.message : 'over budget';
}
