/**
 * What the audit must be allowed to read, derived from the kinds it lists (src/audit/kinds.ts, whose
 * CRDs come from the engine's kind table), so deploy/base/rbac.yaml and the audit cannot drift apart.
 */
import { AUDIT_KINDS } from '../../src/audit/kinds.js';
import { RELATED_AUDIT_KINDS } from '../../src/audit/related-kinds.js';

export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** `group/resource` grants of some rules, sorted (`apps/deployments`, `/pods` for the core group). */
export function readGrants(rules: readonly Rule[]): string[] {
  return [...new Set(rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))))].sort();
}

/** Every kind the audit lists, and namespaces (the core group). */
export function auditReadGrants(): string[] {
  const related = RELATED_AUDIT_KINDS.flat().map((k) => `${k.group}/${k.plural}`);
  return [...new Set([...AUDIT_KINDS.map((k) => `${k.group}/${k.plural}`), ...related, '/namespaces'])].sort();
}
