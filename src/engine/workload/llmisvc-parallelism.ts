/**
 * The parallelism KServe's default LLMInferenceServiceConfig passes to `vllm serve` for an
 * LLMInferenceService whose `main` container writes no command of its own (kserve/kserve v0.20.0):
 *
 * - single node (no `worker`): config/llmisvcconfig/config-llm-template.yaml (and the P/D
 *   config-llm-decode-template.yaml, config-llm-prefill-template.yaml) run `vllm serve /mnt/models …
 *   --tensor-parallel-size {{ .Spec.Parallelism.Tensor }} … ${VLLM_ADDITIONAL_ARGS} $@`; no pipeline or
 *   data-parallel flag (kserve/kserve#6044: `spec.parallelism.pipeline` is ignored on a single node);
 * - multi-node data parallel (`worker`, data or dataLocal set, pkg/controller/v1alpha2/llmisvc/
 *   config_merge.go picks config-llm-worker-data-parallel.yaml): `--tensor-parallel-size T
 *   --data-parallel-size D --data-parallel-size-local DL` on each of the D/DL pods (GetSize);
 * - multi-node pipeline parallel: v0.20.0 ships no such config (kserve/kserve#5047), so nothing is known.
 *
 * `spec.baseRefs` are merged over the default config (config_merge.go: "explicit base refs to override
 * well know configs"): their command is not seen here, so the parallelism is unknown, never guessed.
 */
import { arrayAt, isObject, objectAt, stringAt, valueAtPath } from '../util/json.js';
import type { JsonObject } from '../types.js';

export const LLMISVC_PARALLEL_SOURCE =
  'kserve/kserve config/llmisvcconfig/config-llm-template.yaml@v0.20.0 (--tensor-parallel-size {{ .Spec.Parallelism.Tensor }}), config-llm-worker-data-parallel.yaml (--data-parallel-size, --data-parallel-size-local)';

/** What the controller's default config makes vLLM run in one pod group. */
export interface LlmisvcParallelism {
  /** Where the sizes are written (`spec.parallelism`, `spec.prefill.parallelism`). */
  at: string;
  tensor: number;
  /** Data-parallel ranks of the group, and per pod (1 on a single node). */
  data: number;
  dataLocal: number;
  /** Pods of the group: 1 on a single node, D/DL (GetSize) across nodes. */
  pods: number;
  /** tensor × data: the accelerators the group needs. */
  total: number;
}

export type LlmisvcParallelismRead = { known: LlmisvcParallelism } | { unknown: string } | null;

const PARALLEL_WORD = /parallel[-_]size/;

/** A count as KServe reads an *int32: absent → undefined, a literal integer ≥ 0, anything else (a placeholder) → null. */
function count(parallelism: JsonObject | undefined, key: string): number | undefined | null {
  const value = parallelism?.[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** Why the user's `main` container may set its own sizes, or null when it cannot (no such flag, all literal). */
function mainOverrides(main: JsonObject): string | null {
  if (Array.isArray(main.envFrom) && main.envFrom.length > 0) return 'container main takes env from envFrom, which may set VLLM_ADDITIONAL_ARGS';
  for (const entry of arrayAt(main, 'env')) {
    if (stringAt(entry, 'name') !== 'VLLM_ADDITIONAL_ARGS') continue;
    const value = isObject(entry) ? entry.value : undefined;
    if (typeof value !== 'string') return 'VLLM_ADDITIONAL_ARGS of container main comes from another object';
    if (PARALLEL_WORD.test(value)) return 'VLLM_ADDITIONAL_ARGS of container main sets a parallel size of its own';
  }
  for (const arg of arrayAt(main, 'args')) {
    if (typeof arg !== 'string') return 'an argument of container main is not text';
    if (PARALLEL_WORD.test(arg)) return 'the args of container main set a parallel size of their own';
  }
  return null;
}

/**
 * The parallelism of the workload a template belongs to (decode: `spec.parallelism`, prefill:
 * `spec.prefill.parallelism`) when KServe's default config starts its vLLM server; null when the
 * template's `main` writes its own command (the argv then says) or has no `main`; `unknown` with the
 * reason when a config we cannot see, a placeholder or the user's own flags may change it.
 * `multiNode`: the workload has a `worker` template. Pure; reads at most a few fields.
 */
export function readLlmisvcParallelism(object: unknown, spec: JsonObject, prefill: boolean, multiNode: boolean): LlmisvcParallelismRead {
  const main = arrayAt(spec, 'containers').find((c) => stringAt(c, 'name') === 'main');
  if (!isObject(main) || main.command !== undefined) return null;
  const at = prefill ? 'spec.prefill.parallelism' : 'spec.parallelism';
  const parallelism = objectAt(valueAtPath(object, at.split('.').slice(0, -1).join('.')), 'parallelism');
  const refs = arrayAt(objectAt(object, 'spec'), 'baseRefs');
  if (refs.length > 0) {
    const names = refs.map((r) => stringAt(r, 'name') ?? '?').join(', ');
    return { unknown: `spec.baseRefs (${names}) are merged over KServe's default config and may replace its vLLM command, which is not seen here` };
  }
  const tensor = count(parallelism, 'tensor');
  const data = count(parallelism, 'data');
  const dataLocal = count(parallelism, 'dataLocal');
  const pipeline = count(parallelism, 'pipeline');
  if (tensor === null || data === null || dataLocal === null || pipeline === null) return { unknown: `${at} holds a value that is not a literal integer` };
  const overrides = mainOverrides(main);
  if (overrides) return { unknown: overrides };
  const tp = Math.max(tensor ?? 1, 1);
  if (!multiNode) return { known: { at, tensor: tp, data: 1, dataLocal: 1, pods: 1, total: tp } };
  // config_merge.go: data parallel is chosen before pipeline parallel; v0.20.0 has no pipeline config.
  if ((data ?? 0) === 0 && (dataLocal ?? 0) === 0) return { unknown: `${at} sets no data parallelism: KServe v0.20.0 ships no default config for this multi-node layout` };
  const d = Math.max(data ?? 1, 1);
  const local = Math.max(dataLocal ?? 1, 1);
  const pods = Math.max(Math.floor(d / local), 1);
  return { known: { at, tensor: tp, data: d, dataLocal: local, pods, total: tp * d } };
}
