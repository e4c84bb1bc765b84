/**
 * Which report API the audit writes: `wgpolicyk8s.io/v1alpha2` PolicyReport (Kyverno and Policy
 * Reporter today) or `openreports.io/v1alpha1` Report, the API they are moving to. The OpenReports
 * Report has the same results, summary and fields as PolicyReport v1alpha2, plus a report-level
 * `source` (openreports/reports-api, apis/openreports.io/v1alpha1/report_types.go: Report,
 * ReportResult, ReportSummary; plural `reports`, namespaced).
 * @module
 */
import { REPORT_API, type PolicyReport } from './policy-report.js';

export type ReportFormat = 'policyreport' | 'openreports';

export const REPORT_FORMATS: readonly ReportFormat[] = ['policyreport', 'openreports'];

/** The custom-object coordinates of each format, and how a person names its CRD. */
export const REPORT_APIS: Record<ReportFormat, { group: string; version: string; plural: string; kind: string }> = {
  policyreport: { ...REPORT_API, kind: 'PolicyReport' },
  openreports: { group: 'openreports.io', version: 'v1alpha1', plural: 'reports', kind: 'Report' },
};

/** The object to store for a format: the PolicyReport as it is, or the same content as an OpenReports Report. */
export function toReportFormat(report: PolicyReport, format: ReportFormat): Record<string, unknown> {
  if (format === 'policyreport') return report as unknown as Record<string, unknown>;
  const api = REPORT_APIS.openreports;
  // One engine writes every result, so the source sits on the report as well as on each result.
  return { ...report, apiVersion: `${api.group}/${api.version}`, kind: api.kind, source: 'vllm-guard' };
}
