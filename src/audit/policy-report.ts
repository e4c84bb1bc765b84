/**
 * One wgpolicyk8s.io/v1alpha2 PolicyReport per namespace (never one per pod: that floods etcd),
 * one result per workload and policy, pass results included while the report stays small.
 * Pure: the writer (report-writer.ts) sends them.
 * @module
 */
import { policyAction } from '../engine/api.js';
import type { EngineConfig, Finding, Policy } from '../engine/api.js';
import type { AuditResult } from './visit.js';

export const REPORT_API = { group: 'wgpolicyk8s.io', version: 'v1alpha2', plural: 'policyreports' } as const;
export const REPORT_NAME = 'vllm-guard';
export const MANAGED_BY = { key: 'app.kubernetes.io/managed-by', value: 'vllm-guard' } as const;
export const OMITTED_ANNOTATION = 'vllm-guard.io/omitted-results';
/** etcd refuses objects over 1.5 MiB; stay well under it. */
export const DEFAULT_MAX_REPORT_BYTES = 900_000;

export type ResultValue = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

export interface PolicyReportResult {
  policy: string;
  rule: string;
  result: ResultValue;
  severity: Policy['severity'];
  message: string;
  category: string;
  scored: boolean;
  source: 'vllm-guard';
  timestamp: { seconds: number; nanos: number };
  resources: { apiVersion: string; kind: string; name: string; namespace: string; uid?: string }[];
  properties?: Record<string, string>;
}

export type ReportSummaryCounts = Record<ResultValue, number>;

export interface PolicyReport {
  apiVersion: 'wgpolicyk8s.io/v1alpha2';
  kind: 'PolicyReport';
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string };
  summary: ReportSummaryCounts;
  results: PolicyReportResult[];
}

const RANK: Record<ResultValue, number> = { fail: 0, error: 1, warn: 2, skip: 3, pass: 4 };

function resultOf(findings: Finding[]): ResultValue {
  if (findings.length === 0) return 'pass';
  const open = findings.filter((f) => !f.waived);
  if (open.length === 0) return 'skip';
  // Compliance, not enforcement: a deny policy fails even while the mode is audit.
  return open.some((f) => f.configuredAction === 'deny') ? 'fail' : 'warn';
}

function propertiesOf(findings: Finding[], policy: Policy): Record<string, string> {
  const first = findings.find((f) => !f.waived) ?? findings[0];
  const props: Record<string, string> = { checklist: `${policy.checklist.phase} › ${policy.checklist.section} › ${policy.checklist.item}`, owner: policy.owner };
  if (!first) return props;
  props.action = first.action;
  props.path = first.path;
  props.remediation = first.remediation.slice(0, 500);
  if (first.container) props.container = first.container;
  if (first.waived) props.waived = `${first.waived.source}: ${first.waived.reason}${first.waived.until ? ` (until ${first.waived.until})` : ''}`;
  return props;
}

function applies(policy: Policy, workload: AuditResult, config: EngineConfig): boolean {
  if (policyAction(policy, config, workload.namespace) === 'off') return false;
  return workload.vllm || policy.appliesTo.includes('generic');
}

function buildResults(workload: AuditResult, policies: readonly Policy[], config: EngineConfig, timestamp: PolicyReportResult['timestamp']): PolicyReportResult[] {
  const resource = { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.name, namespace: workload.namespace, ...(workload.uid ? { uid: workload.uid } : {}) };
  return policies
    .filter((p) => applies(p, workload, config))
    .map((policy) => {
      const findings = workload.findings.filter((f) => f.policy === policy.id);
      const result = resultOf(findings);
      const first = findings.find((f) => !f.waived) ?? findings[0];
      const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
      return {
        policy: policy.id,
        rule: policy.checklist.item,
        result,
        severity: policy.severity,
        message: first ? `${first.message}${more}` : `passed: ${policy.title}`,
        category: `${policy.checklist.phase}: ${policy.checklist.section}`,
        scored: true,
        source: 'vllm-guard' as const,
        timestamp,
        resources: [resource],
        ...(result === 'pass' ? {} : { properties: propertiesOf(findings, policy) }),
      };
    });
}

function countResults(results: readonly PolicyReportResult[]): ReportSummaryCounts {
  const summary: ReportSummaryCounts = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.result] += 1;
  return summary;
}

/** Keeps the worst results that fit; the summary still counts every result. */
function fitResults(results: PolicyReportResult[], maxBytes: number): { kept: PolicyReportResult[]; omitted: number } {
  const sorted = [...results].sort((a, b) => RANK[a.result] - RANK[b.result]);
  const kept = new Set<PolicyReportResult>();
  let bytes = 2048;
  for (const r of sorted) {
    const size = JSON.stringify(r).length + 1;
    if (bytes + size > maxBytes) break;
    bytes += size;
    kept.add(r);
  }
  return { kept: results.filter((r) => kept.has(r)), omitted: results.length - kept.size };
}

export interface PolicyReportOptions {
  now: Date;
  maxBytes?: number;
}

/** One report per namespace that has checked workloads, results in a stable order. */
export function buildPolicyReports(results: readonly AuditResult[], policies: readonly Policy[], config: EngineConfig, options: PolicyReportOptions): PolicyReport[] {
  const timestamp = { seconds: Math.floor(options.now.getTime() / 1000), nanos: 0 };
  const byNamespace = new Map<string, PolicyReportResult[]>();
  for (const workload of results) {
    if (!workload.namespace) continue;
    const list = byNamespace.get(workload.namespace) ?? [];
    list.push(...buildResults(workload, policies, config, timestamp));
    byNamespace.set(workload.namespace, list);
  }
  return [...byNamespace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([namespace, all]) => {
      const { kept, omitted } = fitResults(all, options.maxBytes ?? DEFAULT_MAX_REPORT_BYTES);
      return {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: {
          name: REPORT_NAME,
          namespace,
          labels: { [MANAGED_BY.key]: MANAGED_BY.value },
          ...(omitted > 0 ? { annotations: { [OMITTED_ANNOTATION]: `${omitted} results not listed to keep the report small; the summary counts them` } } : {}),
        },
        summary: countResults(all),
        results: kept,
      };
    });
}

/**
 * The reports of results sorted by namespace (ResultStore.sorted()), one namespace at a time:
 * only one namespace's results are held while its report is built.
 */
export function* policyReportsByNamespace(sorted: Iterable<AuditResult>, policies: readonly Policy[], config: EngineConfig, options: PolicyReportOptions): Generator<PolicyReport> {
  let group: AuditResult[] = [];
  for (const result of sorted) {
    if (group.length > 0 && (group[0] as AuditResult).namespace !== result.namespace) {
      yield* buildPolicyReports(group, policies, config, options);
      group = [];
    }
    group.push(result);
  }
  if (group.length > 0) yield* buildPolicyReports(group, policies, config, options);
}
