/** SARIF 2.1.0 for code-scanning UIs: one rule per policy, one result per finding, with file and line. */
import type { Action, Finding, Policy } from '../engine/api.js';
import { escapeControl } from './sanitize.js';
import { checklistText, type Report } from './types.js';

const LEVEL: Record<Action, string> = { deny: 'error', warn: 'warning', audit: 'note', off: 'none' };

/** `fixEdit` gives the text change of a finding's fix (cli/fix-sarif.ts sarifFixEdits); without it, no `fixes`. */
export function renderSarif(report: Report, policies: readonly Policy[], version: string, fixEdit?: (source: string, finding: Finding) => object | undefined): string {
  const rules = policies.map((p) => ({
    id: p.id,
    name: p.id,
    shortDescription: { text: p.title },
    fullDescription: { text: p.description.trim() },
    help: { text: `${p.description.trim()}\nChecklist: ${p.checklist.phase} › ${p.checklist.section} › ${p.checklist.item}` },
    defaultConfiguration: { level: LEVEL[p.action] },
    properties: { tags: ['vllm', p.owner], severity: p.severity },
  }));
  const index = new Map(policies.map((p, i) => [p.id, i]));
  const results = report.results.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.policy,
      ...(index.has(f.policy) ? { ruleIndex: index.get(f.policy) } : {}),
      level: LEVEL[f.action],
      // Code-scanning UIs render the text: escape terminal controls and bidi overrides from the manifest.
      message: { text: escapeControl(`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${f.message} Fix: ${f.remediation}`) },
      locations: [
        {
          // Helm output points at its template (rendered lines are not template lines).
          physicalLocation: r.template
            ? { artifactLocation: { uri: escapeControl(r.template) } }
            : {
                artifactLocation: { uri: escapeControl(r.file ?? r.source.split('#')[0] ?? r.source) },
                ...(f.line !== undefined ? { region: { startLine: f.line, ...(f.column !== undefined ? { startColumn: f.column } : {}) } } : {}),
              },
          logicalLocations: [{ fullyQualifiedName: f.path, kind: 'member' }],
        },
      ],
      properties: { checklist: checklistText(f), container: f.container, outcome: f.outcome },
      ...(f.waived ? { suppressions: [{ kind: 'external', justification: f.waived.reason }] } : {}),
      ...(f.fix && fixEdit ? sarifFixes(f.fix.description, fixEdit(r.source, f)) : {}),
    })),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'vllm-guard', version, informationUri: 'https://github.com/vllm-guard/vllm-guard', rules } }, results }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** SARIF `fixes`: the fix's description with its artifact change, when the change is known. */
function sarifFixes(description: string, change: object | undefined): { fixes?: object[] } {
  return change ? { fixes: [{ description: { text: description }, artifactChanges: [change] }] } : {};
}
