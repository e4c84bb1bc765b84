/**
 * `vllm-guard audit`: scan what already runs, print the shared report, optionally write the
 * HTML scorecard and the PolicyReports. Cluster problems are reported, not fatal.
 * Exit 0 ok, 1 something would be denied, 2 the audit is incomplete or could not start.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { policyReportsByNamespace } from '../audit/policy-report.js';
import { createKubeLister } from '../audit/kube-lister.js';
import { createKubeReportStore } from '../audit/kube-report-store.js';
import { REPORT_APIS, type ReportFormat } from '../audit/report-format.js';
import { loadKubeConfig } from '../audit/kubeconfig.js';
import { writePolicyReports, type WriteOutcome } from '../audit/report-writer.js';
import { createFileSpool } from '../audit/result-spool.js';
import { scanCluster, type AuditRun, type ScanProgress } from '../audit/scanner.js';
import { buildScorecard } from '../audit/scorecard.js';
import { loadCliEngine } from './catalogue.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Engine, Mode } from '../engine/api.js';
import { AppError, describeError } from '../errors.js';
import { renderHtml } from '../report/html.js';
import { writeJsonReport } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderSarif } from '../report/sarif.js';
import { renderTable } from '../report/table.js';

export interface AuditOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  output: 'table' | 'json' | 'sarif' | 'junit';
  html?: string;
  writeReports?: boolean;
  /** Which report API --write-reports writes. */
  reportFormat?: ReportFormat;
  teamLabel: string;
  config?: string;
  /** Added to the built-in policies (catalogue.ts). */
  policies?: string[];
  builtinPolicies?: boolean;
  mode?: Mode;
}

export interface AuditIo {
  stdout: (text: string) => void;
  /** Resolves when stdout has taken what was written (CliIo.stdoutDrained). */
  stdoutDrained?: () => Promise<void>;
  stderr: (text: string) => void;
  /** Progress is for a person at a terminal; CI logs stay clean. */
  stderrIsTty: boolean;
  color: boolean;
  version: string;
}

function progressPrinter(io: AuditIo): ((p: ScanProgress) => void) | undefined {
  if (!io.stderrIsTty) return undefined;
  return (p) => io.stderr(`\r\u001b[Kaudit: ${p.kind} · ${p.objects} objects · ${p.namespaces} namespaces`);
}

async function render(run: AuditRun, engine: Engine, options: AuditOptions, io: AuditIo): Promise<void> {
  // JSON is written result by result from the store: a large cluster's report is never held whole.
  if (options.output === 'json') return writeJsonReport(run.store.sorted(), run.report.errors, run.report.summary, { write: io.stdout, ...(io.stdoutDrained ? { drained: io.stdoutDrained } : {}) });
  if (options.output === 'sarif') return io.stdout(renderSarif(run.report, engine.policies.policies, io.version));
  if (options.output === 'junit') return io.stdout(renderJunit(run.report));
  io.stdout(renderTable(run.report, { color: io.color, source: 'cluster' }));
}

/** Namespaces named in the write line; a large cluster's are counted, not all listed. */
const NAMES_SHOWN = 20;

function describeWrite(outcome: WriteOutcome, kind: string): string {
  const list = (names: string[]) =>
    names.length === 0 ? '' : ` (${names.slice(0, NAMES_SHOWN).join(', ')}${names.length > NAMES_SHOWN ? `, and ${names.length - NAMES_SHOWN} more` : ''})`;
  const failures = outcome.failures.map((f) => `\n  failed in ${f.namespace}: ${f.message}`).join('');
  return `${kind}s: ${outcome.created.length} created${list(outcome.created)}, ${outcome.updated.length} updated${list(outcome.updated)}, ${outcome.deleted.length} stale deleted${list(outcome.deleted)}${failures}\n`;
}

function summaryLine(run: AuditRun): string {
  const s = run.report.summary;
  const incomplete = run.gaps.filter((g) => g.incomplete).length;
  return (
    `audit of ${run.scope}: ${run.stats.listed} objects listed in ${run.stats.namespaces.length} namespaces, ${s.resources} workloads reviewed, ` +
    `${s.vllm} vLLM; findings: ${s.deny} deny, ${s.warn} warn, ${s.audit} audit; ` +
    `${incomplete ? `INCOMPLETE (${incomplete} ${incomplete === 1 ? 'gap' : 'gaps'})` : 'complete'}; ${(run.stats.durationMs / 1000).toFixed(2)} s\n`
  );
}

/**
 * `vllm-guard audit`: lists the cluster (or `options.namespace`), prints the report in `options.output`
 * and the gaps, writes the HTML page and the PolicyReports when asked, and resolves to the exit code:
 * 0 clean, 1 something would be denied, 2 a gap or a failed report write. Rejects with AppError
 * ERR_USAGE, ERR_CONFIG, ERR_POLICY (catalogue or config), ERR_KUBE (kubeconfig) or ERR_INPUT (the
 * HTML file cannot be written); cluster failures are gaps, not errors.
 */
export async function runAudit(options: AuditOptions, io: AuditIo): Promise<number> {
  const { engine, config: app } = loadCliEngine(
    { configFile: options.config ?? null, dirs: options.policies ?? [], builtin: options.builtinPolicies !== false, ...(options.mode ? { mode: options.mode } : {}) },
    io.stderr,
  );
  const kube = loadKubeConfig({ ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}), ...(options.context !== undefined ? { context: options.context } : {}) });
  const onProgress = progressPrinter(io);
  // The JSON report and the PolicyReports are made from a spool on disk, read back one result at a
  // time; the table, SARIF, JUnit and the HTML page need every result in memory at once.
  const spool = options.output === 'json' && options.html === undefined ? createFileSpool() : null;
  try {
    const run = await scanCluster(engine, createKubeLister(kube), {
      namespace: options.namespace ?? null,
      pageSize: app.audit.pageSize,
      teamLabel: options.teamLabel,
      ...(onProgress ? { onProgress } : {}),
      ...(spool ? { store: spool } : {}),
    });
    if (onProgress) io.stderr('\r\u001b[K');
    return await report(run, engine, { ...options, writeReports: options.writeReports === true || app.audit.writeReports }, io, kube);
  } finally {
    spool?.close();
  }
}

/** Prints the report and the gaps, writes the HTML page and the PolicyReports; the exit code. */
async function report(run: AuditRun, engine: Engine, options: AuditOptions, io: AuditIo, kube: KubeConfig): Promise<number> {
  await render(run, engine, options, io);
  for (const gap of run.gaps) io.stderr(`${gap.incomplete ? 'gap' : 'note'}: ${gap.message}\n${gap.hint ? `  ${gap.hint}\n` : ''}`);
  io.stderr(summaryLine(run));
  let failed = run.gaps.some((g) => g.incomplete);
  if (options.html !== undefined) {
    const page = renderHtml({
      title: 'vLLM readiness scorecard',
      generatedAt: run.startedAt,
      scope: `Cluster ${kube.getCurrentCluster()?.name ?? ''}, ${run.scope}`,
      mode: engine.config.mode,
      teamLabel: options.teamLabel,
      figures: { listed: run.stats.listed, evaluated: run.stats.evaluated, namespaces: run.stats.namespaces.length, durationMs: run.stats.durationMs },
      scorecard: buildScorecard(run.report.results, engine.policies.policies, engine.config),
      gaps: run.gaps,
      version: io.version,
    });
    try {
      writeFileSync(options.html, page);
    } catch (err: unknown) {
      throw new AppError('ERR_INPUT', `${options.html}: cannot write the HTML page (${describeError(err)})`, { cause: err });
    }
    io.stderr(`scorecard written to ${options.html}\n`);
  }
  if (options.writeReports) {
    const reports = policyReportsByNamespace(run.store.sorted(), engine.policies.policies, engine.config, { now: run.startedAt });
    const outcome = await writePolicyReports(createKubeReportStore(kube, options.reportFormat ?? 'policyreport'), reports, { namespace: options.namespace ?? null, prune: !failed });
    io.stderr(describeWrite(outcome, REPORT_APIS[options.reportFormat ?? 'policyreport'].kind));
    failed ||= outcome.failures.length > 0;
  }
  if (failed) return 2;
  return run.report.summary.deny > 0 ? 1 : 0;
}
