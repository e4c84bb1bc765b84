/**
 * The readiness scorecard: workloads against checklist items, each cell pass, warn, fail or
 * waived, with totals per namespace and per owner team. Pure; report/html.ts renders it.
 * @module
 */
import { policyAction } from '../engine/api.js';
import type { EngineConfig, Finding, Policy } from '../engine/api.js';
import type { CellState, Scorecard, ScorecardColumn, ScorecardRow, ScorecardTotals } from '../report/html.js';
import { checklistText } from '../report/types.js';
import type { AuditResult } from './scanner.js';

const STATE_RANK: Record<CellState, number> = { fail: 0, warn: 1, waived: 2, pass: 3 };

function worst(states: readonly CellState[]): CellState {
  return states.reduce<CellState>((acc, s) => (STATE_RANK[s] < STATE_RANK[acc] ? s : acc), 'pass');
}

/** Compliance, not enforcement: a deny policy fails even while the mode is audit. */
export function stateOf(findings: readonly Finding[]): CellState {
  if (findings.length === 0) return 'pass';
  const open = findings.filter((f) => !f.waived);
  if (open.length === 0) return 'waived';
  return open.some((f) => f.configuredAction === 'deny') ? 'fail' : 'warn';
}

function buildColumns(policies: readonly Policy[], config: EngineConfig): ScorecardColumn[] {
  const columns = new Map<string, ScorecardColumn>();
  for (const p of policies) {
    // A policy switched off everywhere has no column; per-namespace overrides keep it.
    const override = config.policies[p.id];
    const everywhereOff = (override?.action ?? p.action) === 'off' && !Object.values(override?.namespaces ?? {}).some((a) => a !== 'off');
    if (everywhereOff) continue;
    const key = `${p.checklist.phase}\u0000${p.checklist.section}\u0000${p.checklist.item}`;
    const column = columns.get(key) ?? { ...p.checklist, policies: [] };
    column.policies.push(p.id);
    columns.set(key, column);
  }
  return [...columns.values()].sort((a, b) => a.phase.localeCompare(b.phase, 'en', { numeric: true }) || a.section.localeCompare(b.section) || a.item.localeCompare(b.item));
}

function buildRow(result: AuditResult, columns: readonly ScorecardColumn[], policies: readonly Policy[], config: EngineConfig): ScorecardRow {
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
    team: result.team,
    state: worst(cells.filter((c): c is CellState => c !== 'off')),
    cells,
    findings,
  };
}

function emptyTotals(key: string): ScorecardTotals {
  return { key, workloads: 0, pass: 0, warn: 0, fail: 0, cells: { pass: 0, warn: 0, fail: 0, waived: 0 }, score: 100 };
}

function addRow(totals: ScorecardTotals, row: ScorecardRow): void {
  totals.workloads += 1;
  // A waived-only workload counts as ready: its owners accepted the risk.
  totals[row.state === 'waived' ? 'pass' : row.state] += 1;
  for (const cell of row.cells) if (cell !== 'off') totals.cells[cell] += 1;
  const all = totals.cells.pass + totals.cells.warn + totals.cells.fail + totals.cells.waived;
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

/** Rows are the vLLM workloads (and any with findings), worst first within each namespace. */
export function buildScorecard(results: readonly AuditResult[], policies: readonly Policy[], config: EngineConfig): Scorecard {
  const columns = buildColumns(policies, config);
  const rows = results
    .filter((r) => r.vllm || r.findings.length > 0)
    .map((r) => buildRow(r, columns, policies, config))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || STATE_RANK[a.state] - STATE_RANK[b.state] || a.name.localeCompare(b.name));
  const overall = emptyTotals('all');
  for (const row of rows) addRow(overall, row);
  return { columns, rows, byNamespace: totalsBy(rows, (r) => r.namespace), byTeam: totalsBy(rows, (r) => r.team), overall };
}
