/**
 * The load bench's table and its verdict against the targets of issue 6.
 * @module
 */
import type { CellResult } from './cell.js';
import type { EngineFigures } from './engine-figures.js';

export interface BenchRun {
  readonly startedAt: string;
  readonly machine: { nproc: number; node: string; cpu: string; platform: string };
  readonly settings: { seconds: number; warmupSeconds: number; connections: number[]; logLevel: string };
  readonly readyMs: { server: number; floor: number };
  readonly engine: EngineFigures;
  readonly cells: CellResult[];
  readonly targets: Target[];
}

export interface Target {
  readonly name: string;
  readonly limit: string;
  readonly measured: string;
  readonly met: boolean;
}

const fixed = (value: number | null, digits: number): string => (value === null || Number.isNaN(value) ? '-' : value.toFixed(digits));

/** Pairs each webhook cell with the floor cell of the same body and connection count. */
export function pairCells(cells: readonly CellResult[]): { server: CellResult; floor: CellResult | undefined }[] {
  return cells
    .filter((c) => c.server === 'vllm-guard')
    .map((server) => ({ server, floor: cells.find((c) => c.server === 'floor' && c.body === server.body && c.connections === server.connections) }));
}

export function evaluateTargets(cells: readonly CellResult[], readyMs: number, engine: EngineFigures): Target[] {
  const at8 = pairCells(cells).filter((p) => p.server.connections === 8);
  const ratios = at8.map((p) => (p.floor ? p.server.rps / p.floor.rps : 0));
  const worstRatio = ratios.length > 0 ? Math.min(...ratios) : Number.NaN;
  const worstP99 = at8.length > 0 ? Math.max(...at8.map((p) => p.server.p99)) : Number.NaN;
  const rss = cells.filter((c) => c.server === 'vllm-guard').map((c) => c.rssMb ?? 0);
  const peakRss = rss.length > 0 ? Math.max(...rss) : Number.NaN;
  const vllmRows = engine.rows.filter((r) => r.body.startsWith('vLLM'));
  const engineUs = Math.max(...vllmRows.map((r) => r.microseconds));
  const failures = cells.filter((c) => c.server === 'vllm-guard').reduce((n, c) => n + c.non2xx + c.errors + c.timeouts, 0);
  return [
    { name: 'throughput vs floor at 8 connections (worst body)', limit: '>= 80%', measured: `${fixed(worstRatio * 100, 0)}%`, met: worstRatio >= 0.8 },
    { name: 'p99 at 8 connections (worst body)', limit: '<= 5 ms', measured: `${fixed(worstP99, 2)} ms`, met: worstP99 <= 5 },
    { name: 'webhook RSS under load (peak)', limit: '<= 150 MB', measured: `${fixed(peakRss, 0)} MB`, met: peakRss <= 150 },
    { name: 'start to ready (/readyz 200)', limit: '<= 1000 ms', measured: `${fixed(readyMs, 0)} ms`, met: readyMs <= 1000 },
    { name: 'engine per vLLM Deployment (worst)', limit: '<= 25 µs', measured: `${fixed(engineUs, 1)} µs`, met: engineUs <= 25 },
    { name: 'failed requests to the webhook', limit: '0', measured: String(failures), met: failures === 0 },
  ];
}

function row(cols: readonly string[], widths: readonly number[]): string {
  return cols.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
}

export function renderTable(run: BenchRun): string {
  const widths = [26, 11, 5, 8, 7, 7, 8, 7, 9];
  const lines = [
    `machine: ${run.machine.nproc} CPUs (${run.machine.cpu}), Node ${run.machine.node}, ${run.machine.platform}; load generator on the same machine`,
    `load: autocannon, HTTPS keep-alive, ${run.settings.seconds} s per cell after a ${run.settings.warmupSeconds} s warm-up; webhook LOG_LEVEL=${run.settings.logLevel}, logs to a file`,
    '',
    row(['body', 'server', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'RSS MB', 'vs floor'], widths),
  ];
  for (const { server, floor } of pairCells(run.cells)) {
    if (floor) lines.push(row([floor.body, 'floor', String(floor.connections), fixed(floor.rps, 0), fixed(floor.p50, 2), fixed(floor.p99, 2), fixed(floor.p999, 2), fixed(floor.rssMb, 0), ''], widths));
    const ratio = floor ? `${fixed((server.rps / floor.rps) * 100, 0)}%` : '-';
    const failed = server.non2xx + server.errors + server.timeouts;
    lines.push(row([server.body, 'vllm-guard', String(server.connections), fixed(server.rps, 0), fixed(server.p50, 2), fixed(server.p99, 2), fixed(server.p999, 2), fixed(server.rssMb, 0), ratio + (failed > 0 ? ` (${failed} failed)` : '')], widths));
  }
  lines.push('', `start to ready: vllm-guard ${fixed(run.readyMs.server, 0)} ms, floor ${fixed(run.readyMs.floor, 0)} ms`);
  lines.push(`engine in process (${run.engine.policies} policies, ${run.engine.iterations} iterations):`);
  for (const r of run.engine.rows) lines.push(`  ${r.body.padEnd(26)} ${fixed(r.microseconds, 2).padStart(8)} µs/object  ${r.findings} findings`);
  lines.push('', 'targets:');
  for (const t of run.targets) lines.push(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.measured} (target ${t.limit})`);
  return `${lines.join('\n')}\n`;
}
