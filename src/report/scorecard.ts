/**
 * The readiness scorecard: workloads against checklist items, each cell pass, warn, fail,
 * waived or "to document", with totals per namespace and per owner team. Pure data: the audit
 * (a cluster) and `check --html` (manifests) build it, report/html.ts renders it.
 * @module
 */
import { policyAction, type EngineConfig, type Finding, type Policy } from '../engine/api.js';
import { columnOf, compareChecklist } from './checklist-columns.js';
import { checklistText, type ReportResult } from './types.js';

/** A reviewed workload; team defaults to the namespace (the audit reads a label for it). */
export type ScorecardInput = ReportResult & { team?: string };

/**
 * A cell's state. `document` = only audit-level policies fail (the intent is not written down):
 * paperwork to do, never what keeps a workload from being ready.
 */
export type CellState = 'pass' | 'warn' | 'fail' | 'waived' | 'document';

/**
 * One grid column: the checklist sections report/checklist-columns.ts maps to one label
 * (Manifests, Networking, Metrics, Autoscaling, Release, Failure, …), with the items and policies in it.
 */
export interface ScorecardColumn {
  phase: string;
  /** The column's label, e.g. `Release`. */
  column: string;
  /** The checklist sections in the column, in checklist order. */
  sections: string[];
  /** The checklist items its policies check. */
  items: string[];
  policies: string[];
}

export interface ScorecardFinding {
  policy: string;
  title: string;
  state: CellState;
  /** What enforcement does with it now (mode and waivers applied). */
  action: string;
  severity: string;
  message: string;
  remediation: string;
  path: string;
  container: string | null;
  checklist: string;
  waived?: string;
  /** True when the page compares with a baseline and this finding was not in it. */
  new?: boolean;
}

export interface ScorecardRow {
  kind: string;
  namespace: string;
  name: string;
  team: string;
  state: CellState;
  /** Set when the page compares with a baseline: new since it, or there already. */
  change?: 'new' | 'same';
  /** One per column; 'off' where every policy of the item is off for the namespace. */
  cells: (CellState | 'off')[];
  findings: ScorecardFinding[];
}

export interface ScorecardTotals {
  key: string;
  workloads: number;
  /** Ready: nothing blocking (audit-only findings are "to document", waived ones accepted). */
  pass: number;
  warn: number;
  fail: number;
  /** Ready workloads that still have intent to document (audit-level findings). */
  document: number;
  cells: Record<CellState, number>;
  /** Percent of cells passing or waived. */
  score: number;
}

export interface Scorecard {
  columns: ScorecardColumn[];
  rows: ScorecardRow[];
  byNamespace: ScorecardTotals[];
  byTeam: ScorecardTotals[];
  overall: ScorecardTotals;
  /** Filled when compared with a previous run (report/baseline.ts). */
  baseline?: BaselineComparison;
}

export interface BaselineComparison {
  /** Where the previous run came from, for the page. */
  source: string;
  /** Findings present now and not then, and the other way round: "kind ns/name: policy". */
  added: string[];
  fixed: string[];
}

// Worst first: failing workloads lead the page.
export const STATE_RANK: Record<CellState, number> = { fail: 0, warn: 1, document: 2, waived: 3, pass: 4 };

function worst(states: readonly CellState[]): CellState {
  return states.reduce<CellState>((acc, s) => (STATE_RANK[s] < STATE_RANK[acc] ? s : acc), 'pass');
}

/**
 * Compliance, not enforcement: a deny policy fails even while the mode is audit. Findings of
 * audit-level policies (the Phase-0 intent) are "to document": never blocking.
 */
export function stateOf(findings: readonly Finding[]): CellState {
  if (findings.length === 0) return 'pass';
  const open = findings.filter((f) => !f.waived);
  if (open.length === 0) return 'waived';
  if (open.some((f) => f.configuredAction === 'deny')) return 'fail';
  return open.some((f) => f.configuredAction === 'warn') ? 'warn' : 'document';
}

function buildColumns(policies: readonly Policy[], config: EngineConfig): ScorecardColumn[] {
  const columns = new Map<string, { column: ScorecardColumn; first: { phase: string; section: string } }>();
  const ordered = [...policies].sort((a, b) => compareChecklist(a.checklist, b.checklist));
  for (const p of ordered) {
    // A policy switched off everywhere has no column; per-namespace overrides keep it.
    const override = config.policies[p.id];
    const everywhereOff = (override?.action ?? p.action) === 'off' && !Object.values(override?.namespaces ?? {}).some((a) => a !== 'off');
    if (everywhereOff) continue;
    const place = columnOf(p.checklist);
    const key = `${place.phase}\u0000${place.column}`;
    const entry = columns.get(key) ?? { column: { phase: place.phase, column: place.column, sections: [], items: [], policies: [] }, first: p.checklist };
    if (!entry.column.sections.includes(p.checklist.section)) entry.column.sections.push(p.checklist.section);
    if (!entry.column.items.includes(p.checklist.item)) entry.column.items.push(p.checklist.item);
    entry.column.policies.push(p.id);
    columns.set(key, entry);
  }
  return [...columns.values()].sort((a, b) => compareChecklist(a.first, b.first)).map((e) => e.column);
}

function buildRow(result: ScorecardInput, columns: readonly ScorecardColumn[], policies: readonly Policy[], config: EngineConfig): ScorecardRow {
  const cells = columns.map((column) => {
    const active = column.policies.filter((id) => {
      const policy = policies.find((p) => p.id === id);
      return policy !== undefined && policyAction(policy, config, result.namespace) !== 'off';
    });
    if (active.length === 0) return 'off' as const;
    return stateOf(result.findings.filter((f) => active.includes(f.policy)));
  });
  const findings = [...result.findings]
    .sort((a, b) => STATE_RANK[stateOf([a])] - STATE_RANK[stateOf([b])] || a.policy.localeCompare(b.policy))
    .map((f) => ({
      policy: f.policy,
      title: f.title,
      state: stateOf([f]),
      action: f.action,
      severity: f.severity,
      message: f.message,
      remediation: f.remediation,
      path: f.path,
      container: f.container,
      checklist: checklistText(f),
      ...(f.waived ? { waived: `${f.waived.reason}${f.waived.until ? ` (until ${f.waived.until})` : ''}` } : {}),
    }));
  return {
    kind: result.kind,
    namespace: result.namespace,
    name: result.name,
    team: result.team ?? result.namespace,
    state: worst(cells.filter((c): c is CellState => c !== 'off')),
    cells,
    findings,
  };
}

function emptyTotals(key: string): ScorecardTotals {
  return { key, workloads: 0, pass: 0, warn: 0, fail: 0, document: 0, cells: { pass: 0, warn: 0, fail: 0, waived: 0, document: 0 }, score: 100 };
}

function addRow(totals: ScorecardTotals, row: ScorecardRow): void {
  totals.workloads += 1;
  // A waived-only workload counts as ready: its owners accepted the risk. One with only intent
  // to document is ready too, and counted apart so the page can list the paperwork.
  if (row.state === 'fail' || row.state === 'warn') totals[row.state] += 1;
  else totals.pass += 1;
  if (row.state === 'document') totals.document += 1;
  for (const cell of row.cells) if (cell !== 'off') totals.cells[cell] += 1;
  const all = totals.cells.pass + totals.cells.warn + totals.cells.fail + totals.cells.waived + totals.cells.document;
  totals.score = all === 0 ? 100 : Math.round(((totals.cells.pass + totals.cells.waived) / all) * 1000) / 10;
}

function totalsBy(rows: readonly ScorecardRow[], keyOf: (row: ScorecardRow) => string): ScorecardTotals[] {
  const map = new Map<string, ScorecardTotals>();
  for (const row of rows) {
    const key = keyOf(row);
    const totals = map.get(key) ?? emptyTotals(key);
    addRow(totals, row);
    map.set(key, totals);
  }
  // Worst first: the namespaces and teams to talk to come at the top.
  return [...map.values()].sort((a, b) => a.score - b.score || b.fail - a.fail || a.key.localeCompare(b.key));
}

/**
 * Rows are the vLLM workloads (and any with findings), failing first, then with warnings, then
 * ready; by namespace and name within each state.
 */
export function buildScorecard(results: readonly ScorecardInput[], policies: readonly Policy[], config: EngineConfig): Scorecard {
  const columns = buildColumns(policies, config);
  const rows = results
    .filter((r) => r.vllm || r.findings.length > 0)
    .map((r) => buildRow(r, columns, policies, config))
    .sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const overall = emptyTotals('all');
  for (const row of rows) addRow(overall, row);
  return { columns, rows, byNamespace: totalsBy(rows, (r) => r.namespace), byTeam: totalsBy(rows, (r) => r.team), overall };
}
