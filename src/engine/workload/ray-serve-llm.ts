/**
 * Ray Serve LLM apps in a RayService's `spec.serveConfigV2`: which vLLM engines Ray starts, with the
 * engine arguments written in `engine_kwargs`, as a vLLM command the engine can judge. Pure, bounded
 * (MAX_SERVE_CONFIG_CHARS, MAX_APPS, MAX_LLM_CONFIGS, MAX_KWARGS), never throws.
 *
 * What the sources say (ray-project/ray; the commits read are named, their release tags could not be
 * listed with the tools at hand):
 * - python/ray/llm/_internal/serve/engines/vllm/vllm_models.py (commit b4061b5e7430)
 *   `VLLMEngineConfig.from_llm_config`: the model is `model_loading_config.model_source` when it is a
 *   string, else `model_id` (a mapping is a cloud mirror, `bucket_uri`); every `engine_kwargs` key must be
 *   a field of vLLM's `FrontendArgs` or `AsyncEngineArgs`, else `ValueError("Unknown engine argument:
 *   {key}")` and the app never starts; `get_initialization_kwargs` refuses `model` and
 *   `served_model_name` in engine_kwargs and any `distributed_executor_backend` but `ray`;
 *   `num_devices` = tensor_parallel_size × pipeline_parallel_size, one bundle `{GPU: 1}` each, placed
 *   with strategy PACK (across nodes, best effort) unless `placement_group_config` gives the bundles
 *   and strategy. Older layouts (deployments/llm/vllm/vllm_models.py) used STRICT_PACK when PP ≤ 1, so
 *   only the cluster's total is judged, never one node's.
 * - python/ray/llm/_internal/serve/core/ingress/builder.py, `build_openai_app(LLMServingArgs)`:
 *   `args.llm_configs` is a list of LLMConfig mappings or of paths to YAML files (unknown here).
 *   `build_dp_openai_app` and `build_llm_deployment` take one `llm_config`, `build_pd_openai_app` a
 *   `prefill_config` and a `decode_config`. Serve's `import_path` is `module:attr` or `module.attr`.
 * - ray-project/kuberay ray-operator/config/samples/ray-service.llm-serve.yaml (v1.7.0): the layout.
 * @module
 */
import { createRequire } from 'node:module';
import { isObject, objectAt, stringAt } from '../util/json.js';
import type { Token } from '../types.js';

/** Node's require for this module, made once; the `yaml` package itself loads on the first Ray Serve LLM text. */
const requireHere = createRequire(import.meta.url);
const yamlLib = (): typeof import('yaml') => requireHere('yaml') as typeof import('yaml');

/** The module every Ray Serve LLM import path names: a text without it holds no Ray Serve LLM app. */
const LLM_MODULE = 'ray.serve.llm';

/** serveConfigV2 texts longer than this are not read (the public examples are a few KiB). */
export const MAX_SERVE_CONFIG_CHARS = 256 * 1024;
const MAX_APPS = 32;
const MAX_LLM_CONFIGS = 16;
const MAX_KWARGS = 256;

/** Where the Ray sources above were read, for messages and docs. */
export const RAY_SERVE_LLM_SOURCE =
  'ray-project/ray python/ray/llm/_internal/serve/engines/vllm/vllm_models.py (commit b4061b5e7430, VLLMEngineConfig.from_llm_config, placement_bundles)';

/** Ray Serve LLM builders and where each takes its LLM configs (paths under the app's `args`). */
const BUILDERS: Readonly<Record<string, readonly string[]>> = {
  build_openai_app: ['llm_configs[]'],
  build_dp_openai_app: ['llm_config'],
  build_llm_deployment: ['llm_config'],
  build_pd_openai_app: ['prefill_config', 'decode_config'],
};
const MODULES: ReadonlySet<string> = new Set([LLM_MODULE]);

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

export interface RayServeApps {
  /** LLM configs of Ray Serve LLM apps, in order. */
  configs: RayLlmConfig[];
  /** What could not be read, for the review's notes. */
  notes: string[];
}

/** The builder an import path names when it is one of Ray Serve LLM's, else null. */
export function rayLlmBuilder(importPath: string): string | null {
  const cut = importPath.includes(':') ? importPath.lastIndexOf(':') : importPath.lastIndexOf('.');
  if (cut <= 0) return null;
  const module = importPath.slice(0, cut).trim();
  const attr = importPath.slice(cut + 1).trim();
  return MODULES.has(module) && Object.hasOwn(BUILDERS, attr) ? attr : null;
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

function readConfig(value: unknown, at: string, notes: string[]): RayLlmConfig | null {
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

function parse(text: string): { value: unknown } | { error: string; invalid: boolean } {
  const { parseDocument } = yamlLib();
  const doc = parseDocument(text, { version: '1.1', prettyErrors: false });
  if (doc.errors.length > 0) return { error: (doc.errors[0] as Error).message.split('\n')[0] ?? 'invalid YAML', invalid: true };
  try {
    // Aliases expanded with a cap: a "billion laughs" text costs no more than a plain one.
    return { value: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (err: unknown) {
    return { error: err instanceof Error ? err.message : String(err), invalid: false };
  }
}

/**
 * The Ray Serve LLM apps of a `serveConfigV2` value (a YAML string). Apps of other import paths are
 * left alone (their engine arguments, if any, are in code vllm-guard cannot read). A text that does not
 * parse, or is too long, gives a note and no configs.
 */
export function readRayServeLlm(serveConfigV2: unknown): RayServeApps {
  const out: RayServeApps = { configs: [], notes: [] };
  if (typeof serveConfigV2 !== 'string' || serveConfigV2.trim() === '') return out;
  if (serveConfigV2.length > MAX_SERVE_CONFIG_CHARS) {
    out.notes.push(`spec.serveConfigV2 is longer than ${MAX_SERVE_CONFIG_CHARS / 1024} KiB and was not read: its Ray Serve apps are not reviewed`);
    return out;
  }
  // Most RayServices run other Serve apps: their text is not parsed at all (a YAML parse is ~0.3 ms).
  if (!serveConfigV2.includes(LLM_MODULE)) return out;
  const parsed = parse(serveConfigV2);
  if ('error' in parsed) {
    out.notes.push(
      parsed.invalid
        ? `spec.serveConfigV2 is not valid YAML (${parsed.error.slice(0, 200)}): KubeRay cannot read it, and its Ray Serve apps are not reviewed`
        : `spec.serveConfigV2 was not read (${parsed.error.slice(0, 200)}): its Ray Serve apps are not reviewed`,
    );
    return out;
  }
  const apps = isObject(parsed.value) && Array.isArray(parsed.value.applications) ? parsed.value.applications.slice(0, MAX_APPS) : [];
  const llmApps = apps.filter((app) => rayLlmBuilder(stringAt(app, 'import_path') ?? '') !== null);
  apps.forEach((app, i) => {
    const builder = rayLlmBuilder(stringAt(app, 'import_path') ?? '');
    if (builder === null) return;
    const args = objectAt(app, 'args');
    const prefix = llmApps.length === 1 ? '' : `applications[${i}].args.`;
    for (const path of BUILDERS[builder] ?? []) {
      if (!path.endsWith('[]')) {
        const config = readConfig(args?.[path], `${prefix}${path}`, out.notes);
        if (config) out.configs.push(config);
        continue;
      }
      const key = path.slice(0, -2);
      const list = Array.isArray(args?.[key]) ? (args[key] as unknown[]) : [];
      list.slice(0, MAX_LLM_CONFIGS).forEach((item, k) => {
        const config = readConfig(item, `${prefix}${key}[${k}]`, out.notes);
        if (config) out.configs.push(config);
      });
    }
  });
  return out;
}
