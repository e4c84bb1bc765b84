/**
 * `vllm-guard audit`: scan what already runs, print the shared report, optionally write the
 * HTML scorecard and the PolicyReports. Cluster problems are reported, not fatal.
 * Exit 0 ok, 1 something would be denied, 2 the audit is incomplete or could not start.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { buildPolicyReports } from '../audit/policy-report.js';
import { createKubeLister } from '../audit/kube-lister.js';
import { createKubeReportStore } from '../audit/kube-report-store.js';
import { REPORT_APIS, type ReportFormat } from '../audit/report-format.js';
import { loadKubeConfig } from '../audit/kubeconfig.js';
import { writePolicyReports, type WriteOutcome } from '../audit/report-writer.js';
import { scanCluster, type AuditRun, type ScanProgress } from '../audit/scanner.js';
import { buildScorecard } from '../audit/scorecard.js';
import { loadCliEngine } from './catalogue.js';
import type { Engine, Mode } from '../engine/api.js';
import { AppError, describeError } from '../errors.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
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

function render(run: AuditRun, engine: Engine, options: AuditOptions, io: AuditIo): string {
  if (options.output === 'json') return renderJson(run.report);
  if (options.output === 'sarif') return renderSarif(run.report, engine.policies.policies, io.version);
  if (options.output === 'junit') return renderJunit(run.report);
  return renderTable(run.report, io.color);
}

function describeWrite(outcome: WriteOutcome, kind: string): string {
  const list = (names: string[]) => (names.length ? ` (${names.join(', ')})` : '');
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

export async function runAudit(options: AuditOptions, io: AuditIo): Promise<number> {
  const { engine, config: app } = loadCliEngine(
    { configFile: options.config ?? null, dirs: options.policies ?? [], builtin: options.builtinPolicies !== false, ...(options.mode ? { mode: options.mode } : {}) },
    io.stderr,
  );
  const kube = loadKubeConfig({ ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}), ...(options.context !== undefined ? { context: options.context } : {}) });
  const onProgress = progressPrinter(io);
  const run = await scanCluster(engine, createKubeLister(kube), {
    namespace: options.namespace ?? null,
    pageSize: app.audit.pageSize,
    teamLabel: options.teamLabel,
    ...(onProgress ? { onProgress } : {}),
  });
  if (onProgress) io.stderr('\r\u001b[K');
  io.stdout(render(run, engine, options, io));
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
  if (options.writeReports || app.audit.writeReports) {
    const reports = buildPolicyReports(run.report.results, engine.policies.policies, engine.config, { now: run.startedAt });
    const outcome = await writePolicyReports(createKubeReportStore(kube, options.reportFormat ?? 'policyreport'), reports, { namespace: options.namespace ?? null, prune: !failed });
    io.stderr(describeWrite(outcome, REPORT_APIS[options.reportFormat ?? 'policyreport'].kind));
    failed ||= outcome.failures.length > 0;
  }
  if (failed) return 2;
  return run.report.summary.deny > 0 ? 1 : 0;
}
