/**
 * The compiled engine: one immutable object built from a policy set and a config, holding every
 * table a review needs (detection patterns, entrypoints, accelerator matcher, secret names, the
 * policy plan with its templates). Reviews are pure and synchronous; nothing here is cached in
 * module state, so two engines (a reload's old and new) never share anything mutable.
 */
import { aliasPath } from './workload/dynamo-graph.js';
import { compileDetection, type CompiledDetection } from './vllm/detection-config.js';
import { decideFinding, effectiveMode } from './evaluate/decide.js';
import { evaluatePolicies } from './evaluate/evaluate.js';
import { collectSecrets, createRedactor } from './evaluate/redact.js';
import type { EnvFact } from './facts/env.js';
import { planPolicies, type PlannedPolicy, type PolicyPlan } from './evaluate/plan.js';
import { compileScreen, type Screen } from './evaluate/screen.js';
import { MAX_FIXES_PER_REVIEW, type FixContext } from './evaluate/fix.js';
import { withoutSuperseded } from './evaluate/superseded.js';
import { createMemo, MEMO_CAPACITY, type Memo } from './util/memo.js';
import { MAX_SERVE_CONFIG_CHARS, type RayServeApps } from './workload/ray-serve-llm.js';
import { createValuesMemo } from './util/values-memo.js';
import { createTextSet } from './util/text-set.js';
import type { PointerMemo } from './evaluate/json-pointer.js';
import { mayReadRelatedFacts } from './evaluate/related-reads.js';
import { buildFacts, type FactsTables } from './facts/build.js';
import { groupAccelerators } from './facts/accelerator-facts.js';
import { createIntentKeys } from './facts/intent.js';
import { createAcceleratorMatcher } from './facts/resources.js';
import { createKnowledge } from './knowledge/knowledge.js';
import { containerCapNotes, selectTargets } from './workload/select.js';
import { parseVllmArgs } from './vllm/args.js';
import { createAbbreviationExpansion, expandAbbreviations } from './vllm/abbreviations.js';
import { extractWorkload } from './workload/extract.js';
import { withServingRuntime } from './workload/kserve-runtime.js';
import { describeDetection } from './vllm/describe-detection.js';
import { rayLlmAliases, readRayService } from './workload/ray-llm-targets.js';
import { createImageLookups } from './knowledge/image-lookups.js';
import { createArgsReading, createArgvValidation, createReadingFlags } from './vllm/argv-memo.js';
import { bundledVendorImages, loadBundledOptionTable } from './vllm/bundled.js';
import type { RelatedSet } from './related/related-set.js';
import type { ContainerDetection, ContainerRole, EngineConfig, Finding, Mode, PolicySet, WorkloadReview } from './types.js';

/** serveConfigV2 texts remembered per engine: a cluster runs a handful of RayServices (up to 32 × 256 KiB). */
const SERVE_CONFIG_MEMO_CAPACITY = 32;

/** A compiled engine. Opaque to callers: build it with createEngine, use it with reviewObject. */
export interface Engine {
  readonly policies: PolicySet;
  readonly config: EngineConfig;
  /** @internal compiled tables; shapes may change between releases. */
  readonly detection: CompiledDetection;
  /** @internal */
  readonly facts: FactsTables;
  /** @internal */
  readonly plan: PolicyPlan;
  /**
   * @internal The plan without the policies that judge related objects (`uses` names `related` or `autoscaling`), for
   * reviews without a related set (admission without lookups): each finding would be "could not be verified".
   */
  readonly planWithoutRelated: PolicyPlan;
  /**
   * @internal Per role, whether a policy of planWithoutRelated may read the `related` or `autoscaling`
   * facts (evaluate/related-reads.ts): when none can, a review without a related set does not build them.
   */
  readonly relatedFactsRead: Readonly<Record<ContainerRole, boolean>>;
  /**
   * @internal Per role, the screen of `plan` and of `planWithoutRelated` (evaluate/screen.ts): one
   * generated function that lets through only the rules that may fail. Null without check sources.
   */
  readonly screens: Readonly<Record<'plan' | 'withoutRelated', Readonly<Record<ContainerRole, Screen | null>>>>;
  /** @internal JSON Pointers of a container's fact paths, for fixes (evaluate/fix.ts FixContext). */
  readonly fixPointers: PointerMemo;
  /** @internal A RayService's serveConfigV2 text → its Ray Serve LLM apps (workload/ray-serve-llm.ts), read-only. */
  readonly serveConfigs: Memo<RayServeApps>;
  /** Problems that did not stop the engine (the config names a policy that does not exist, …). */
  readonly warnings: readonly string[];
}

export interface EngineInput {
  /** A compiled policy set (policy/load.ts loadPolicies or compilePolicySet). */
  policies: PolicySet;
  /** The engine part of a loaded config (config/load.ts). */
  config: EngineConfig;
}

/**
 * Compiles a policy set with a config into an engine. Throws ERR_CONFIG when a configured pattern
 * is not RE2 or too long (the config loader already refuses those with file and line).
 */
export function createEngine({ policies, config }: EngineInput): Engine {
  const plan = planPolicies(policies, config);
  const planWithoutRelated = withoutRelated(plan);
  const vendors = bundledVendorImages();
  const images = createImageLookups(vendors);
  const table = loadBundledOptionTable();
  const engine: Engine = {
    policies,
    config,
    detection: compileDetection(config.detection),
    facts: {
      accelerators: createAcceleratorMatcher(config.acceleratorResources),
      secretEnv: { list: config.secretEnv, set: new Set(config.secretEnv) },
      intentPrefix: config.intentPrefix, intentKeys: createIntentKeys(config.intentPrefix),
      knowledge: createKnowledge(config.knowledge),
      vllm: Object.freeze({ table, vendors, imageVersion: images.version, validateArgv: createArgvValidation(table), parseArgs: createArgsReading(), expandAbbreviations: createAbbreviationExpansion(table), engineFlags: createReadingFlags() }),
      images,
    },
    plan,
    planWithoutRelated,
    relatedFactsRead: relatedFactsRead(planWithoutRelated),
    screens: { plan: screensOf(plan), withoutRelated: screensOf(planWithoutRelated) },
    fixPointers: createValuesMemo(MEMO_CAPACITY, { maxChars: 1024 }),
    // Few RayServices, each reviewed again on every update: the texts are kept whole (up to the read limit).
    serveConfigs: createMemo<RayServeApps>(SERVE_CONFIG_MEMO_CAPACITY, MAX_SERVE_CONFIG_CHARS),
    warnings: [...policies.warnings, ...Object.keys(config.policies)
      .filter((id) => !policies.byId.has(id))
      .map((id) => `the config sets policies.${id}, but no policy has that id`)],
  };
  return Object.freeze(engine);
}

/** True when a policy says it reads the objects around the workload (`uses: [related.…, autoscaling.…]`). */
function readsRelated(planned: PlannedPolicy): boolean {
  return planned.policy.uses.some((use) => use === 'related' || use.startsWith('related.') || use === 'autoscaling' || use.startsWith('autoscaling.'));
}

function withoutRelated(plan: PolicyPlan): PolicyPlan {
  const out = {} as Record<ContainerRole, readonly PlannedPolicy[]>;
  for (const [role, list] of Object.entries(plan) as [ContainerRole, readonly PlannedPolicy[]][]) out[role] = list.filter((p) => !readsRelated(p));
  return out;
}

function screensOf(plan: PolicyPlan): Record<ContainerRole, Screen | null> {
  const out = {} as Record<ContainerRole, Screen | null>;
  for (const [role, list] of Object.entries(plan) as [ContainerRole, readonly PlannedPolicy[]][]) out[role] = compileScreen(list);
  return out;
}

function relatedFactsRead(plan: PolicyPlan): Record<ContainerRole, boolean> {
  const out = {} as Record<ContainerRole, boolean>;
  for (const [role, list] of Object.entries(plan) as [ContainerRole, readonly PlannedPolicy[]][]) out[role] = list.some((p) => mayReadRelatedFacts(p.policy));
  return out;
}

export interface ReviewOptions {
  /** The most a caller allows (a webhook path like /validate/warn): never stricter than the config. */
  modeCap?: Mode;
  now?: Date;
  /**
   * The objects around the workload (check: the input set; audit: its namespace). Absent at admission
   * without lookups: facts about related objects are then unknown, never a reason to deny.
   */
  related?: RelatedSet;
  /**
   * false: leave out `detection` (each checked container's evidence that it is vLLM), which only
   * reports show; the webhook's answer never carries it and saves its cost. Default true.
   */
  detection?: boolean;
}

export interface Verdict {
  allowed: boolean;
  deny: Finding[];
  warn: Finding[];
  audit: Finding[];
}

/**
 * Reviews one Kubernetes object (any kind; unknown kinds are skipped with a reason): every failing
 * rule of every applicable policy, decided for the namespace, mode and waivers. Pure and synchronous.
 */
export function reviewObject(engine: Engine, object: unknown, options: ReviewOptions = {}): WorkloadReview {
  const { config } = engine;
  // An InferenceService whose ServingRuntime is in the related set is the pod KServe makes from both.
  const workload = withServingRuntime(extractWorkload(object), object, options.related ?? null);
  const review: WorkloadReview = {
    apiVersion: workload.apiVersion,
    kind: workload.kind,
    namespace: workload.namespace,
    name: workload.name,
    vllm: false,
    findings: [],
    notes: [],
  };
  if (workload.skipped) {
    review.skipped = workload.skipped;
    // An object that makes vLLM pods vllm-guard cannot see is worth a line in every report, not a count.
    if (workload.holdsVllm) review.notes.push(workload.skipped);
    return review;
  }
  review.notes.push(...readRayService(workload, object, engine.serveConfigs));
  const targets = selectTargets(workload, engine.detection, options.related ?? null);
  review.notes.push(...containerCapNotes(workload));
  if (targets.length === 0) return review;
  review.vllm = targets.some((t) => t.role !== 'generic' || t.classification.role !== null);
  let clock = options.now;
  const ctx = {
    workload,
    waivers: config.waivers,
    mode: effectiveMode(config, workload.namespace, options.modeCap),
    now: () => (clock ??= new Date()),
    relatedLookedUp: options.related !== undefined,
  };
  // Only a second container can repeat a finding (evaluate.ts: a policy speaks once per container and path).
  const seen = targets.length > 1 ? createTextSet() : null;
  const detection: ContainerDetection[] | null = options.detection !== false ? (review.detection = []) : null; // filled once each argv is read
  // No fixes for a pod an operator renders (a Dynamo service) or a Ray Serve LLM argv (serveConfigV2): no patch edits them.
  const noFixes = workload.templates.some((t) => t.pathAliases) || targets.some((t) => t.rayLlm);
  const fixes: FixContext = { object, left: noFixes ? 0 : MAX_FIXES_PER_REVIEW, pointerMemo: engine.fixPointers };
  let supersededBy: Map<Finding, readonly string[]> | undefined;
  for (const target of targets) {
    const parsed = (engine.facts.vllm.parseArgs ?? parseVllmArgs)(target.classification.command, target.env, target.configFile);
    // argparse reads a unique prefix as the option; a Ray Serve LLM app's engine_kwargs are keyword arguments, read exactly.
    const { vllm } = engine.facts;
    const args = target.rayLlm ? parsed : vllm.expandAbbreviations ? vllm.expandAbbreviations(parsed) : expandAbbreviations(parsed, vllm.table);
    detection?.push(describeDetection(workload, target, engine.facts.images, vllm.engineFlags, args));
    const facts = buildFacts({ object, workload, target, args, groupAccelerators: groupAccelerators(engine.facts.accelerators, workload, target, object), tables: engine.facts, related: options.related ?? null, relatedFacts: options.related !== undefined || engine.relatedFactsRead[target.role] });
    const assumed = (facts.fit as { summary?: unknown } | undefined)?.summary;
    if (typeof assumed === 'string' && !review.assumed?.includes(assumed)) (review.assumed ??= []).push(assumed);
    const redact = createRedactor(collectSecrets(facts.env as Record<string, EnvFact>, engine.facts.secretEnv.set, args));
    const planned = (options.related ? engine.plan : engine.planWithoutRelated)[target.role];
    const screen = (options.related ? engine.screens.plan : engine.screens.withoutRelated)[target.role];
    for (const raw of evaluatePolicies(planned, workload.namespace, facts, redact, fixes, screen)) {
      // Pod-level fields (volumes, tolerations) fail once per container; say it once.
      // A TextSet, not a Set: hashing each long key was ~5 % of a denied review (bench/PROFILE.md step 32).
      if (seen?.seen(`${raw.policy.id}\u0000${raw.path}\u0000${raw.message}`)) continue;
      const finding = decideFinding(raw, ctx);
      // A field an operator moved into the pod it renders is reported where the object writes it.
      if (target.template.pathAliases) finding.path = aliasPath(finding.path, target.template.pathAliases);
      if (target.rayLlm) finding.path = aliasPath(finding.path, rayLlmAliases(target.template));
      review.findings.push(finding);
      if (raw.rule.supersededBy) (supersededBy ??= new Map()).set(finding, raw.rule.supersededBy);
      if (finding.waiverProblem && !review.notes.includes(finding.waiverProblem)) review.notes.push(finding.waiverProblem);
    }
  }
  if (supersededBy) review.findings = withoutSuperseded(review.findings, supersededBy);
  return review;
}

/** Splits a review's findings by action; allowed when nothing denies. */
export function verdictOf(review: WorkloadReview): Verdict {
  const deny = review.findings.filter((f) => f.action === 'deny');
  return {
    allowed: deny.length === 0,
    deny,
    warn: review.findings.filter((f) => f.action === 'warn'),
    audit: review.findings.filter((f) => f.action === 'audit'),
  };
}
