/**
 * The words every stage of the engine shares: actions, modes, severities, owners, container roles,
 * the loose JSON object input arrives as, and a checklist item. Their own file because the other
 * type files (workload, argv, facts, policy, fix, config, review) all use them.
 * @module
 */
/** What a finding does: deny the object, warn, record it for the audit only, or nothing. */
export type Action = 'deny' | 'warn' | 'audit' | 'off';
/** How an engine or namespace enforces: deny findings deny (enforce), or are softened to warn or audit. */
export type Mode = 'enforce' | 'warn' | 'audit';
/** A policy's severity, for reports and ordering. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
/** Who acts on a policy's findings. */
export type Owner = 'ML Engineer' | 'MLOps' | 'SRE' | 'Platform' | 'Security';
/** server = the vLLM API server; ray-worker = a worker in a vLLM group; generic = any other checked container. */
export type ContainerRole = 'server' | 'ray-worker' | 'generic';

/** A loose JSON object as it arrives from YAML or an AdmissionReview: nothing is trusted. */
export type JsonObject = Record<string, unknown>;

/** The checklist entry a policy implements: its phase, section and item. */
export interface ChecklistItem {
  phase: string;
  section: string;
  item: string;
}
