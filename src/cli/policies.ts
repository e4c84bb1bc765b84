/** `vllm-guard policies` and `vllm-guard explain ID`: the catalogue for people. */
import { didYouMean } from '../config/did-you-mean.js';
import { policyAction, softer, type Action, type EngineConfig, type Policy, type PolicySet } from '../engine/api.js';
import { AppError } from '../errors.js';
import { compareChecklist } from '../report/checklist-columns.js';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

const STRICTNESS: Record<Action, number> = { off: 0, audit: 1, warn: 2, deny: 3 };

/**
 * The actions a policy's rules take now, weakest first ("warn / deny"): each rule's own action,
 * never stricter than the policy's (after the config), as the engine decides (engine/decide.ts).
 */
export function ruleActions(policy: Policy, config: EngineConfig): Action[] {
  const base = policyAction(policy, config, '');
  const actions = new Set(policy.rules.map((r) => (r.action ? softer(r.action, base) : base)));
  return [...actions].sort((a, b) => STRICTNESS[a] - STRICTNESS[b]);
}

/** Policies matching a filter (part of the id), or a usage error with the nearest ids. */
export function filterPolicies(set: PolicySet, filter: string | undefined): Policy[] {
  if (filter === undefined) return set.policies;
  const found = set.policies.filter((p) => p.id.includes(filter));
  if (found.length === 0) {
    throw new AppError('ERR_USAGE', `no policy id contains ${filter}${didYouMean(filter, set.byId.keys())} (run vllm-guard policies for the list)`);
  }
  return found;
}

/**
 * The catalogue table: id, the actions of its rules, waivable by annotation, severity, owner, checklist
 * item; grouped under a `Phase N › Section` line per checklist section, in the checklist's order
 * (report/checklist-columns.ts), the policies of a section in catalogue order.
 */
export function renderPolicyList(set: PolicySet, config: EngineConfig, policies: readonly Policy[] = set.policies): string {
  let changed = false;
  const ordered = [...policies].sort((a, b) => compareChecklist(a.checklist, b.checklist));
  const rows = ordered.map((p) => {
    const overridden = policyAction(p, config, '') !== p.action;
    changed ||= overridden;
    return [p.id, `${ruleActions(p, config).join(' / ')}${overridden ? ' *' : ''}`, p.waivable ? 'yes' : 'no', p.severity, p.owner, p.checklist.item];
  });
  const header = ['POLICY', 'ACTIONS', 'WAIVABLE', 'SEVERITY', 'OWNER', 'CHECKLIST ITEM'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i] ?? 0))).join('  ');
  const lines = [line(header)];
  let group = '';
  ordered.forEach((p, i) => {
    const title = `${p.checklist.phase} › ${p.checklist.section}`;
    if (title !== group) lines.push('', title);
    group = title;
    lines.push(line(rows[i] ?? []));
  });
  const notes = [
    'ACTIONS: what the rules do (a rule may be softer than its policy); the global or namespace mode can soften them further.',
    ...(changed ? ['* changed by the config; vllm-guard explain ID shows the default'] : []),
  ];
  return `${lines.join('\n')}\n\n${policies.length} policies from ${set.source}\n${notes.join('\n')}\n`;
}

/** A policy's purpose, rules, fix and example; a usage error with the nearest ids when there is none. */
export function renderExplain(set: PolicySet, config: EngineConfig, id: string): string {
  const p = set.byId.get(id);
  if (!p) throw new AppError('ERR_USAGE', `no policy ${id}${didYouMean(id, set.byId.keys())} (run vllm-guard policies for the list)`);
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
    'Rules (each failing rule is a finding; for one field the first that fails speaks. {{…}} is filled',
    'in from the workload, [[…]] is shown only when the facts inside it are known: docs/writing-policies.md)',
  ];
  const action = policyAction(p, config, '');
  p.rules.forEach((r, i) => {
    // What the rule gives now: its own action, never stricter than the policy's (as ruleActions).
    out.push(`  ${i + 1}. ${r.action ? softer(r.action, action) : action}: ${r.message}`, `     fix: ${r.remediation}`);
  });
  if (Object.keys(p.params).length) out.push('', `Parameters (override in the config under policies.${p.id}.params)`, ...Object.entries(p.params).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`));
  if (p.example?.bad) out.push('', 'Fails', ...p.example.bad.trimEnd().split('\n').map((l) => `  ${l}`));
  if (p.example?.good) out.push('', 'Passes', ...p.example.good.trimEnd().split('\n').map((l) => `  ${l}`));
  out.push('', `Defined in ${p.file}`);
  return `${out.join('\n')}\n`;
}
