/** `vllm-guard policies` and `vllm-guard explain ID`: the catalogue for people. */
import type { EngineConfig, PolicySet } from '../engine/api.js';
import { policyAction } from '../engine/api.js';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function renderPolicyList(set: PolicySet, config: EngineConfig): string {
  const rows = set.policies.map((p) => [p.id, policyAction(p, config, ''), p.severity, p.owner, `${p.checklist.section} › ${p.checklist.item}`]);
  const header = ['POLICY', 'ACTION', 'SEVERITY', 'OWNER', 'CHECKLIST ITEM'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const lines = [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i] ?? 0))).join('  '));
  return `${lines.join('\n')}\n${set.policies.length} policies from ${set.source}\n`;
}

export function renderExplain(set: PolicySet, config: EngineConfig, id: string): string | null {
  const p = set.byId.get(id);
  if (!p) return null;
  const out = [
    `${p.id}: ${p.title}`,
    '',
    `Action:    ${policyAction(p, config, '')} (default ${p.action})${p.waivable ? ', waivable by annotation' : ''}`,
    `Severity:  ${p.severity}`,
    `Owner:     ${p.owner}`,
    `Checklist: ${p.checklist.phase} › ${p.checklist.section} › ${p.checklist.item}`,
    `Checks:    ${p.appliesTo.join(', ')} containers`,
    '',
    'Why',
    ...p.description.trim().split('\n').map((l) => `  ${l}`),
    '',
    'Rules (the first that fails gives the finding)',
  ];
  p.rules.forEach((r, i) => {
    out.push(`  ${i + 1}. ${r.action ?? 'policy action'}: ${r.message}`, `     fix: ${r.remediation}`);
  });
  if (Object.keys(p.params).length) out.push('', `Parameters (override in the config under policies.${p.id}.params)`, ...Object.entries(p.params).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`));
  if (p.example?.bad) out.push('', 'Fails', ...p.example.bad.trimEnd().split('\n').map((l) => `  ${l}`));
  if (p.example?.good) out.push('', 'Passes', ...p.example.good.trimEnd().split('\n').map((l) => `  ${l}`));
  out.push('', `Defined in ${p.file}`);
  return `${out.join('\n')}\n`;
}
