/**
 * One LLMConfig of a Ray Serve LLM app read as the vLLM command Ray's engine config amounts to, with
 * the accelerator it asks for, why its GPU count may not be TP × PP, and the engine_kwargs Ray itself
 * refuses. Its own file: the per-config reading, apart from finding the apps in serveConfigV2
 * (ray-serve-llm.ts, which also names the Ray sources read). Bounded: at most MAX_KWARGS keys and
 * list items.
 * @module
 */
import { isObject, objectAt, stringAt } from '../util/json.js';
import type { Token } from '../types.js';

const MAX_KWARGS = 256;

/** One LLMConfig of a Ray Serve LLM app, as Ray hands it to vLLM. */
export interface RayLlmConfig {
  /** Where it is written inside serveConfigV2, for messages: `llm_configs[0]`, or `applications[1].args.llm_config`. */
  at: string;
  /** The vLLM command Ray's engine config amounts to: `vllm serve <model> --<kwarg> <value> …`. */
  command: Token[];
  /** `accelerator_type` as written (`L4`, `A10G`, `H100`), or null. */
  acceleratorType: string | null;
  /** Why the GPUs one replica takes are not TP × PP (placement_group_config, use_cpu), or null. */
  devicesUnknown: string | null;
  /** engine_kwargs Ray itself refuses before vLLM starts (get_initialization_kwargs). */
  refused: RayRefusal[];
}

/** An engine_kwargs key Ray Serve LLM refuses with a ValueError, in words for vllm-args-valid. */
export interface RayRefusal {
  /** The engine_kwargs key. */
  key: string;
  /** `serveConfigV2 llm_configs[0].engine_kwargs.model`. */
  from: string;
  summary: string;
  says: string;
  fix: string;
}

/**
 * Keys Ray refuses (vllm_models.py get_initialization_kwargs): `model` and `served_model_name` (set from
 * model_loading_config), and a `distributed_executor_backend` other than `ray` on GPUs (Ray runs the
 * engine's workers as Ray actors; a CPU engine, `use_cpu`, or a TPU one may use another backend in newer
 * releases, so those are left alone). A placeholder is never refused.
 */
function refusals(config: Record<string, unknown>, kwargs: Record<string, unknown>, origin: string): RayRefusal[] {
  const out: RayRefusal[] = [];
  for (const key of ['model', 'served_model_name']) {
    if (kwargs[key] === undefined) continue;
    out.push({ key, from: `${origin}.engine_kwargs.${key}`, summary: `engine_kwargs.${key} is Ray's to set, from model_loading_config`, says: `never starts: Ray refuses ${key} in engine_kwargs (ValueError)`, fix: `remove ${key} from engine_kwargs; name the model in model_loading_config (model_id, model_source)` });
  }
  const backend = kwargs.distributed_executor_backend;
  const accelerator = typeof config.accelerator_type === 'string' ? config.accelerator_type : '';
  if (typeof backend === 'string' && backend !== 'ray' && !PLACEHOLDER.test(backend) && config.use_cpu !== true && !accelerator.toUpperCase().startsWith('TPU')) {
    out.push({
      key: 'distributed_executor_backend', from: `${origin}.engine_kwargs.distributed_executor_backend`,
      summary: `distributed_executor_backend ${backend.slice(0, 40)}: Ray Serve LLM runs vLLM on Ray`, says: "never starts: Ray refuses distributed_executor_backend != 'ray' (ValueError)",
      fix: 'remove distributed_executor_backend from engine_kwargs (Ray sets ray)',
    });
  }
  return out;
}

const PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*\}|^\$[A-Za-z_][A-Za-z0-9_]*$|\{\{[^{}]*\}\}/;
const PLACEHOLDER_REASON = 'a placeholder for a renderer (envsubst, Helm) to fill';

/** Python's `str()` of a value, as the CLI would read it (numbers, strings, JSON for mappings). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? '';
}

function token(value: string, from: string): Token {
  const t: Token = { text: value, from, at: 'serveConfigV2' };
  if (value.includes('$') || value.includes('{{')) if (PLACEHOLDER.test(value)) t.unknown = PLACEHOLDER_REASON;
  return t;
}

/** The model Ray loads: model_source when a string, its bucket_uri when a mirror, else model_id. */
function modelOf(config: Record<string, unknown>): { model: string; from: string } | null {
  const loading = objectAt(config, 'model_loading_config');
  const source = loading?.model_source;
  if (typeof source === 'string' && source !== '') return { model: source, from: 'model_loading_config.model_source' };
  const bucket = stringAt(source, 'bucket_uri');
  if (bucket) return { model: bucket, from: 'model_loading_config.model_source.bucket_uri' };
  const id = stringAt(loading, 'model_id');
  return id ? { model: id, from: 'model_loading_config.model_id' } : null;
}

/**
 * The vLLM command one LLMConfig amounts to: `vllm serve <model>` and each engine_kwargs key as its
 * option (`tensor_parallel_size: 8` → `--tensor_parallel_size 8`; vLLM folds `_` and `-`), `true` the
 * bare flag, `false` and `null` nothing (the default), a list the flag and each item, a mapping its JSON.
 * Each token says where it is written (`from serveConfigV2 llm_configs[0].engine_kwargs.dtype`).
 */
function commandOf(config: Record<string, unknown>, at: string): Token[] {
  const origin = `serveConfigV2 ${at}`;
  const model = modelOf(config);
  const command: Token[] = [{ text: 'vllm', at: 'serveConfigV2' }, { text: 'serve', at: 'serveConfigV2' }];
  if (model) command.push(token(model.model, `${origin}.${model.from}`));
  const kwargs = objectAt(config, 'engine_kwargs');
  for (const [key, value] of Object.entries(kwargs ?? {}).slice(0, MAX_KWARGS)) {
    // Ray sets these itself from model_loading_config (and refuses them here): not vLLM's to judge.
    if (key === 'model' || key === 'served_model_name' || value === null || value === false) continue;
    const from = `${origin}.engine_kwargs.${key}`;
    const flag: Token = { text: `--${key}`, from, at: 'serveConfigV2' };
    if (value === true) command.push(flag);
    else if (Array.isArray(value)) command.push(flag, ...value.slice(0, MAX_KWARGS).map((item) => token(text(item), from)));
    else command.push(flag, token(text(value), from));
  }
  return command;
}

function devicesUnknown(config: Record<string, unknown>): string | null {
  if (config.placement_group_config !== undefined && config.placement_group_config !== null) {
    return 'placement_group_config gives the bundles of each replica, not tensor × pipeline GPUs';
  }
  if (config.use_cpu === true) return 'use_cpu runs the engine on CPUs';
  return null;
}

/**
 * One LLMConfig written at `at` (`llm_configs[0]`), or null: a string is a file path that cannot be
 * read at admission (a note says so, pushed to `notes`), anything else but a mapping is skipped.
 */
export function readConfig(value: unknown, at: string, notes: string[]): RayLlmConfig | null {
  if (typeof value === 'string') {
    notes.push(`serveConfigV2 ${at} names the file ${value.slice(0, 200)}, which cannot be read at admission: its vLLM engine arguments are not reviewed`);
    return null;
  }
  if (!isObject(value)) return null;
  const accelerator = value.accelerator_type;
  return {
    at,
    command: commandOf(value, at),
    acceleratorType: typeof accelerator === 'string' && accelerator !== '' ? accelerator : null,
    devicesUnknown: devicesUnknown(value),
    refused: refusals(value, objectAt(value, 'engine_kwargs') ?? {}, `serveConfigV2 ${at}`),
  };
}
