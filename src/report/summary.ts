/**
 * The closing summary of a report: findings counted per policy and per file, worst first, so
 * the first line says what to fix first.
 * @module
 */
import type { Action } from '../engine/api.js';
import type { Report, ReportResult } from './types.js';

export interface Tally {
  key: string;
  deny: number;
  warn: number;
  audit: number;
}

function bump(map: Map<string, Tally>, key: string, action: Action): void {
  if (action === 'off') return;
  const tally = map.get(key) ?? { key, deny: 0, warn: 0, audit: 0 };
  tally[action] += 1;
  map.set(key, tally);
}

// Most denials first, then warnings, then the name: the top line is the first thing to fix.
function ordered(map: Map<string, Tally>): Tally[] {
  return [...map.values()].sort((a, b) => b.deny - a.deny || b.warn - a.warn || b.audit - a.audit || a.key.localeCompare(b.key));
}

/** The file a result points at: the Helm template when known, else the input file. */
export function fileOf(result: ReportResult): string {
  return result.template ?? result.file ?? result.source.split('#')[0] ?? result.source;
}

/** Findings counted per policy and per file, worst first. */
export function tallies(report: Report): { byPolicy: Tally[]; byFile: Tally[] } {
  const byPolicy = new Map<string, Tally>();
  const byFile = new Map<string, Tally>();
  for (const result of report.results) {
    for (const finding of result.findings) {
      bump(byPolicy, finding.policy, finding.action);
      bump(byFile, fileOf(result), finding.action);
    }
  }
  return { byPolicy: ordered(byPolicy), byFile: ordered(byFile) };
}

/**
 * Where a finding is, as `file:line:column` (what editors, terminals and CI logs link). For Helm
 * output the template comes first, then the place in the rendered text: template lines are not
 * rendered lines.
 */
export function locationOf(result: ReportResult, finding: { line?: number; column?: number }): string {
  const file = result.file ?? result.source.split('#')[0] ?? result.source;
  const at = finding.line === undefined ? file : `${file}:${finding.line}${finding.column !== undefined ? `:${finding.column}` : ''}`;
  return result.template ? `${result.template} (rendered at ${at})` : at;
}
