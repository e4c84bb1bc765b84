/**
 * The words every stage of the engine shares: actions, modes, severities, owners, container roles,
 * the loose JSON object input arrives as, and a checklist item. Their own file because the other
 * type files (workload, argv, facts, policy, fix, config, review) all use them.
 * @module
 */
export type Action = 'deny' | 'warn' | 'audit' | 'off';
export type Mode = 'enforce' | 'warn' | 'audit';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type Owner = 'ML Engineer' | 'MLOps' | 'SRE' | 'Platform' | 'Security';
/** server = the vLLM API server; ray-worker = a worker in a vLLM group; generic = any other checked container. */
export type ContainerRole = 'server' | 'ray-worker' | 'generic';

/** A loose JSON object as it arrives from YAML or an AdmissionReview: nothing is trusted. */
export type JsonObject = Record<string, unknown>;

export interface ChecklistItem {
  phase: string;
  section: string;
  item: string;
}
