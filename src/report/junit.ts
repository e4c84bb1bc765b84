/** JUnit XML for CI dashboards: a test case per workload; denials fail it, warnings go to system-out. */
import { escapeControl } from './sanitize.js';
import type { Report, ReportFinding } from './types.js';

function escapeXml(text: string): string {
  // XML 1.0 forbids most control characters even when escaped; they (and bidi overrides, which
  // CI dashboards would render) become visible escapes. Newlines separate findings, so they stay.
  return text
    .split('\n')
    .map((line) => escapeControl(line))
    .join('\n')
    .replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function line(f: ReportFinding): string {
  return `${f.action} ${f.policy} at ${f.path}: ${f.message} Fix: ${f.remediation}`;
}

/**
 * The report as a JUnit XML document: one testcase per vLLM workload or workload with findings (failed
 * by its denials, other findings in system-out) and one errored testcase per input error; text is XML-
 * escaped, control characters shown as escapes. Never throws.
 */
export function renderJunit(report: Report): string {
  const cases = report.results
    .filter((r) => r.vllm || r.findings.length > 0)
    .map((r) => {
      const name = escapeXml(`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`);
      const denials = r.findings.filter((f) => f.action === 'deny');
      const others = r.findings.filter((f) => f.action !== 'deny');
      const failure = denials.length
        ? `<failure message="${escapeXml(`${denials.length} policies deny: ${denials.map((f) => f.policy).join(', ')}`)}">${escapeXml(denials.map(line).join('\n'))}</failure>`
        : '';
      const out = others.length ? `<system-out>${escapeXml(others.map(line).join('\n'))}</system-out>` : '';
      return `    <testcase classname="${escapeXml(r.source)}" name="${name}">${failure}${out}</testcase>`;
    });
  const errors = report.errors.map(
    (e) => `    <testcase classname="${escapeXml(e.source)}" name="input"><error message="${escapeXml(e.message)}"/></testcase>`,
  );
  const failures = report.results.filter((r) => r.findings.some((f) => f.action === 'deny')).length;
  const tests = cases.length + errors.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vllm-guard" tests="${tests}" failures="${failures}" errors="${errors.length}">`,
    `  <testsuite name="vllm-guard" tests="${tests}" failures="${failures}" errors="${errors.length}">`,
    ...cases,
    ...errors,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
