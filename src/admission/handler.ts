/**
 * One AdmissionRequest to one decision: which requests are passed untouched, the engine
 * call with the route's mode cap, the verdict turned into a response, and the failure
 * mode when the engine breaks. No HTTP, no logging: the route records what this returns.
 * @module
 */
import type { ServerSettings } from '../config/load.js';
import { softerMode, reviewedParentKinds } from '../engine/api.js';
import { reviewObject, verdictOf, type Engine, type RelatedSet } from '../engine/api.js';
import type { Finding, Mode } from '../engine/api.js';
import { TEMPLATE_PATHS } from '../engine/api.js';
import { measureObjectBudget, overBudgetMessage, type ObjectBudgetLimits } from './budget.js';
import {
  describeWorkload,
  formatDenyMessage,
  formatFailClosedMessage,
  formatFailOpenWarning,
  formatWarnings,
  type WorkloadIdentity,
} from './messages.js';
import type { AdmissionRequest, AdmissionResponse } from './review.js';
import { controllerMadeChild } from './owned.js';
import { isTemplateUnchanged, isSpecUnchanged } from './update.js';
import { AUTOSCALER_KINDS, reviewAutoscalerTarget, type WorkloadLookup } from './autoscaler.js';

export type Decision = 'allow' | 'deny' | 'warn' | 'audit' | 'skip' | 'fail-open' | 'fail-closed';

/** Why a request was allowed without a review. */
export type SkipReason = 'operation' | 'owned-pod' | 'owned-child' | 'not-vllm' | 'no-target';

export interface AdmissionOutcome {
  readonly response: Omit<AdmissionResponse, 'uid'>;
  readonly decision: Decision;
  readonly skipReason?: SkipReason;
  readonly workload: WorkloadIdentity;
  /** Findings that deny, warn or audit, for metrics and the decision log. */
  readonly findings: readonly Finding[];
  /** True when an UPDATE left every pod template as it was (never denied). */
  readonly templateUnchanged: boolean;
  /** The internal error answered by the failure mode. */
  readonly error?: unknown;
  /** Why the failure mode answered: an internal error, or an object over the review budget. */
  readonly errorReason?: 'internal' | 'over-budget';
}

export interface AdmissionContext {
  readonly engine: Engine;
  readonly settings: ServerSettings;
  /** The route's cap: /validate/warn never denies, /validate/audit never warns. */
  readonly modeCap?: Mode;
  readonly now?: Date;
  /** Per-object review budget, measured before the engine runs (none: no budget). */
  readonly budget?: ObjectBudgetLimits;
  /**
   * With `serve --lookups`: the related set of a namespace from the lookup cache (src/server/lookups.ts),
   * never waiting on it. Without it, or when it throws, related facts are unknown.
   */
  readonly related?: (namespace: string) => RelatedSet | undefined;
  /**
   * With `serve --lookups`: the cached workload an autoscaler's scaleTargetRef names. Without it an
   * HPA or ScaledObject is allowed silently (its target is unknown).
   */
  readonly workload?: WorkloadLookup;
}

/** The lookup cache's related set for the request's namespace; undefined (unknown) on any failure. */
function relatedOf(request: AdmissionRequest, ctx: AdmissionContext): RelatedSet | undefined {
  // No namespace (a cluster-scoped object): nothing namespaced relates to it, and the whole cache is no answer.
  if (ctx.related === undefined || request.namespace === '') return undefined;
  try {
    return ctx.related(request.namespace);
  } catch {
    return undefined;
  }
}

/** Kinds whose pod template vllm-guard reviews at the controller. */
const CONTROLLER_KINDS: ReadonlySet<string> = reviewedParentKinds(Object.keys(TEMPLATE_PATHS));

function identify(request: AdmissionRequest): WorkloadIdentity {
  let name = request.name;
  if (name === '') {
    const metadata = (request.object as { metadata?: { name?: unknown; generateName?: unknown } } | undefined)?.metadata;
    const fromObject = metadata?.name ?? metadata?.generateName;
    if (typeof fromObject === 'string') name = fromObject;
  }
  return { kind: request.kind.kind, namespace: request.namespace, name };
}

function skip(request: AdmissionRequest, skipReason: SkipReason, templateUnchanged = false): AdmissionOutcome {
  return { response: { allowed: true }, decision: 'skip', skipReason, workload: identify(request), findings: [], templateUnchanged };
}

function failWith(request: AdmissionRequest, ctx: AdmissionContext, error: unknown, templateUnchanged: boolean): AdmissionOutcome {
  const workload = identify(request);
  // An unchanged template is never denied, whatever the failure mode says.
  if (ctx.settings.failureMode === 'open' || templateUnchanged) {
    return { response: { allowed: true, warnings: [formatFailOpenWarning(workload)] }, decision: 'fail-open', workload, findings: [], templateUnchanged, error };
  }
  return {
    response: { allowed: false, status: { code: 500, reason: 'InternalError', message: formatFailClosedMessage(workload, request.uid) } },
    decision: 'fail-closed',
    workload,
    findings: [],
    templateUnchanged,
    error,
  };
}

/** The engine was not run: the object is over the review budget. The failure mode answers, and says why. */
function overBudget(request: AdmissionRequest, ctx: AdmissionContext, why: string, templateUnchanged: boolean): AdmissionOutcome {
  const workload = identify(request);
  const open = ctx.settings.failureMode === 'open' || templateUnchanged;
  const message = overBudgetMessage(describeWorkload(workload), why, open ? 'open' : 'closed');
  const base = { workload, findings: [], templateUnchanged, error: new Error(why), errorReason: 'over-budget' as const };
  if (open) return { ...base, response: { allowed: true, warnings: [message] }, decision: 'fail-open' };
  return { ...base, response: { allowed: false, status: { code: 413, reason: 'RequestEntityTooLarge', message } }, decision: 'fail-closed' };
}

/** Decides one request. Never throws: an engine error is answered by the failure mode. */
export function decideAdmission(request: AdmissionRequest, ctx: AdmissionContext): AdmissionOutcome {
  if (request.operation === 'DELETE' || request.operation === 'CONNECT') return skip(request, 'operation');
  // Children of a reviewed parent, created by the controller that really makes them (owned.ts).
  if (ctx.settings.passOwnedPods && controllerMadeChild(request, CONTROLLER_KINDS)) {
    return skip(request, request.kind.kind === 'Pod' ? 'owned-pod' : 'owned-child');
  }

  let templateUnchanged = false;
  try {
    templateUnchanged = request.operation === 'UPDATE' && isTemplateUnchanged(request.object, request.oldObject);
    if (ctx.budget !== undefined) {
      const budget = measureObjectBudget(request.object, ctx.budget);
      if (!budget.ok) return overBudget(request, ctx, budget.message, templateUnchanged);
    }
    if (AUTOSCALER_KINDS.has(request.kind.kind)) return decideAutoscaler(request, ctx);
    // Unchanged pods still hear what is wrong, as warnings, but are never blocked.
    const modeCap = templateUnchanged ? softerMode(ctx.modeCap, 'warn') : ctx.modeCap;
    const related = relatedOf(request, ctx);
    const review = reviewObject(ctx.engine, request.object, {
      detection: false,
      ...(modeCap !== undefined ? { modeCap } : {}),
      ...(related !== undefined ? { related } : {}),
      ...(ctx.now !== undefined ? { now: ctx.now } : {}),
    });
    if (!review.vllm) return skip(request, 'not-vllm', templateUnchanged);

    const verdict = verdictOf(review);
    const workload: WorkloadIdentity = { kind: review.kind || request.kind.kind, namespace: review.namespace || request.namespace, name: review.name || identify(request).name };
    const findings = [...verdict.deny, ...verdict.warn, ...verdict.audit];
    // Belt and braces for the no-trap promise: should the cap not hold, denials become warnings.
    const warned = templateUnchanged ? [...verdict.deny, ...verdict.warn] : verdict.warn;
    const warningLines = warned.length > 0 || review.notes.length > 0 ? formatWarnings(warned, review.notes) : [];
    const warnings = warningLines.length > 0 ? { warnings: warningLines } : {};
    if (!verdict.allowed && !templateUnchanged) {
      const status = { code: 403, reason: 'Forbidden', message: formatDenyMessage(workload, verdict.deny) };
      return { response: { allowed: false, status, ...warnings }, decision: 'deny', workload, findings, templateUnchanged };
    }
    const decision: Decision = warned.length > 0 ? 'warn' : verdict.audit.length > 0 ? 'audit' : 'allow';
    return { response: { allowed: true, ...warnings }, decision, workload, findings, templateUnchanged };
  } catch (error: unknown) {
    return failWith(request, ctx, error, templateUnchanged);
  }
}

/**
 * An HPA or ScaledObject: the verdict is what it brings about on the workload it scales (autoscaler.ts).
 * An UPDATE that leaves its spec alone is never denied. Nothing to review: allowed, no warning.
 */
function decideAutoscaler(request: AdmissionRequest, ctx: AdmissionContext): AdmissionOutcome {
  const specUnchanged = request.operation === 'UPDATE' && isSpecUnchanged(request.object, request.oldObject);
  const modeCap = specUnchanged ? softerMode(ctx.modeCap, 'warn') : ctx.modeCap;
  const autoscaler = identify(request);
  const result = reviewAutoscalerTarget({ ...autoscaler, object: request.object }, {
    engine: ctx.engine,
    related: relatedOf(request, ctx),
    ...(ctx.workload !== undefined ? { workload: ctx.workload } : {}),
    ...(modeCap !== undefined ? { modeCap } : {}),
    ...(ctx.now !== undefined ? { now: ctx.now } : {}),
  });
  if (result === undefined) return skip(request, 'no-target', specUnchanged);
  const { verdict, target } = result;
  const findings = [...verdict.deny, ...verdict.warn, ...verdict.audit];
  const warned = specUnchanged ? [...verdict.deny, ...verdict.warn] : verdict.warn;
  const about = `it scales ${describeWorkload(target)}; the findings are that workload's, with paths into it`;
  const warnings = warned.length > 0 ? { warnings: formatWarnings(warned, [`vllm-guard reviewed ${describeWorkload(target)}, which ${describeWorkload(autoscaler)} scales`]) } : {};
  if (!verdict.allowed && !specUnchanged) {
    const status = { code: 403, reason: 'Forbidden', message: formatDenyMessage(autoscaler, verdict.deny, about) };
    return { response: { allowed: false, status, ...warnings }, decision: 'deny', workload: autoscaler, findings, templateUnchanged: specUnchanged };
  }
  const decision: Decision = warned.length > 0 ? 'warn' : verdict.audit.length > 0 ? 'audit' : 'allow';
  return { response: { allowed: true, ...warnings }, decision, workload: autoscaler, findings, templateUnchanged: specUnchanged };
}
