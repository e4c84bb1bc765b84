/**
 * Gating a build on a report: which findings fail it (`--fail-on`).
 * @module
 */
import type { Action } from '../engine/api.js';
import type { Report } from '../report/types.js';

/** The threshold of `--fail-on`: a finding at this action or stricter fails the build. */
export type FailOn = 'deny' | 'warn' | 'audit';

export const FAIL_ON_CHOICES: readonly FailOn[] = ['deny', 'warn', 'audit'];

const STRICTNESS: Record<Action, number> = { deny: 3, warn: 2, audit: 1, off: 0 };

/** True when a finding with this action fails a build gated at `failOn`. */
export function failsBuild(action: Action, failOn: FailOn): boolean {
  return STRICTNESS[action] >= STRICTNESS[failOn];
}

/**
 * Exit status of `check`: 2 when an input could not be read (the answer is incomplete),
 * 1 when a finding at or above `failOn` remains (waived findings have action `audit` or lower
 * already), 0 otherwise.
 */
export function gateExitCode(report: Report, failOn: FailOn = 'deny'): number {
  if (report.errors.length > 0) return 2;
  return report.results.some((r) => r.findings.some((f) => failsBuild(f.action, failOn))) ? 1 : 0;
}
