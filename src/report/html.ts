/**
 * The audit's readiness page: one self-contained HTML file (inline CSS, no script, no external
 * asset) a platform lead can open from a CI artifact or a mail. Every value is escaped:
 * workload names, messages and labels come from the cluster.
 * @module
 */
import { escapeControl } from './sanitize.js';

export type { CellState, Scorecard, ScorecardColumn, ScorecardFinding, ScorecardRow, ScorecardTotals } from './scorecard.js';
import type { CellState, Scorecard, ScorecardFinding, ScorecardTotals } from './scorecard.js';

export interface PageGap {
  kind: string;
  namespace: string | null;
  message: string;
  hint: string;
  /** False for an optional API that is not installed. */
  incomplete: boolean;
}

export interface AuditPage {
  title: string;
  generatedAt: Date;
  scope: string;
  mode: string;
  teamLabel: string;
  figures: { listed: number; evaluated: number; namespaces: number; durationMs: number };
  scorecard: Scorecard;
  gaps: PageGap[];
  version: string;
}

/** HTML-escapes a value; control characters and bidi overrides (which a browser would obey) become visible escapes. */
export function escapeHtml(value: unknown): string {
  return escapeControl(String(value)).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const SYMBOL: Record<CellState | 'off', string> = { pass: '✓', warn: '!', fail: '✗', waived: '~', document: '✎', off: '·' };
const LABEL: Record<CellState | 'off', string> = { pass: 'pass', warn: 'warn', fail: 'fail', waived: 'waived', document: 'to document', off: 'off' };

const CSS = `
:root{--pass:#1a7f37;--pass-bg:#dafbe1;--warn:#9a6700;--warn-bg:#fff8c5;--fail:#cf222e;--fail-bg:#ffebe9;--waived:#57606a;--waived-bg:#eaeef2;--line:#d0d7de;--ink:#1f2328;--muted:#57606a}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;padding:24px 32px;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:20px 0 6px}
.meta{color:var(--muted)}.figures{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.figure{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:130px}.figure b{display:block;font-size:26px}
.figure.fail b{color:var(--fail)}.figure.warn b{color:var(--warn)}.figure.pass b{color:var(--pass)}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.grid th.item{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;height:120px;font-weight:normal;font-size:12px}
.grid td.cell{text-align:center;font-weight:bold;min-width:28px}.grid td.cell a{color:inherit;text-decoration:none;display:block}
.pass{color:var(--pass);background:var(--pass-bg)}.warn{color:var(--warn);background:var(--warn-bg)}.fail{color:var(--fail);background:var(--fail-bg)}
.waived{color:var(--waived);background:var(--waived-bg)}.off{color:#afb8c1}.document{color:#0550ae;background:#ddf4ff}
.finding.document{border-color:#0550ae;background:none}.tag.new{color:#fff;background:var(--fail)}
.bar{display:inline-block;height:10px;background:var(--fail-bg);width:120px;vertical-align:middle;border-radius:5px;overflow:hidden}.bar i{display:block;height:100%;background:var(--pass)}
.gaps{border:1px solid var(--warn);background:var(--warn-bg);border-radius:8px;padding:8px 16px;margin:16px 0}.gaps.info{border-color:var(--line);background:#f6f8fa}
.finding{border-left:4px solid var(--line);padding:4px 12px;margin:8px 0}.finding.fail{border-color:var(--fail);background:none}
.finding.warn{border-color:var(--warn);background:none}.finding.waived{border-color:var(--waived);background:none}.finding{color:var(--ink)}
.finding p{margin:2px 0}.fix{color:var(--ink)}code{font-size:12px;background:#f6f8fa;padding:1px 4px;border-radius:4px;color:var(--ink)}
.tag{display:inline-block;font-size:11px;border-radius:10px;padding:0 8px;font-weight:bold}.legend span{margin-right:16px}
`;

function figure(label: string, value: string | number, cls = '', name = ''): string {
  return `<div class="figure ${cls}"${name ? ` data-figure="${escapeHtml(name)}"` : ''}><b>${escapeHtml(value)}</b>${escapeHtml(label)}</div>`;
}

function renderFigures(page: AuditPage): string {
  const o = page.scorecard.overall;
  return `<div class="figures">${[
    figure('vLLM workloads', o.workloads, '', 'workloads'),
    figure('ready (nothing blocking)', o.pass, 'pass', 'pass'),
    figure('of them with intent to document', o.document, 'document', 'document'),
    figure('with warnings', o.warn, 'warn', 'warn'),
    figure('failing', o.fail, 'fail', 'fail'),
    figure('checklist cells passing', `${o.score}%`, '', 'score'),
    figure('namespaces', page.figures.namespaces, '', 'namespaces'),
    figure('objects listed', page.figures.listed, '', 'listed'),
  ].join('')}</div>`;
}

function gapList(gaps: readonly PageGap[]): string {
  return `<ul>${gaps.map((g) => `<li data-gap="${escapeHtml(g.kind)}"><b>${escapeHtml(g.message)}</b><br>${escapeHtml(g.hint)}</li>`).join('')}</ul>`;
}

function renderGaps(gaps: readonly PageGap[]): string {
  const incomplete = gaps.filter((g) => g.incomplete);
  const notes = gaps.filter((g) => !g.incomplete);
  const parts: string[] = [];
  if (incomplete.length) {
    const heading = `This audit is incomplete: ${incomplete.length} ${incomplete.length === 1 ? 'list' : 'lists'} could not be read. The results below cover the rest.`;
    parts.push(`<section id="gaps" class="gaps"><p><b>${escapeHtml(heading)}</b></p>${gapList(incomplete)}</section>`);
  }
  if (notes.length) parts.push(`<section id="notes" class="gaps info"><p><b>Not installed, nothing missed:</b></p>${gapList(notes)}</section>`);
  return parts.join('');
}

function renderTotals(id: string, title: string, keyLabel: string, totals: readonly ScorecardTotals[]): string {
  const rows = totals
    .map(
      (t) =>
        `<tr data-key="${escapeHtml(t.key)}"><td>${escapeHtml(t.key)}</td><td class="num" data-total="workloads">${t.workloads}</td>` +
        `<td class="num pass" data-total="pass">${t.pass}</td><td class="num warn" data-total="warn">${t.warn}</td><td class="num fail" data-total="fail">${t.fail}</td>` +
        `<td class="num" data-total="score">${t.score}%</td><td><span class="bar"><i style="width:${Math.max(0, Math.min(100, t.score))}%"></i></span></td></tr>`,
    )
    .join('');
  return (
    `<h2>${escapeHtml(title)}</h2><table id="${id}"><thead><tr><th>${escapeHtml(keyLabel)}</th><th>workloads</th><th>ready</th><th>warn</th><th>fail</th>` +
    `<th>cells passing</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function renderGrid(card: Scorecard): string {
  const phases: { phase: string; span: number }[] = [];
  for (const c of card.columns) {
    const last = phases.at(-1);
    if (last && last.phase === c.phase) last.span += 1;
    else phases.push({ phase: c.phase, span: 1 });
  }
  const phaseRow = phases.map((p) => `<th colspan="${p.span}">${escapeHtml(p.phase)}</th>`).join('');
  const itemRow = card.columns
    .map((c) => `<th class="item" title="${escapeHtml(`${c.sections.join(', ')}: ${c.items.join('; ')} (${c.policies.join(', ')})`)}">${escapeHtml(shorten(c.column, 36))}</th>`)
    .join('');
  const body = card.rows
    .map((row, i) => {
      const cells = row.cells
        .map((cell, j) => {
          const column = card.columns[j];
          const title = `${column?.column ?? ''}: ${LABEL[cell]}`;
          const inner = cell === 'pass' || cell === 'off' ? SYMBOL[cell] : `<a href="#w${i}">${SYMBOL[cell]}</a>`;
          return `<td class="cell ${cell}" data-state="${cell}" title="${escapeHtml(title)}">${inner}</td>`;
        })
        .join('');
      return (
        `<tr data-workload="${escapeHtml(`${row.namespace}/${row.kind}/${row.name}`)}" data-state="${row.state}">` +
        `<td><a href="#w${i}">${escapeHtml(row.name)}</a><br><small>${escapeHtml(row.kind)}</small></td><td>${escapeHtml(row.namespace)}</td>` +
        `<td>${escapeHtml(row.team)}</td>${cells}</tr>`
      );
    })
    .join('');
  return (
    `<h2>Scorecard: workloads × readiness checklist</h2>` +
    `<p class="legend"><span class="pass">✓ pass</span><span class="warn">! warn</span><span class="fail">✗ fail (denied once enforced)</span>` +
    `<span class="waived">~ waived</span><span class="document">✎ to document (audit only, never blocking)</span><span class="off">· off</span></p>` +
    `<table id="scorecard" class="grid"><thead><tr><th rowspan="2">workload</th><th rowspan="2">namespace</th><th rowspan="2">team</th>${phaseRow}</tr>` +
    `<tr>${itemRow}</tr></thead><tbody>${body}</tbody></table>`
  );
}

function renderFinding(f: ScorecardFinding): string {
  const where = `${f.path}${f.container ? ` (container ${f.container})` : ''}`;
  return (
    `<div class="finding ${f.state}" data-policy="${escapeHtml(f.policy)}"${f.new ? ' data-new="true"' : ''}><p>${f.new ? '<span class="tag new">new</span> ' : ''}` +
    `<span class="tag ${f.state}">${escapeHtml(LABEL[f.state])}</span> ` +
    `<b>${escapeHtml(f.policy)}</b> · ${escapeHtml(f.severity)} · now: ${escapeHtml(f.action)} — ${escapeHtml(f.message)}</p>` +
    `<p class="fix"><b>Fix:</b> ${escapeHtml(f.remediation)}</p><p class="meta">at <code>${escapeHtml(where)}</code> · ${escapeHtml(f.checklist)}</p>` +
    (f.waived ? `<p class="meta">Waived: ${escapeHtml(f.waived)}</p>` : '') +
    `</div>`
  );
}

// Blocking first (what keeps the workload from being ready), then the intent to write down.
function findingGroups(findings: readonly ScorecardFinding[]): string {
  const blocking = findings.filter((f) => f.state !== 'document');
  const toDocument = findings.filter((f) => f.state === 'document');
  const parts: string[] = [];
  if (blocking.length) parts.push(`<div class="group" data-group="blocking"><p class="meta"><b>Blocking or to fix</b></p>${blocking.map(renderFinding).join('')}</div>`);
  if (toDocument.length) parts.push(`<div class="group" data-group="document"><p class="meta"><b>To document</b> (audit only: never blocks)</p>${toDocument.map(renderFinding).join('')}</div>`);
  return parts.join('');
}

function renderFindings(card: Scorecard): string {
  const sections = card.rows
    .map((row, i) => {
      const heading = `<h3 id="w${i}"><span class="tag ${row.state}">${escapeHtml(LABEL[row.state])}</span> ${escapeHtml(`${row.kind} ${row.namespace}/${row.name}`)} <small class="meta">team ${escapeHtml(row.team)}</small></h3>`;
      const body = row.findings.length ? findingGroups(row.findings) : '<p class="meta">Every checklist item passes.</p>';
      return `<section class="workload">${heading}${body}</section>`;
    })
    .join('');
  return `<h2>Findings and fixes</h2>${sections || '<p>No vLLM workloads were found.</p>'}`;
}

function renderBaseline(card: Scorecard): string {
  const b = card.baseline;
  if (!b) return '';
  const list = (items: readonly string[]) => (items.length ? `<ul>${items.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : '<p class="meta">none</p>');
  return (
    `<section id="baseline"><h2>Since ${escapeHtml(b.source)}</h2>` +
    `<div class="figures">${figure('new findings', b.added.length, b.added.length ? 'fail' : 'pass', 'added')}${figure('fixed', b.fixed.length, 'pass', 'fixed')}</div>` +
    `<h3>New</h3>${list(b.added)}<h3>Fixed</h3>${list(b.fixed)}</section>`
  );
}

/**
 * The audit's self-contained HTML page (no script, no remote resource: a CSP forbids them): figures,
 * gaps, baseline, per-namespace and per-team totals, the policy grid and each workload's findings with
 * fixes; `figures.durationMs` is shown in seconds. Every value is HTML-escaped. Throws RangeError only
 * when `generatedAt` is an invalid Date.
 */
export function renderHtml(page: AuditPage): string {
  const when = page.generatedAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    // No script and no remote anything: the page may be opened from an untrusted artifact store.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(page.title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(page.title)}</h1>`,
    `<p class="meta">${escapeHtml(page.scope)} · generated ${escapeHtml(when)} in ${escapeHtml((page.figures.durationMs / 1000).toFixed(1))} s · mode ${escapeHtml(page.mode)} · ` +
      `${escapeHtml(page.figures.evaluated)} workloads reviewed · vllm-guard ${escapeHtml(page.version)}</p>`,
    renderFigures(page),
    renderGaps(page.gaps),
    renderBaseline(page.scorecard),
    renderTotals('by-namespace', 'Per namespace', 'namespace', page.scorecard.byNamespace),
    renderTotals('by-team', `Per owner team (label ${page.teamLabel}, else the namespace)`, 'team', page.scorecard.byTeam),
    renderGrid(page.scorecard),
    renderFindings(page.scorecard),
    '<p class="meta">Fail = a policy that denies once the webhook enforces; warn = shown as a kubectl warning; ' +
      'to document = an audit-only policy (the written intent), never blocking. ' +
      'Run <code>vllm-guard explain POLICY</code> for the rule and an example.</p>',
    '</body></html>',
    '',
  ].join('\n');
}
