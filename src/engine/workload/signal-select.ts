/**
 * Containers that neither their image nor their command make vLLM, but that the strong signals of
 * docs/recognition.md name: two or more vLLM engine flags in the container's own `command`/`args`
 * (vllm/detection-signals.ts engineFlags), one flag only vLLM takes with an image whose name holds
 * `vllm` (a weak signal alone), or a platform label naming vLLM on the pod
 * (`ai.gke.io/inference-server: vllm`, `model.aibrix.ai/engine: vllm`). Public manifests start vLLM
 * this way with images no table knows: rh-aiservices-bu/llm-on-openshift runs
 * `quay.io/rh-aiservices-bu/vllm-openai-ubi9` and `intel/redhat-ai-services` with `args: [--model …,
 * --tensor-parallel-size 1, --max-model-len 6144]` and no command.
 *
 * Such a container is a server whose engine arguments are unknown (its ENTRYPOINT or wrapper is not one
 * vllm-guard reads): every fact read from them is "could not be verified", never a reason to deny.
 * `--device cpu` among its arguments makes it a CPU build (the generic role, as CPU images get).
 * KubeRay pods are not judged by these signals: Ray starts vLLM there with arguments from elsewhere.
 */
import { basename } from '../command/argv.js';
import { arrayAt, stringAt } from '../util/json.js';
import { engineFlags, platformLabel, platformLabelsOf, vllmOnlyFlag } from '../vllm/detection-signals.js';
import { matchVllmImage } from '../knowledge/vllm-image-match.js';
import { NOT_DIRECT, type Classification } from '../vllm/detect.js';
import type { JsonObject, PodTemplate, Workload } from '../types.js';

/** What selectTargets knows of a candidate container; a subset of select.ts Candidate. */
export interface SignalCandidate {
  template: PodTemplate;
  container: JsonObject;
  longRunning: boolean;
  serverByKind: boolean;
  classification: Classification;
}

/** The container's own command and args, as written (the strings only). */
function writtenArgv(container: JsonObject): string[] {
  const out: string[] = [];
  for (const key of ['command', 'args']) for (const v of arrayAt(container, key)) if (typeof v === 'string') out.push(v);
  return out;
}

function declaresCpu(texts: readonly string[]): boolean {
  return texts.some((t, i) => t === '--device=cpu' || (t === '--device' && texts[i + 1] === 'cpu'));
}

/** `vllm <not serve> …` or `python -m vllm.<module>` as the written command: a vLLM tool, not a server. */
function runsVllmTool(argv: readonly string[]): boolean {
  if (basename(argv[0] ?? '') === 'vllm') return argv[1] !== 'serve';
  return argv.some((t, i) => i > 0 && argv[i - 1] === '-m' && t.startsWith('vllm.'));
}

/**
 * Containers that conventionally hold the server when only a pod label says the pod is vLLM (GKE's
 * samples that carry ai.gke.io/inference-server name theirs inference-server).
 */
const SERVER_NAMES = ['vllm', 'main', 'kserve-container', 'inference-server'];

/**
 * The strong signal that makes a candidate a vLLM server although its image and command do not, as
 * words for the unknown reason; null when there is none. A platform label names the pod, so it picks
 * one container (named vllm, main, kserve-container or inference-server, else the only long-running
 * one) and only when no container of the template is already a server or Ray worker. Pure; linear in
 * the argv.
 */
export function strongSignal(c: SignalCandidate, candidates: readonly SignalCandidate[], workload: Workload): string | null {
  const { classification } = c;
  // KubeRay pods run Ray, which starts vLLM with arguments from elsewhere (serveConfigV2): not guessed here.
  if (!c.longRunning || c.serverByKind || classification.role !== null || classification.excluded || c.template.injectedBy !== undefined) return null;
  const argv = writtenArgv(c.container);
  // Another vLLM tool (`python -m vllm.entrypoints.openai.run_batch`, `vllm bench …`) takes engine flags and serves nothing.
  if (runsVllmTool(argv)) return null;
  const flags = engineFlags(argv);
  if (flags.length > 0) return `its arguments carry the vLLM engine flags ${flags.join(', ')}`;
  // A weak image (its name holds vllm) and a flag only vLLM takes: together as strong as two flags.
  const image = stringAt(c.container, 'image') ?? '';
  const flag = vllmOnlyFlag(argv);
  if (flag !== null && matchVllmImage(image)?.strength === 'weak') return `its image name holds vllm and its arguments carry ${flag}`;
  const siblings = candidates.filter((o) => o.template === c.template && o.longRunning);
  if (siblings.some((o) => o.classification.role !== null || o.serverByKind)) return null;
  const label = platformLabel(platformLabelsOf(workload.labels, c.template.metadata));
  if (label === null) return null;
  // With several containers and none of the usual names, which one serves is a guess: none is taken.
  const chosen = siblings.find((o) => SERVER_NAMES.includes(stringAt(o.container, 'name') ?? '')) ?? (siblings.length === 1 ? siblings[0] : undefined);
  return chosen === c ? `its pod is labelled ${label}` : null;
}

/**
 * The classification of a container a strong signal made a server: its engine arguments unknown, with
 * the reason its command gives (an unknown ENTRYPOINT) or the wrapper it runs; `cpu` for `--device cpu`.
 */
export function signalledServer(c: SignalCandidate, signal: string): Classification {
  const reason = c.classification.unknownReason ?? NOT_DIRECT;
  return {
    ...c.classification,
    role: 'server',
    command: null,
    argvKnown: false,
    cpu: c.classification.cpu || declaresCpu(writtenArgv(c.container)),
    unknownReason: `${reason}; it is reviewed as vLLM because ${signal}`,
    signal,
  };
}
