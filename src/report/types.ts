/** The report every output format renders: the JSON contract of `vllm-guard check` and `audit`. */
import type { ContainerDetection, Finding } from '../engine/api.js';

export interface ReportFinding extends Finding {
  /** Line in the source file, when the result came from a file. */
  line?: number;
  /** 1-based column of the field, with line. */
  column?: number;
}

export interface ReportResult {
  source: string;
  /** The file part of source (a path, `stdin`, or `DIR (kubectl kustomize)`), when it came from a file. */
  file?: string;
  /** The Helm template the object was rendered from (`# Source:` comment), when known. */
  template?: string;
  /** The owner team (a label), for the scorecard page; not part of the JSON contract. */
  team?: string;
  kind: string;
  namespace: string;
  name: string;
  vllm: boolean;
  /** Why each checked container was taken for vLLM, and its role. */
  detection?: ContainerDetection[];
  skipped?: string;
  notes: string[];
  /** What the model/hardware checks assumed (model and GPU), per vLLM server. */
  assumed?: string[];
  findings: ReportFinding[];
}

export interface ReportError {
  source: string;
  line?: number;
  message: string;
}

export interface ReportSummary {
  resources: number;
  vllm: number;
  deny: number;
  warn: number;
  audit: number;
}

export interface Report {
  results: ReportResult[];
  errors: ReportError[];
  summary: ReportSummary;
}

/**
 * The report's counts: objects reviewed, those running vLLM, and findings by final action (deny, warn,
 * audit; `off` not counted). Never throws.
 */
export function summarize(results: readonly ReportResult[]): ReportSummary {
  const summary: ReportSummary = { resources: results.length, vllm: 0, deny: 0, warn: 0, audit: 0 };
  for (const result of results) {
    if (result.vllm) summary.vllm += 1;
    for (const finding of result.findings) {
      if (finding.action === 'deny' || finding.action === 'warn' || finding.action === 'audit') summary[finding.action] += 1;
    }
  }
  return summary;
}

/** "spec.template.spec.containers[0].args" → ['spec','template','spec','containers',0,'args']. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      out.push(part);
      continue;
    }
    if (match[1]) out.push(match[1]);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

/** A finding's checklist place as one line: `phase › section › item`. Never throws. */
export function checklistText(finding: Pick<Finding, 'checklist'>): string {
  const c = finding.checklist;
  return `${c.phase} › ${c.section} › ${c.item}`;
}
