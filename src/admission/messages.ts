/**
 * What a kubectl user reads: the denial message (status.message, printed after
 * "denied the request:") and the `Warning:` lines. Pure text formatting.
 * @module
 */
import type { Finding } from '../engine/api.js';

/** Kubernetes asks for warnings under 120 characters where possible; longer ones may be truncated. */
export const WARNING_SOFT_LIMIT = 120;
export const WARNING_HARD_LIMIT = 256;
/** The API server drops warnings past 4 KiB in total; stay under it with room for the summary. */
export const WARNINGS_TOTAL_LIMIT = 4000;
/** Enough for a dozen findings in a terminal; the CLI shows everything. */
export const DENY_MESSAGE_LIMIT = 6000;
export const CHECK_HINT = 'run `vllm-guard check` on the manifest for details';

export interface WorkloadIdentity {
  kind: string;
  namespace: string;
  name: string;
}

/** `Deployment ml/llama`, as a user would type it. */
export function describeWorkload(id: WorkloadIdentity): string {
  const name = id.name === '' ? '(unnamed)' : id.name;
  const kind = id.kind === '' ? 'object' : id.kind;
  return id.namespace === '' ? `${kind} ${name}` : `${kind} ${id.namespace}/${name}`;
}

/** One line of printable text: header-safe and terminal-safe. */
function toOneLine(text: string): string {
  // Policy messages are one line already; only rewrite the rare one that is not (hot path).
  if (!/[\u0000-\u001f\u007f]|\s\s|^\s|\s$/.test(text)) return text;
  return text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

/** One warning line for a finding: with its fix when that still fits in the soft limit. */
export function formatWarning(finding: Finding): string {
  const base = toOneLine(`${finding.policy}: ${finding.message}`);
  // "; fix:" and "; vllm-guard fix:" as in the denial's "fix:" and "vllm-guard fix:" lines: a
  // separator, so the message's last word and the fix do not run together ("GPU nodes Fix").
  const withFix = finding.remediation ? `${base}; fix: ${toOneLine(finding.remediation)}` : base;
  if (withFix.length <= WARNING_SOFT_LIMIT) return withFix;
  // A machine fix's one-line description, when it fits after the whole message.
  const auto = finding.fix ? `; vllm-guard fix: ${truncate(toOneLine(finding.fix.description), 120)}` : '';
  // The message comes first: the fix is added only when both fit in the hard limit.
  return auto && base.length + auto.length <= WARNING_HARD_LIMIT ? `${base}${auto}` : truncate(base, WARNING_HARD_LIMIT);
}

/**
 * Warning lines for findings then notes, each under 256 characters and all together under
 * 4 KB; what does not fit becomes one "…and N more" line.
 */
export function formatWarnings(findings: readonly Finding[], notes: readonly string[] = []): string[] {
  const lines = [...findings.map(formatWarning), ...notes.map((note) => truncate(toOneLine(note), WARNING_HARD_LIMIT))];
  const out: string[] = [];
  let bytes = 0;
  for (const [index, line] of lines.entries()) {
    const size = Buffer.byteLength(line);
    const rest = lines.length - index - 1;
    // Keep room for the summary line unless this is the last one.
    const reserve = rest > 0 ? 80 : 0;
    if (bytes + size + reserve > WARNINGS_TOTAL_LIMIT) {
      out.push(`…and ${lines.length - index} more: ${CHECK_HINT}`);
      return out;
    }
    out.push(line);
    bytes += size;
  }
  return out;
}

function formatDenyEntry(finding: Finding): string {
  const where = finding.container ? `${finding.path} (container ${finding.container})` : finding.path;
  const lines = [`- ${finding.policy}: ${toOneLine(finding.message)}`];
  if (where) lines.push(`    at:  ${where}`);
  if (finding.remediation) lines.push(`    fix: ${toOneLine(finding.remediation)}`);
  if (finding.fix) lines.push(`    vllm-guard fix: ${toOneLine(finding.fix.description)}${finding.fix.needs ? ' (with --accept)' : ''}`);
  if (finding.waiverProblem) lines.push(`    waiver not honored: ${toOneLine(finding.waiverProblem)}`);
  return lines.join('\n');
}

/**
 * The denial: names the workload, then each failing policy with the field path and the fix,
 * one block per finding, readable where kubectl prints it. `about`, when given, follows the
 * name in parentheses (an autoscaler's answer names the workload the findings are about).
 */
export function formatDenyMessage(id: WorkloadIdentity, denied: readonly Finding[], about?: string): string {
  const count = denied.length === 1 ? '1 policy failed' : `${denied.length} policies failed`;
  let message = `vllm-guard denied ${describeWorkload(id)}${about === undefined ? '' : ` (${about})`}: ${count}`;
  for (const [index, finding] of denied.entries()) {
    const entry = formatDenyEntry(finding);
    if (message.length + entry.length + 100 > DENY_MESSAGE_LIMIT) {
      return `${message}\n…and ${denied.length - index} more: ${CHECK_HINT}`;
    }
    message += `\n${entry}`;
  }
  return message;
}

/** Fail-open: the request goes through, and the user learns it was not checked. */
export function formatFailOpenWarning(id: WorkloadIdentity): string {
  return truncate(`vllm-guard could not check ${describeWorkload(id)} (internal error); allowed because failureMode is open`, WARNING_HARD_LIMIT);
}

/** Fail-closed: the request is denied, and the user learns it is not their manifest's fault. */
export function formatFailClosedMessage(id: WorkloadIdentity, uid: string): string {
  return (
    `vllm-guard could not check ${describeWorkload(id)} because of an internal error, and failureMode is closed, so it was denied. ` +
    `This is not a problem in the manifest: retry, or ask the cluster admins to look for uid ${uid} in the vllm-guard logs.`
  );
}
