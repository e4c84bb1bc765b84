/**
 * The terminal view: grouped by workload, each finding with where (`file:line:column`, which
 * editors and CI logs link) and how to fix it, then a summary per policy and per file.
 * Every value from the input is escaped (report/sanitize.ts): a manifest cannot write terminal
 * escapes or bidi overrides to the reader's screen.
 * @module
 */
import { styleText } from 'node:util';
import type { Action } from '../engine/api.js';
import { escapeControl as esc } from './sanitize.js';
import { locationOf, tallies, type Tally } from './summary.js';
import type { Report, ReportFinding, ReportResult } from './types.js';
import { wrapLine } from './wrap.js';

type Style = Parameters<typeof styleText>[0];

export interface TableOptions {
  color: boolean;
  /** Show only these findings (the ones that fail the build), and the summary. */
  only?: (f: ReportFinding) => boolean;
  /** Terminal width to wrap to; undefined = no wrapping (pipes, CI logs). */
  width?: number;
  /** Summary rows to show (with --quiet: only policies and files that fail the build); the totals line is always whole. */
  summaryRows?: (t: Tally) => boolean;
  /**
   * Where the reviewed objects came from, for the line that counts the machine fixes: `files` (check:
   * `vllm-guard fix <files>` edits them) or `cluster` (audit: the fixes go to the manifests the objects
   * come from). Default `files`.
   */
  source?: 'files' | 'cluster';
}

/** The line that counts the "vllm-guard fix:" lines shown, or null when there are none. */
function fixableLine(fixable: number, source: TableOptions['source'] = 'files'): string | null {
  if (fixable === 0) return null;
  const counted = `${fixable} finding${fixable === 1 ? '' : 's'} with a "vllm-guard fix:" line`;
  return source === 'cluster'
    ? `${counted}: run vllm-guard fix on the manifests these objects come from`
    : `${counted}: \`vllm-guard fix <files>\` edits the manifests for you (those marked "with --accept" need that flag)`;
}

const ORDER: Record<Action, number> = { deny: 0, warn: 1, audit: 2, off: 3 };
const LABEL: Record<Action, { text: string; style: Style }> = {
  deny: { text: 'DENY ', style: ['red', 'bold'] },
  warn: { text: 'WARN ', style: 'yellow' },
  audit: { text: 'AUDIT', style: 'cyan' },
  off: { text: 'OFF  ', style: 'gray' },
};
// Continuation lines of a finding line up under its text.
const INDENT = 8;

function workloadName(r: ReportResult): string {
  return esc(`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name || '(unnamed)'}`);
}

function renderFinding(result: ReportResult, f: ReportFinding, paint: (s: Style, t: string) => string): string[] {
  const label = LABEL[f.action];
  const container = f.container ? ` [${esc(f.container)}]` : '';
  const lines = [`  ${paint(label.style, label.text)} ${paint('bold', esc(f.policy))}${container}: ${esc(f.message)}`];
  lines.push(`        at ${esc(locationOf(result, f))} ${esc(f.path)}`);
  lines.push(`        fix: ${esc(f.remediation)}`);
  // The same line as the webhook's denial (admission/messages.ts): which findings `vllm-guard fix` edits for the user.
  if (f.fix) lines.push(`        vllm-guard fix: ${esc(f.fix.description)}${f.fix.needs !== undefined ? ' (with --accept)' : ''}`);
  if (f.waived) lines.push(`        waived (${f.waived.source}): ${esc(f.waived.reason)}${f.waived.until ? `, until ${esc(f.waived.until)}` : ''}`);
  if (f.waiverProblem) lines.push(`        ${paint('yellow', 'waiver ignored')}: ${esc(f.waiverProblem)}`);
  return lines;
}

function tallyRows(title: string, rows: readonly Tally[]): string[] {
  if (rows.length === 0) return [];
  const cell = (n: number) => String(n).padStart(5);
  return [title, '   deny  warn audit', ...rows.map((t) => `  ${cell(t.deny)} ${cell(t.warn)} ${cell(t.audit)}  ${esc(t.key)}`)];
}

/**
 * The closing lines: counts per policy and per file (when there are findings), then `fixable` (the
 * line counting the "vllm-guard fix:" lines the caller showed, fixableLine; null, the default, for a
 * view that shows none), then the totals, always last. Never throws.
 */
export function renderSummary(report: Report, paint: (s: Style, t: string) => string, keep: (t: Tally) => boolean = () => true, fixable: string | null = null): string[] {
  const all = tallies(report);
  const byPolicy = all.byPolicy.filter(keep);
  const byFile = all.byFile.filter(keep);
  const s = report.summary;
  const skipped = s.resources - s.vllm;
  const out = [...tallyRows('Findings per policy:', byPolicy), ...tallyRows('Findings per file:', byFile)];
  // Before the totals, which stay the last line (CI logs and scripts read it there).
  if (fixable !== null) out.push(fixable);
  out.push(
    `${s.resources} resources (${s.vllm} vLLM${skipped ? `, ${skipped} not checked` : ''}): ` +
      `${paint(s.deny ? ['red', 'bold'] : 'green', `${s.deny} deny`)}, ${s.warn} warn, ${s.audit} audit` +
      (report.errors.length ? `, ${paint('red', `${report.errors.length} input errors`)}` : ''),
  );
  return out;
}

/**
 * The report as terminal text: per reviewed workload its findings (deny, warn, audit, off), then input
 * errors and the summary lines; `true`/`false` alone sets colour. Control characters in user text are
 * shown as escapes; lines wrap to `options.width` (columns) when given. Never throws.
 */
export function renderTable(report: Report, colorOrOptions: boolean | TableOptions): string {
  const options: TableOptions = typeof colorOrOptions === 'boolean' ? { color: colorOrOptions } : colorOrOptions;
  const paint = (style: Style, text: string): string => (options.color ? styleText(style, text) : text);
  const out: string[] = [];
  // The "vllm-guard fix:" lines shown (with --quiet only those of the findings shown), which the summary counts.
  let fixable = 0;
  for (const result of report.results) {
    if (!result.vllm && result.findings.length === 0) {
      // Not reviewed, yet it names a vLLM image (an operator's CRD vllm-guard does not read): say so, not just count it.
      if (result.skipped && result.notes.length > 0 && !options.only) {
        out.push(`${paint('bold', workloadName(result))}  ${paint('gray', esc(result.source))}`);
        for (const note of result.notes) out.push(`  ${paint('yellow', 'NOTE ')} ${esc(note)}`, '');
      }
      continue;
    }
    const shown = options.only ? result.findings.filter(options.only) : result.findings;
    if (options.only && shown.length === 0) continue;
    out.push(`${paint('bold', workloadName(result))}  ${paint('gray', esc(result.source))}`);
    for (const assumed of result.assumed ?? []) out.push(`  ${paint('gray', `model and GPU: ${esc(assumed)}`)}`);
    if (result.findings.length === 0) out.push(`  ${paint('green', 'PASS ')} every policy passed`);
    const sorted = [...shown].sort((a, b) => ORDER[a.action] - ORDER[b.action]);
    for (const finding of sorted) out.push(...renderFinding(result, finding, paint));
    fixable += shown.filter((f) => f.fix).length;
    out.push('');
  }
  for (const error of report.errors) {
    out.push(`${paint(['red', 'bold'], 'ERROR')} ${esc(error.source)}${error.line !== undefined ? `:${error.line}` : ''}: ${esc(error.message)}`);
  }
  out.push(...renderSummary(report, paint, options.summaryRows, fixableLine(fixable, options.source)));
  return `${out.flatMap((line) => wrapLine(line, options.width, INDENT)).join('\n')}\n`;
}
