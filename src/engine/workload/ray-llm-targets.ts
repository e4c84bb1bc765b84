/**
 * The vLLM engines of a RayService's Ray Serve LLM apps (ray-serve-llm.ts) as server targets: one per
 * LLMConfig, each the Ray head's container (where KubeRay's Ray runs and Serve is deployed from) with
 * the engine arguments of that config as its vLLM command. What the head pod writes (probes, image,
 * secrets) is judged as before; the arguments point at `spec.serveConfigV2`.
 */
import { arrayAt, isObject, objectAt, valueAtPath } from '../util/json.js';
import type { Memo } from '../util/memo.js';
import { buildEnvLookup } from '../command/container-env.js';
import { createEnvSources } from '../related/configmaps.js';
import type { RelatedSet } from '../related/related-set.js';
import type { JsonObject, PodTemplate, Workload } from '../types.js';
import type { Target } from './select.js';
import { readRayServeLlm, type RayServeApps } from './ray-serve-llm.js';
import type { RayLlmConfig } from './ray-llm-config.js';
import type { ArgProblemFact, VllmArgFacts } from '../vllm/facts-args.js';
import { argFindings, exitsAtStart } from '../vllm/arg-findings.js';
import type { PathAliases } from './dynamo-graph.js';

/**
 * Reads a RayService's Ray Serve LLM apps into `workload.serving.rayServe` (remembered per text in the
 * engine's `memo`) and returns the review notes they give; nothing for other kinds.
 */
export function readRayService(workload: Workload, object: unknown, memo: Memo<RayServeApps>): string[] {
  if (workload.kind !== 'RayService' || !workload.serving) return [];
  const text = objectAt(object, 'spec')?.serveConfigV2;
  const apps = typeof text === 'string' ? memo.get(text, () => readRayServeLlm(text)) : readRayServeLlm(text);
  workload.serving.rayServe = apps;
  return apps.notes;
}

/**
 * `targets` with the head container's target (if any) replaced by one server target per Ray Serve LLM
 * config; unchanged when the workload has none. The head's first container is the Ray container KubeRay
 * starts (kuberay ray-operator/controllers/ray/common/pod.go@v1.7.0), whatever its image.
 */
export function withRayServeLlm(targets: Target[], workload: Workload, related: RelatedSet | null): Target[] {
  const configs = workload.serving?.rayServe?.configs ?? [];
  const head = workload.templates.find((t) => t.servingRole === 'head');
  const container = head ? arrayAt(head.spec, 'containers')[0] : undefined;
  if (configs.length === 0 || !head || !isObject(container)) return targets;
  const at = targets.findIndex((t) => t.template === head && (t.list ?? 'containers') === 'containers' && t.index === 0 && t.path === undefined);
  const base = at === -1 ? null : (targets[at] as Target);
  const envSources = base?.envSources ?? createEnvSources(container, related, workload.namespace);
  const env = base?.env ?? buildEnvLookup(container, envSources);
  const engines = configs.map((config): Target => ({
    template: head,
    container,
    index: 0,
    list: 'containers',
    role: 'server',
    classification: {
      role: 'server',
      detectedBy: base?.classification.detectedBy ?? null,
      command: config.command,
      argvSource: 'command',
      argvKnown: true,
      cpu: false,
      entrypointCertain: true,
    },
    env,
    envSources,
    rayLlm: config,
  }));
  const out = at === -1 ? [...engines, ...targets] : [...targets.slice(0, at), ...engines, ...targets.slice(at + 1)];
  return [...out, ...rayWorkers(targets, workload, related)];
}

/**
 * The Ray containers of the worker groups that no signal made targets (an image such as
 * `rayproject/ray:2.46.0-py311-gpu`): with a Ray Serve LLM app they host the engine's workers, so they
 * get the `ray-worker` rules (GPU, /dev/shm, tolerations), as a vLLM image's Ray workers do.
 */
function rayWorkers(targets: readonly Target[], workload: Workload, related: RelatedSet | null): Target[] {
  const out: Target[] = [];
  for (const template of workload.templates) {
    const container = template.servingRole === 'worker' ? arrayAt(template.spec, 'containers')[0] : undefined;
    if (!isObject(container) || targets.some((t) => t.template === template && t.container === container)) continue;
    const envSources = createEnvSources(container, related, workload.namespace);
    const classification = { role: 'ray-worker' as const, detectedBy: null, command: null, argvSource: 'command' as const, argvKnown: true, cpu: false };
    out.push({ template, container, index: 0, list: 'containers', role: 'ray-worker', classification, env: buildEnvLookup(container, envSources), envSources });
  }
  return out;
}

/** KubeRay's switch for Ray's autoscaler (RayClusterSpec.EnableInTreeAutoscaling). */
const AUTOSCALING = 'spec.rayClusterConfig.enableInTreeAutoscaling';

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * The most pods a RayService template may run: 1 for the head; for a worker group `replicas` ×
 * `numOfHosts`, or `maxReplicas` × `numOfHosts` when Ray's autoscaler may add workers
 * (`enableInTreeAutoscaling`; ray-project/kuberay ray-operator/apis/ray/v1 WorkerGroupSpec, whose
 * maxReplicas defaults to 2147483647). `unknown` when the bound is not a plain number.
 */
function rayTemplateMaxPods(object: unknown, templatePath: string, head: boolean): { pods: number } | { unknown: string } {
  if (head) return { pods: 1 };
  const group = valueAtPath(object, templatePath.replace(/\.template$/, '').replace(/\[(\d+)\]/g, '.$1'));
  const hostsRaw = isObject(group) ? group.numOfHosts : undefined;
  const hosts = hostsRaw === undefined ? 1 : count(hostsRaw);
  const autoscaling = valueAtPath(object, AUTOSCALING) === true;
  const key = autoscaling ? 'maxReplicas' : 'replicas';
  const raw = isObject(group) ? group[key] : undefined;
  const replicas = raw === undefined && !autoscaling ? 1 : count(raw);
  if (replicas === null || hosts === null) {
    const why = autoscaling && raw === undefined ? `Ray's autoscaler may add workers to ${templatePath} without bound (no maxReplicas)` : `the ${key} or numOfHosts of ${templatePath} is not a plain number`;
    return { unknown: why };
  }
  return { pods: replicas * hosts };
}

/**
 * Accelerators the Ray cluster of a RayService may offer at most: Σ over its templates of the pod's
 * accelerators (`podAccelerators`) × the most pods of that template (rayTemplateMaxPods). A template
 * whose bound is unknown counts as its written pods (the reason is in rayCapacityUnknown).
 */
export function rayClusterAccelerators(object: unknown, workload: Workload, podAccelerators: (spec: JsonObject) => number): number {
  let sum = 0;
  for (const t of workload.templates) {
    const max = rayTemplateMaxPods(object, t.path, t.servingRole === 'head');
    sum += podAccelerators(t.spec) * ('pods' in max ? max.pods : (t.podsInGroup ?? 1));
  }
  return sum;
}

/** Why the Ray cluster's most accelerators are not known (a worker group without a bound), or null. */
export function rayCapacityUnknown(object: unknown, workload: Workload): string | null {
  for (const t of workload.templates) {
    const max = rayTemplateMaxPods(object, t.path, t.servingRole === 'head');
    if ('unknown' in max) return max.unknown;
  }
  return null;
}

/**
 * A Ray Serve LLM engine's arguments are reported at `spec.serveConfigV2`, where they are written; the
 * accelerators it is placed on at the worker groups that hold them (not the head container's limits).
 */
export function rayLlmAliases(head: PodTemplate): PathAliases {
  const container = `${head.specPath}.containers[0]`;
  return [
    [`${container}.serveConfigV2`, 'spec.serveConfigV2'],
    [`${container}.resources.limits`, 'spec.rayClusterConfig.workerGroupSpecs'],
  ];
}

/** `--max-num-seqs` → `max_num_seqs`: an option as the engine_kwargs key that sets it. */
function asKwarg(text: string): string {
  return text.replace(/--([a-z0-9][a-z0-9_-]*)/gi, (_, name: string) => name.replace(/-/g, '_'));
}

/**
 * A vLLM argument problem of a Ray Serve LLM engine in Ray's words: options named as engine_kwargs keys,
 * and an unknown key refused by Ray before vLLM starts (vllm_models.py from_llm_config raises
 * ValueError "Unknown engine argument"; releases before it passed the keys to AsyncEngineArgs, whose
 * constructor raises TypeError). Mutates `problem` (a copy made for this review, facts-args.ts).
 */
export function inRayTerms(problem: { kind: string; flag: string; summary: string; says: string; message: string; fix: string }): void {
  const key = problem.flag.replace(/^--/, '').replace(/-/g, '_');
  problem.summary = asKwarg(problem.summary).replace(/^unknown option /, 'unknown engine argument ');
  problem.fix = asKwarg(problem.fix);
  if (problem.kind === 'unknown-flag') problem.says = `never starts: Ray raises ValueError "Unknown engine argument: ${key}"`;
  else problem.says = asKwarg(problem.says);
  problem.message = `${problem.summary}: vLLM ${problem.says}`;
}

/**
 * The argument facts of a Ray Serve LLM engine: the table's problems in Ray's terms (inRayTerms), then
 * the engine_kwargs Ray itself refuses (ray-llm-config.ts refusals), which stop the app as surely.
 * Mutates `facts` (made for this review).
 */
export function rayArgProblems(facts: Pick<VllmArgFacts, 'argProblems' | 'argErrors' | 'argNotices' | 'argError'>, config: RayLlmConfig): void {
  for (const problem of facts.argProblems) inRayTerms(problem);
  for (const r of config.refused) {
    const problem: ArgProblemFact = {
      kind: 'bad-choice', flag: `--${r.key}`, tokenIndex: -1, summary: r.summary, says: r.says, message: `${r.summary}: vLLM ${r.says} (from ${r.from})`,
      verified: true, fix: r.fix, at: 'serveConfigV2', origin: r.from,
    };
    facts.argProblems.push(problem);
  }
  // The findings again, in Ray's words and with Ray's own refusals; the options named as engine_kwargs keys.
  const findings = argFindings(facts.argProblems.map((p) => ({ ...p, flag: `engine_kwargs.${asKwarg(p.flag)}` })));
  facts.argErrors = findings.argErrors;
  facts.argNotices = findings.argNotices;
  facts.argError = facts.argProblems.find(exitsAtStart) ?? null;
}
