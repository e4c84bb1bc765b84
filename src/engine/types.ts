/**
 * The engine's contract: the shapes that flow from extraction to decisions.
 * Everything here is plain data so the webhook, the CLI and the audit share it.
 */
import type { KnowledgeConfig } from './knowledge/knowledge.js';
import type { ValidateFunction } from 'ajv';
import type { RayServeApps } from './workload/ray-serve-llm.js';
import type { LlmisvcParallelismRead } from './workload/llmisvc-parallelism.js';

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

/** One pod spec an object will create, and where it sits in that object. */
export interface PodTemplate {
  /** Dotted path of the template (the object holding metadata and spec), '' for a Pod. */
  path: string;
  /** Dotted path of the pod spec itself. */
  specPath: string;
  metadata: JsonObject;
  spec: JsonObject;
  /** pod, or leader/worker in a LeaderWorkerSet group. */
  role: 'pod' | 'leader' | 'worker';
  /** Pods that run together as one serving group (LeaderWorkerSet size), 1 otherwise. */
  groupSize: number;
  /** Serving CRDs: pods of this template in one group (Ray replicas × numOfHosts); null when unknown. */
  podsInGroup?: number | null;
  /** Containers the controller merges into this pod (KServe predictor.model → kserve-container). */
  mergedContainers?: {
    path: string;
    as: string;
    container: JsonObject;
    server: boolean;
    /**
     * The ServingRuntime merged in (workload/kserve-runtime.ts): `label` (`ServingRuntime vllm`) for
     * messages, how many of the container's args are the runtime's, whether its command is.
     */
    runtime?: { label: string; args: number; command: boolean };
  }[];
  /** A container name that is the vLLM server by construction (LLMInferenceService `main`). */
  serverContainer?: string;
  /** The operator that adds /dev/shm and probes to the first container of each pod (KubeRay). */
  injectedBy?: string;
  /**
   * The container the operator gives the pod's probes (a Dynamo v1beta1 worker's `main`): a vLLM engine
   * in another container of the pod is reached through it and is judged as an engine worker.
   */
  fronted?: string;
  /** The template's place in a serving CRD (workload/serving-kinds.ts ServingRole). */
  servingRole?: string;
  /** The serving group of the template, when its object has several (an OME component, a kthena role instance): its pods and accelerators are summed alone. */
  servingGroup?: string;
  /** Labels the controller adds to each pod (a LeaderWorkerSet's name): selectors of Services and policies see them. */
  controllerLabels?: Record<string, string>;
  /** Env variables the serving controller sets in every pod it makes (serving-kinds.ts controllerEnv), and who sets them. */
  controllerEnv?: { names: readonly string[]; by: string };
  /** Why the multi-node launch of this template's group is not written here (serving-kinds.ts multinodeLaunch). */
  multinodeLaunch?: string;
  /**
   * LLMInferenceService: the parallelism KServe's default config passes to vLLM for this template's
   * workload when `main` writes no command (workload/llmisvc-parallelism.ts).
   */
  llmisvcParallelism?: LlmisvcParallelismRead;
  /** `[rendered, written]` path prefixes: where the object writes fields of a pod an operator renders (workload/dynamo-graph.ts). */
  pathAliases?: readonly (readonly [string, string])[];
}

export interface Workload {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  templates: PodTemplate[];
  /** Why nothing was extracted (unknown kind, no spec), when templates is empty. */
  skipped?: string;
  /** The skipped object names a vLLM image (workload/unread-vllm.ts): the reason is also a note. */
  holdsVllm?: boolean;
  /** Serving CRDs (workload/serving-kinds.ts): the group the CRD states, and where accelerators come from. */
  serving?: {
    /** Devices the group needs by the CRD's own rule (KServe TP × PP), or null. */
    devices: number | null;
    /** A runtime template: its accelerators come from the InferenceService that uses it. */
    acceleratorsFromService: boolean;
    /** A RayService's Ray Serve LLM apps read from spec.serveConfigV2 (workload/ray-serve-llm.ts). */
    rayServe?: RayServeApps;
  };
}

/**
 * One argv token after kubelet and shell expansion. `unknown` holds the reason
 * when the token's value cannot be known at admission (Secret, $(cmd), …).
 */
export interface Token {
  text: string;
  unknown?: string;
  /**
   * For env lookups only: where the value comes from (literal, secretKeyRef, configMapKeyRef,
   * fieldRef, resourceFieldRef, envFrom when it may come from an envFrom source, injected).
   */
  source?: string;
  /** The container field that holds the token (`command[2]`, `args[3]`); absent for an image ENTRYPOINT. */
  at?: string;
  /** Where an expanded value came from (`env TP` for `$(TP)`), for messages. */
  from?: string;
}

export interface EffectiveArgv {
  /** command + args (or ENTRYPOINT + args) after `$(VAR)` expansion; null when the ENTRYPOINT is not known. */
  tokens: Token[] | null;
  /** The container's args after `$(VAR)` expansion, known even when the ENTRYPOINT is not. */
  args: Token[];
  /**
   * Candidate commands: `[tokens]` for a plain argv, every simple command of the script for
   * `sh -c` (all branches); null when they cannot be known (unknown ENTRYPOINT or script).
   */
  commands: Token[][] | null;
  /** command, args (args without a known ENTRYPOINT), entrypoint (image default + args) or shell (`sh -c`). */
  source: 'command' | 'args' | 'entrypoint' | 'shell';
  unknownReason?: string;
  /** The ENTRYPOINT came from a rule bounded by the vLLM release the image tag names (not a default). */
  entrypointCertain?: boolean;
}

export type ArgValue = string | number | boolean | string[];

export interface VllmArgs {
  /** Long option names without dashes, `_` folded to `-`, aliases resolved; the last occurrence wins. */
  values: Record<string, ArgValue>;
  /** Option name → reason, for options whose value could not be known. */
  unknown: Record<string, string>;
  model: string | null;
  modelFrom: 'positional' | 'flag' | 'env' | null;
  /** Mistakes vLLM refuses at parse time (an option without its value, a stray positional). */
  problems: string[];
  /** Option name → the env var that sets it when the flag is absent (api-key ← VLLM_API_KEY); its value is then `true`. */
  fromEnv: Record<string, string>;
  /** Option name → the container field holding the flag (`args[3]`, `command[2]` for a script). */
  at: Record<string, string>;
  /** Option name → where its value was expanded from (`env TP`). */
  from: Record<string, string>;
}

/**
 * A fact whose value cannot be known before the pod runs: `path` is its dotted place in the facts
 * document (`vllm.parallel`, `volumes.cacheDir`, or `vllm` for the whole command line), `reason`
 * says why in words for the user, `source` names where the value would come from
 * (`image ENTRYPOINT`, `env TP (configMapKeyRef)`, `shell $(cmd)`, …).
 */
export interface UnknownFact {
  path: string;
  reason: string;
  source: string;
}

/**
 * The derived facts one policy rule is evaluated against (policies/facts.schema.json; a test
 * validates every document the engine builds against it). `params` and `item` are set by the
 * evaluator while a policy's rules run.
 */
export interface Facts extends JsonObject {
  unknowns: UnknownFact[];
  params: JsonObject;
  item?: unknown;
}

export interface CompiledRule {
  action: Action | null;
  /** Dotted path of an array fact: the rule runs once per element, which the schema reads as `item`. */
  each: string | null;
  when: ValidateFunction | null;
  validate: ValidateFunction;
  message: string;
  remediation: string;
  path: string;
  /** A machine-applicable fix as data (evaluate/fix.ts), null when the rule has none. */
  fix: RuleFix | null;
}

/**
 * One operation of a rule's fix, with `{{…}}` templates in its strings: an RFC 6902 operation, or
 * an argv edit (`setFlag`, `renameFlag`) that the engine renders as RFC 6902 operations
 * (evaluate/fix-argv.ts).
 */
export type FixOperation = PatchFixOperation | SetFlagFixOperation | RenameFlagFixOperation;

/** An argv edit of a rule's fix: give the option `flag` (no dashes) the argv text `value` (policy.schema.json `op`). */
export interface SetFlagFixOperation {
  op: 'setFlag';
  flag: string;
  value: string;
  /** Only when the flag has exactly one value token. */
  single?: boolean;
}

/** An argv edit of a rule's fix: rename the flag token written `flag` at container field `at` (`args[3]`) to `to`. */
export interface RenameFlagFixOperation {
  op: 'renameFlag';
  flag: string;
  at: string;
  to: string;
}

/** One RFC 6902 operation of a rule's fix, with `{{…}}` templates in `path` and string values. */
export interface PatchFixOperation {
  op: 'add' | 'remove' | 'replace' | 'test';
  /** JSON Pointer relative to the workload object, e.g. `{{pointers.pod}}/volumes/-`. */
  path: string;
  value?: unknown;
  /** Only emit the operation when the target is present (or absent) in the object. */
  onlyIf?: 'present' | 'absent';
  /** Placeholders render as text even when one fills the whole value (argv tokens are strings). */
  asText?: boolean;
}

/** A rule's fix as written in its policy file (policy.schema.json `fix`). */
export interface RuleFix {
  description: string;
  patch: FixOperation[];
  /** false: the fix is a suggestion a person must accept (`--accept`), like one with `needs`. */
  certain?: boolean;
  /** The human choice the fix needs (which Secret), said instead of guessed; applied only with --accept. */
  needs?: string;
  /** The facts must match this schema for the fix to be offered. */
  when?: ValidateFunction | null;
}

/** A JSON Patch operation as rendered for one finding (RFC 6902). */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test';
  /** JSON Pointer relative to the workload object (a List item's own object, not the List). */
  path: string;
  value?: unknown;
}

/** The fix of one finding: apply `patch` to the workload object. */
export interface FindingFix {
  /** One line saying what the patch does. */
  description: string;
  patch: PatchOperation[];
  /** Present when a person must make a choice first (a Secret's name); `vllm-guard fix` then needs --accept. */
  needs?: string;
}

export interface Policy {
  id: string;
  title: string;
  description: string;
  checklist: ChecklistItem;
  owner: Owner;
  severity: Severity;
  action: Action;
  appliesTo: ContainerRole[];
  /** Fact paths the policy reads, for documentation; each rule's own reads decide unknowns (rule-reads.ts). */
  uses: string[];
  /** The policy file's params; the config's are laid over them when an engine is created. */
  params: JsonObject;
  rules: CompiledRule[];
  /** Workload owners may waive it with annotations (policy file, then config). */
  waivable: boolean;
  example?: { good?: string; bad?: string };
  file: string;
  /** Line of a field path in the policy file, for error messages (absent for policies built in code). */
  lineOf?: (path: readonly (string | number)[]) => number;
}

export interface PolicySet {
  policies: Policy[];
  byId: Map<string, Policy>;
  /** Where the set was loaded from, for logs and /readyz. */
  source: string;
  /** Problems that did not stop the load (config names a policy that does not exist, …). */
  warnings: string[];
}

export interface Waiver {
  policies: string[];
  namespaces: string[];
  names: string[];
  reason?: string;
  expires?: string;
  /** Where it came from, for messages: config or annotation. */
  source: 'config' | 'annotation';
}

export interface PolicyOverride {
  action?: Action;
  namespaces?: Record<string, Action>;
  params?: JsonObject;
  waivable?: boolean;
}

export interface DetectionConfig {
  /** Regular expressions matched against the image reference. */
  images: string[];
  /** Pods with all these labels are checked as vLLM workloads too. */
  labels: Record<string, string>;
  /** Check every pod with the generic rules, vLLM or not. */
  allPods: boolean;
  /** Image repository pattern → default argv for images whose ENTRYPOINT we know. */
  entrypoints: { image: string; command: string[] }[];
}

export interface EngineConfig {
  mode: Mode;
  detection: DetectionConfig;
  /** Extended resource names (exact or prefix ending in `*`) that count as accelerators. */
  acceleratorResources: string[];
  /** Env var names whose literal values are secrets (no-literal-secrets reads facts.literalSecretEnv). */
  secretEnv: string[];
  /** Annotation prefix of the Phase-0 intent (license-reviewed, precision, cold-start-seconds, …). */
  intentPrefix: string;
  policies: Record<string, PolicyOverride>;
  namespaces: Record<string, { mode?: Mode }>;
  waivers: Waiver[];
  /** A platform team's additions to the model and GPU catalogues (config key `knowledge`); absent = the bundled ones. */
  knowledge?: KnowledgeConfig;
}

export type Outcome = 'fail' | 'unknown';

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
