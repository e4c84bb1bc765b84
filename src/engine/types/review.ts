/**
 * The engine's answer for one object: its findings (with fixes and waivers), the detection evidence
 * per checked container, notes and assumptions. Their own file: the contract the webhook, the CLI,
 * the audit and the reports read.
 * @module
 */
import type { UnknownFact } from './facts.js';
import type { FindingFix } from './fix.js';
import type { Action, ChecklistItem, ContainerRole, Owner, Severity } from './vocabulary.js';

/** A finding's outcome: the rule failed, or a fact it reads could not be verified. */
export type Outcome = 'fail' | 'unknown';

/** One failing rule of one policy for one object (or container), with where and what to do. */
export interface Finding {
  policy: string;
  title: string;
  /** The action after overrides, mode and waivers. */
  action: Action;
  /** The action the policy asked for before mode or waiver changed it. */
  configuredAction: Action;
  severity: Severity;
  outcome: Outcome;
  message: string;
  remediation: string;
  path: string;
  container: string | null;
  checklist: ChecklistItem;
  owner: Owner;
  /** The fact that could not be verified, when outcome is unknown. */
  unknown?: UnknownFact;
  waived?: { reason: string; until?: string; source: 'config' | 'annotation' };
  /** Set when a waiver was present but not honored (expired, reasonless, not waivable). */
  waiverProblem?: string;
  /** A patch that resolves the finding, when every value it needs is known (never for unknown outcomes). */
  fix?: FindingFix;
}

/** Why one container was checked, and in which role (vllm/detection-signals.ts). */
export interface ContainerDetection {
  /** Dotted path of the container. */
  container: string;
  name: string;
  role: ContainerRole;
  signals: { kind: string; strength: 'strong' | 'weak'; detail: string }[];
  /** The accelerator family of the build (cuda, rocm, cpu, tpu, gaudi, neuron, xpu, ascend, unknown). */
  family: string;
}

/** The engine's answer for one object (reviewObject). */
export interface WorkloadReview {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  vllm: boolean;
  /** One entry per checked container: the evidence that it is vLLM (the JSON contract's `detection`). */
  detection?: ContainerDetection[];
  skipped?: string;
  findings: Finding[];
  /** Notes for the user that are not findings: an expired waiver, an unknown kind. */
  notes: string[];
  /** What the model/hardware checks assumed, per vLLM server: "Llama-3.1-70B-Instruct (70.6B, bf16) on 2 × A100-SXM4-40GB". */
  assumed?: string[];
}
