/**
 * Evidence-based detection: why a container is (or may be) a vLLM server, as a list of signals with
 * their strength, for `detection: { role, signals }` in the JSON contract and `check --explain`.
 *
 * Strong signals: a known vLLM build (knowledge/vllm-images.ts), a configured image pattern, an argv
 * that runs vLLM (the argv classification of detect.ts), two or more vLLM engine flags, a platform
 * label that names vLLM as the engine, or a serving kind whose server container is vLLM by
 * construction. Weak: an image whose name holds `vllm`. A placeholder image is an unknown value: it
 * is reported, never a reason to skip or to deny.
 */
import { runsTransformersBackend, type Classification } from './detect.js';
import type { AcceleratorFamily } from '../knowledge/accelerators.js';
import { imagePlaceholder, matchVllmImage, type ImageMatch } from '../knowledge/vllm-image-match.js';
import { imageName } from './image-ref.js';
import { platformLabel } from './platform-labels.js';

export type SignalKind =
  | 'image'
  | 'config-image'
  | 'image-name'
  | 'argv'
  | 'ray-worker'
  | 'engine-flags'
  | 'platform-label'
  | 'serving-kind';

export interface DetectionSignal {
  kind: SignalKind;
  strength: 'strong' | 'weak';
  /** For people: `image vllm/vllm-openai (vLLM project, cuda)`, `args --max-model-len, --gpu-memory-utilization`. */
  detail: string;
}

export type DetectedRole = 'server' | 'ray-worker' | 'gpu-only' | 'generic' | null;

export interface Detection {
  /**
   * server: all vLLM rules. ray-worker: GPU, shm and toleration rules. gpu-only: a weak signal, generic
   * and GPU rules. generic: image, secrets, security (init and ephemeral containers, allPods). null: not
   * checked.
   */
  role: DetectedRole;
  signals: DetectionSignal[];
  /** The accelerator family of the build; `cpu` also for `--device cpu`; unknown when nothing says. */
  family: AcceleratorFamily;
  /** Why a fact could not be read (a placeholder image), for "could not be verified" notes. */
  unknown?: string;
}

/**
 * vLLM engine flags (vLLM docs, configuration/engine_args). `shared` names other engines and wrappers
 * also use; they count only together with a vLLM-only flag.
 */
const ENGINE_FLAGS: ReadonlyMap<string, 'vllm' | 'shared'> = new Map([
  ['--max-model-len', 'vllm'],
  ['--gpu-memory-utilization', 'vllm'],
  ['--max-num-batched-tokens', 'vllm'],
  ['--max-num-seqs', 'vllm'],
  ['--distributed-executor-backend', 'vllm'],
  ['--enable-prefix-caching', 'vllm'],
  ['--no-enable-prefix-caching', 'vllm'],
  ['--enable-chunked-prefill', 'vllm'],
  ['--enforce-eager', 'vllm'],
  ['--swap-space', 'vllm'],
  // vLLM's OpenAI server turns tool calling on with it (docs/features/tool_calling.md, vllm/entrypoints/openai/cli_args.py);
  // `--tool-call-parser` beside it is shared with other servers (SGLang), so that one is no signal.
  ['--enable-auto-tool-choice', 'vllm'],
  ['--tensor-parallel-size', 'shared'],
  ['--pipeline-parallel-size', 'shared'],
]);

/** The engine flags by their length: a token is compared only with the flags of its name's length. */
const FLAGS_BY_LENGTH: ReadonlyMap<number, readonly string[]> = new Map(
  [...new Set([...ENGINE_FLAGS.keys()].map((flag) => flag.length))].map((length) => [length, [...ENGINE_FLAGS.keys()].filter((flag) => flag.length === length)]),
);

/**
 * The engine flag `token[0, end)` spells (`_` for `-` allowed, as vLLM's parser does), or undefined.
 * Compared in place: no name is sliced or rewritten per token (this runs for every argv token).
 */
function flagAt(token: string, end: number): string | undefined {
  const candidates = FLAGS_BY_LENGTH.get(end);
  if (candidates === undefined) return undefined;
  for (const flag of candidates) {
    let i = 2;
    for (; i < end; i++) {
      const c = token.charCodeAt(i);
      const f = flag.charCodeAt(i);
      if (c !== f && !(c === 95 /* _ */ && f === 45) /* - */) break;
    }
    if (i === end) return flag;
  }
  return undefined;
}

/** Adds the engine flag a token names (`--x v`, `--x=v`, `--x_y` spellings) to `found`, once. */
function collectFlag(token: string, found: string[]): void {
  // Cheap tests first: most tokens are values, and most flags are spelled with '-' and no '='.
  if (token.charCodeAt(0) !== 45 || token.charCodeAt(1) !== 45) return;
  const eq = token.indexOf('=');
  const flag = flagAt(token, eq === -1 ? token.length : eq);
  if (flag !== undefined && !found.includes(flag)) found.push(flag);
}

/** The distinct engine flags among the first `end` argv tokens (all by default), in order of first appearance. */
function flagsIn(tokens: readonly string[], end = tokens.length): string[] {
  const found: string[] = [];
  for (let i = 0; i < end; i++) collectFlag(tokens[i] as string, found);
  return found;
}

/** The flags found, when they make a signal: two or more, one of them vLLM's own. */
function flagSignal(found: string[]): string[] {
  return found.length >= 2 && found.some((n) => ENGINE_FLAGS.get(n) === 'vllm') ? found : [];
}

/** The first flag only vLLM takes (not `shared`) among argv tokens, or null: half a signal, for an image whose name holds vllm. */
export function vllmOnlyFlag(tokens: readonly string[]): string | null {
  return flagsIn(tokens).find((n) => ENGINE_FLAGS.get(n) === 'vllm') ?? null;
}

/** The engine-flags signal's words for the flags found (`vLLM engine flags --max-model-len, …`), null for none. */
export function flagsDetail(flags: readonly string[]): string | null {
  return flags.length > 0 ? `vLLM engine flags ${flags.join(', ')}` : null;
}

/** The distinct vLLM engine flags among the first `end` argv tokens (`--x v`, `--x=v`, `--x_y`), when they make a signal. */
export function engineFlags(tokens: readonly string[], end = tokens.length): string[] {
  return flagSignal(flagsIn(tokens, end));
}

export { platformLabel, platformLabelsOf } from './platform-labels.js';

export interface DetectionInput {
  image: string;
  /** The lead's argv classification of the container (detect.ts classifyContainer). */
  classification: Classification;
  /** Texts of the container's args and effective argv tokens (for engine flags). */
  argvTexts: readonly string[];
  /** How many of argvTexts to look for engine flags in (all when absent): later ones repeat earlier texts. */
  flagTexts?: number;
  /** flagsDetail(engineFlags(argvTexts, flagTexts)), when the caller has it already (argv-memo.ts ReadingFlags). */
  flagsDetail?: string | null;
  /** imagePlaceholder, or the engine's remembered version of it (knowledge/image-lookups.ts). */
  placeholder?: (image: string) => string | null;
  /** Merged labels of the workload and its pod template. */
  labels: Readonly<Record<string, string>>;
  /** False for an ordinary init container or an ephemeral container (PodContainer.longRunning). */
  longRunning: boolean;
  /** Set by a serving kind whose server container is vLLM by construction (`LLMInferenceService main`). */
  servingKind?: string;
  /** matchVllmImage, or the engine's remembered version of it (knowledge/image-lookups.ts). */
  matchImage?: (image: string) => ImageMatch | null;
}

/** The first three words of a command, space-separated (`vllm serve meta-llama/…`), without a list per call. */
function firstWords(command: readonly { text: string }[]): string {
  let out = command[0]?.text ?? '';
  for (let i = 1; i < Math.min(command.length, 3); i++) out += ` ${(command[i] as { text: string }).text}`;
  return out;
}

function familyOf(input: DetectionInput, imageFamily: AcceleratorFamily): AcceleratorFamily {
  // classification.cpu covers CPU image patterns and `--device cpu`.
  return input.classification.cpu ? 'cpu' : imageFamily;
}

/** The signals and role of one container. Pure; linear in the argv and labels. */
export function detectContainer(input: DetectionInput): Detection {
  const signals: DetectionSignal[] = [];
  const placeholder = (input.placeholder ?? imagePlaceholder)(input.image);
  const image = placeholder ? null : (input.matchImage ?? matchVllmImage)(input.image);
  if (image?.strength === 'strong' && image.image) {
    signals.push({ kind: 'image', strength: 'strong', detail: `image ${imageName(input.image)} (${image.image.builder}, ${image.family})` });
  } else if (input.classification.detectedBy === 'image') {
    signals.push({ kind: 'config-image', strength: 'strong', detail: `image ${input.image} matches detection.images` });
  } else if (image?.strength === 'weak') {
    signals.push({ kind: 'image-name', strength: 'weak', detail: `image name ${imageName(input.image)} holds "vllm"` });
  }
  const c = input.classification;
  if (c.role === 'server' && c.detectedBy === 'argv' && c.command) {
    signals.push({ kind: 'argv', strength: 'strong', detail: `runs ${firstWords(c.command)}` });
  }
  if (c.role === 'ray-worker') {
    const detail = c.batch ? `runs vLLM's offline batch runner (${c.command?.slice(0, 3).map((t) => t.text).join(' ') ?? 'run-batch'}): an engine without an API server` : 'runs a Ray worker of a vLLM group';
    signals.push({ kind: 'ray-worker', strength: 'strong', detail });
  }
  const flags = input.flagsDetail !== undefined ? input.flagsDetail : flagsDetail(engineFlags(input.argvTexts, input.flagTexts));
  if (flags !== null) signals.push({ kind: 'engine-flags', strength: 'strong', detail: flags });
  const label = platformLabel(input.labels);
  if (label) signals.push({ kind: 'platform-label', strength: 'strong', detail: `label ${label}` });
  if (input.servingKind) signals.push({ kind: 'serving-kind', strength: 'strong', detail: input.servingKind });

  const family = familyOf(input, image?.family ?? 'unknown');
  const strong = signals.some((s) => s.strength === 'strong' && s.kind !== 'ray-worker');
  let role: DetectedRole = null;
  // KServe's Hugging Face server runs vLLM unless told to use its transformers backend (vllm-rules.md §2).
  const excluded = image?.image?.id === 'kserve-huggingfaceserver' && runsTransformersBackend(input.argvTexts);
  if (excluded) role = null;
  else if (!input.longRunning) role = signals.length > 0 ? 'generic' : null;
  else if (c.role === 'ray-worker') role = 'ray-worker';
  else if (strong) role = 'server';
  else if (signals.length > 0) role = 'gpu-only';
  const detection: Detection = { role, signals, family };
  if (placeholder) detection.unknown = placeholder;
  return detection;
}

/**
 * Pod-level roles. In a pod where some container is a vLLM server or Ray worker, ordinary init
 * containers and ephemeral containers get the generic rules too (they share the pod's secrets and
 * privileges: model downloads, debug shells; shared/cases/containers/vllm-init-secret.yaml); with
 * `allPods` every container without a role gets them. Long-running containers without a signal stay
 * unchecked, as today.
 */
export function podRoles(detections: readonly { detection: Detection; longRunning: boolean }[], allPods: boolean): DetectedRole[] {
  const vllmPod = detections.some((d) => d.detection.role === 'server' || d.detection.role === 'ray-worker');
  return detections.map(({ detection, longRunning }) => {
    if (detection.role !== null) return detection.role;
    if (allPods || (vllmPod && !longRunning)) return 'generic';
    return null;
  });
}
