/** The engine's one entry: an object in, a review out. Pure and synchronous; shared by webhook, CLI and audit. */
import { decideFinding, effectiveMode } from './decide.js';
import { evaluatePolicies, planPolicies } from './evaluate.js';
import { buildFacts, podAccelerators } from './facts.js';
import { readAcceleratorLimit } from './facts-resources.js';
import { MAX_CONTAINERS, selectTargets, type Target } from './select.js';
import { parseVllmArgs } from './vllm-args.js';
import { extractWorkload } from './workload.js';
import type { EngineConfig, Finding, Mode, PolicySet, Workload, WorkloadReview } from './types.js';

export interface Engine {
  policies: PolicySet;
  config: EngineConfig;
}

export interface ReviewOptions {
  /** The most a caller allows (a webhook path like /validate/warn): never stricter than the config. */
  modeCap?: Mode;
  now?: Date;
}

export interface Verdict {
  allowed: boolean;
  deny: Finding[];
  warn: Finding[];
  audit: Finding[];
}

/** Accelerators of the whole group: a LeaderWorkerSet's leader plus size-1 workers. */
function groupAccelerators(workload: Workload, target: Target, config: EngineConfig): number {
  const own = readAcceleratorLimit(target.container, config.acceleratorResources);
  if (workload.kind !== 'LeaderWorkerSet') return own;
  const size = target.template.groupSize;
  const leader = workload.templates.find((t) => t.role === 'leader');
  const worker = workload.templates.find((t) => t.role === 'worker');
  const perWorker = worker ? podAccelerators(worker.spec, config.acceleratorResources) : 0;
  if (!leader) return perWorker * size;
  return podAccelerators(leader.spec, config.acceleratorResources) + perWorker * (size - 1);
}

export function reviewObject(engine: Engine, object: unknown, options: ReviewOptions = {}): WorkloadReview {
  const { config, policies } = engine;
  const workload = extractWorkload(object);
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
    return review;
  }
  const targets = selectTargets(workload, config.detection);
  for (const template of workload.templates) {
    const count = Array.isArray(template.spec.containers) ? template.spec.containers.length : 0;
    if (count > MAX_CONTAINERS) {
      review.notes.push(`${template.specPath}.containers has ${count} containers; only the first ${MAX_CONTAINERS} were checked`);
    }
  }
  if (targets.length === 0) return review;
  review.vllm = targets.some((t) => t.role !== 'generic' || t.classification.role !== null);
  const ctx = { workload, config, mode: effectiveMode(config, workload.namespace, options.modeCap), now: options.now ?? new Date() };
  const plan = planPolicies(policies, config);
  for (const target of targets) {
    const args = parseVllmArgs(target.classification.command, target.env);
    const facts = buildFacts({ object, workload, target, args, groupAccelerators: groupAccelerators(workload, target, config), config });
    for (const raw of evaluatePolicies(plan[target.role], workload.namespace, facts)) {
      const finding = decideFinding(raw, ctx);
      review.findings.push(finding);
      if (finding.waiverProblem && !review.notes.includes(finding.waiverProblem)) review.notes.push(finding.waiverProblem);
    }
  }
  return review;
}

export function verdictOf(review: WorkloadReview): Verdict {
  const deny = review.findings.filter((f) => f.action === 'deny');
  return {
    allowed: deny.length === 0,
    deny,
    warn: review.findings.filter((f) => f.action === 'warn'),
    audit: review.findings.filter((f) => f.action === 'audit'),
  };
}
