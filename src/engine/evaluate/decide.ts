/**
 * From raw findings to decisions: policy default, config override per policy and namespace,
 * the softer rule action, unknown values (never deny), waivers, then the mode.
 */
import { softer, type RawFinding } from './evaluate.js';
import { plannedAction } from './plan.js';
import { ownEntry } from '../util/json.js';
import { findWaiver } from './waivers.js';
import type { Action, EngineConfig, Finding, Mode, Policy, UnknownFact, Waiver, Workload } from '../types.js';

const MODE_RANK: Record<Mode, number> = { enforce: 0, warn: 1, audit: 2 };

/** The more lenient of two modes (audit over warn over enforce); an absent cap changes nothing. */
export function softerMode(cap: Mode | undefined, mode: Mode): Mode {
  return cap !== undefined && MODE_RANK[cap] > MODE_RANK[mode] ? cap : mode;
}

/** The namespace's mode (else the global one), never stricter than the cap (the webhook path). */
export function effectiveMode(config: EngineConfig, namespace: string, cap?: Mode): Mode {
  return softerMode(cap, ownEntry(config.namespaces, namespace)?.mode ?? config.mode);
}

/**
 * The action a policy has in a namespace before the mode applies: the config's per-namespace override
 * for it, else its config action, else the policy's own (`''` as namespace: the config-wide action).
 * Never throws.
 */
export function policyAction(policy: Policy, config: EngineConfig, namespace: string): Action {
  const override = ownEntry(config.policies, policy.id);
  return ownEntry(override?.namespaces, namespace) ?? override?.action ?? policy.action;
}

function applyMode(action: Action, mode: Mode): Action {
  if (mode === 'audit' && action !== 'off') return 'audit';
  if (mode === 'warn' && action === 'deny') return 'warn';
  return action;
}

export interface DecideContext {
  workload: Workload;
  waivers: readonly Waiver[];
  mode: Mode;
  /**
   * The review's clock, read only when a waiver with an expiry is judged (the same Date for every
   * finding of the review): most reviews judge none, and `new Date()` per review was ~1.5 % of a
   * passing one (bench/PROFILE.md step L1).
   */
  now: () => Date;
  /** False when the review had no related set (admission without lookups). */
  relatedLookedUp: boolean;
}

/** True when what made the finding unknown is the objects around the workload. */
function unknownForLackOfRelated(raw: RawFinding): boolean {
  const path = raw.unknown?.path ?? '';
  return path === 'related' || path.startsWith('related.');
}

/**
 * An unknown outcome's sentence. It leads with the requirement it could not confirm (the policy's
 * title): the rule's own sentence states a fault as fact, with "(unknown)" where a value could not be
 * read, so it follows as what is unconfirmed rather than as the finding. Not when the whole command
 * line is unknown (`vllm`: an image ENTRYPOINT, a shell script): the rule then read vLLM's defaults, not
 * what the manifest writes, and its sentence ("no --dtype is given", "starts vLLM without a model")
 * would contradict args the reader can see.
 */
function unknownMessage(unknown: UnknownFact, title: string, sentence: string): string {
  const lead = `could not be verified (${unknown.reason}): ${title}`;
  return unknown.path === 'vllm' ? `${lead}.` : `${lead}. Unconfirmed: ${sentence}`;
}

const START_IN_MANIFEST = 'start vLLM in the manifest (command: [vllm, serve], args: its flags), or mount the start script from a ConfigMap that check reads with the workload';
/** What makes the command line readable, by what hid it (build.ts: the `vllm` unknown's source). */
const READ_THE_COMMAND: Readonly<Record<string, string>> = {
  'image ENTRYPOINT': "write the container's command in the manifest (command: [vllm, serve]), or add the image to the config's detection.entrypoints",
  'shell script': START_IN_MANIFEST,
  command: START_IN_MANIFEST,
};

/**
 * An unknown outcome's advice when the whole command line is unknown (`vllm`): the rule's remediation was
 * rendered from vLLM's defaults, not from what the manifest writes, so it may ask for what is already
 * there ("add --tensor-parallel-size 2" beside args that hold it). It says what to confirm instead (the
 * policy's title) and, where the source says how, how to let vllm-guard read the command.
 */
function unknownCommandAdvice(unknown: UnknownFact, title: string): string {
  const requirement = /^[A-Z][a-z]/.test(title) ? title[0]?.toLowerCase() + title.slice(1) : title;
  const how = READ_THE_COMMAND[unknown.source];
  return `check by hand that ${requirement.replace(/\.$/, '')}${how ? `; to have it checked, ${how}` : ''}`;
}

/**
 * A raw finding as the user sees it: the planned action, softened by the rule's own action, to at most
 * warn when the outcome is unknown (unknown never denies; to audit when only the related objects that were
 * not looked up made it so), to audit when waived, else by the mode; an unknown one's message leads with
 * "could not be verified (reason)" (and, when the whole command line is unknown, advice that does not read vLLM's defaults). Never throws.
 */
export function decideFinding(raw: RawFinding, ctx: DecideContext): Finding {
  const { policy } = raw;
  const base = plannedAction(raw.planned, ctx.workload.namespace);
  let configured = raw.rule.action ? softer(raw.rule.action, base) : base;
  if (raw.outcome === 'unknown') configured = softer(configured, 'warn');
  // Without lookups the policies that say they read related objects are not run (engine.ts); a team policy
  // that reads them without saying so is recorded (audit) rather than heard on every apply.
  if (raw.outcome === 'unknown' && !ctx.relatedLookedUp && unknownForLackOfRelated(raw)) configured = softer(configured, 'audit');
  const waiver = findWaiver(policy, raw.planned.waivable, ctx.workload, ctx.waivers, ctx.now);
  const action = waiver.waived ? softer(configured, 'audit') : applyMode(configured, ctx.mode);
  const message = raw.unknown ? unknownMessage(raw.unknown, policy.title, raw.message) : raw.message;
  const finding: Finding = {
    policy: policy.id,
    title: policy.title,
    action,
    configuredAction: configured,
    severity: policy.severity,
    outcome: raw.outcome,
    message,
    remediation: raw.unknown?.path === 'vllm' ? unknownCommandAdvice(raw.unknown, policy.title) : raw.remediation,
    path: raw.path,
    container: raw.container,
    checklist: policy.checklist,
    owner: policy.owner,
  };
  if (raw.unknown) finding.unknown = raw.unknown;
  if (waiver.waived) finding.waived = waiver.waived;
  if (waiver.problem) finding.waiverProblem = waiver.problem;
  if (raw.fix) finding.fix = raw.fix;
  return finding;
}
