/** The terminal view: grouped by workload, each finding with where and how to fix it. */
import { styleText } from 'node:util';
import type { Action } from '../engine/api.js';
import type { Report, ReportFinding, ReportResult } from './types.js';

type Style = Parameters<typeof styleText>[0];

const ORDER: Record<Action, number> = { deny: 0, warn: 1, audit: 2, off: 3 };
const LABEL: Record<Action, { text: string; style: Style }> = {
  deny: { text: 'DENY ', style: ['red', 'bold'] },
  warn: { text: 'WARN ', style: 'yellow' },
  audit: { text: 'AUDIT', style: 'cyan' },
  off: { text: 'OFF  ', style: 'gray' },
};

function workloadName(r: ReportResult): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name || '(unnamed)'}`;
}

function renderFinding(f: ReportFinding, paint: (s: Style, t: string) => string): string[] {
  const label = LABEL[f.action];
  const where = f.line !== undefined ? ` (line ${f.line})` : '';
  const container = f.container ? ` [${f.container}]` : '';
  const lines = [`  ${paint(label.style, label.text)} ${paint('bold', f.policy)}${container}: ${f.message}`];
  lines.push(`        at ${f.path}${where}`);
  lines.push(`        fix: ${f.remediation}`);
  if (f.waived) lines.push(`        waived (${f.waived.source}): ${f.waived.reason}${f.waived.until ? `, until ${f.waived.until}` : ''}`);
  if (f.waiverProblem) lines.push(`        ${paint('yellow', 'waiver ignored')}: ${f.waiverProblem}`);
  return lines;
}

export function renderTable(report: Report, color: boolean): string {
  const paint = (style: Style, text: string): string => (color ? styleText(style, text) : text);
  const out: string[] = [];
  for (const result of report.results) {
    if (!result.vllm && result.findings.length === 0) continue;
    out.push(`${paint('bold', workloadName(result))}  ${paint('gray', result.source)}`);
    for (const assumed of result.assumed ?? []) out.push(`  ${paint('gray', `model and GPU: ${assumed}`)}`);
    if (result.findings.length === 0) out.push(`  ${paint('green', 'PASS ')} every policy passed`);
    const sorted = [...result.findings].sort((a, b) => ORDER[a.action] - ORDER[b.action]);
    for (const finding of sorted) out.push(...renderFinding(finding, paint));
    out.push('');
  }
  for (const error of report.errors) {
    out.push(`${paint(['red', 'bold'], 'ERROR')} ${error.source}${error.line !== undefined ? `:${error.line}` : ''}: ${error.message}`);
  }
  const s = report.summary;
  const skipped = s.resources - s.vllm;
  out.push(
    `${s.resources} resources (${s.vllm} vLLM${skipped ? `, ${skipped} not checked` : ''}): ` +
      `${paint(s.deny ? ['red', 'bold'] : 'green', `${s.deny} deny`)}, ${s.warn} warn, ${s.audit} audit` +
      (report.errors.length ? `, ${paint('red', `${report.errors.length} input errors`)}` : ''),
  );
  return `${out.join('\n')}\n`;
}
