/**
 * GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding,
 * shown on the pull request's changed lines, then the plain summary for the job log.
 * Encoding follows the Actions toolkit (`@actions/core` command.ts): in the message `%`, CR and LF
 * are percent-encoded; in properties also `:` and `,`. Control characters and bidi overrides
 * are escaped first, so a manifest cannot inject a workflow command of its own.
 * @module
 */
import type { Action } from '../engine/api.js';
import { escapeControl } from './sanitize.js';
import { renderSummary } from './table.js';
import type { Report, ReportFinding, ReportResult } from './types.js';

const COMMAND: Record<Action, string | null> = { deny: 'error', warn: 'warning', audit: 'notice', off: null };

function escapeData(text: string): string {
  return escapeControl(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function properties(entries: Record<string, string | number | undefined>): string {
  return Object.entries(entries)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
}

function annotation(result: ReportResult, f: ReportFinding): string | null {
  const command = COMMAND[f.action];
  if (command === null) return null;
  const workload = `${result.kind} ${result.namespace ? `${result.namespace}/` : ''}${result.name}`;
  // Helm: the template is the file in the repository; rendered lines are not its lines.
  const file = result.template ?? (result.file === 'stdin' ? undefined : result.file);
  const place = result.template
    ? { file }
    : { file, line: file === undefined ? undefined : f.line, col: file === undefined ? undefined : f.column };
  const props = properties({ ...place, title: `vllm-guard ${f.policy} (${f.action})` });
  return `::${command} ${props}::${escapeData(`${workload}: ${f.message} Fix: ${f.remediation} (at ${f.path})`)}`;
}

/** The report as workflow commands plus the closing summary; write it to stdout in a GitHub Actions step. */
export function renderGithub(report: Report): string {
  const lines: string[] = [];
  for (const result of report.results) {
    for (const finding of result.findings) {
      const line = annotation(result, finding);
      if (line !== null) lines.push(line);
    }
  }
  for (const error of report.errors) {
    const file = error.source.split('#')[0];
    lines.push(`::error ${properties({ file: file === 'stdin' ? undefined : file, line: error.line, title: 'vllm-guard input error' })}::${escapeData(`${error.source}: ${error.message}`)}`);
  }
  lines.push(...renderSummary(report, (_style, text) => text));
  return `${lines.join('\n')}\n`;
}
