/**
 * Ray Serve LLM apps in a RayService's `spec.serveConfigV2`: which vLLM engines Ray starts, with the
 * engine arguments written in `engine_kwargs`, as a vLLM command the engine can judge. Pure, bounded
 * (MAX_SERVE_CONFIG_CHARS, MAX_APPS, MAX_LLM_CONFIGS, and MAX_KWARGS in ray-llm-config.ts, which
 * reads each LLMConfig), never throws.
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
import { readConfig, type RayLlmConfig } from './ray-llm-config.js';

/** Node's require for this module, made once; the `yaml` package itself loads on the first Ray Serve LLM text. */
const requireHere = createRequire(import.meta.url);
const yamlLib = (): typeof import('yaml') => requireHere('yaml') as typeof import('yaml');

/** The module every Ray Serve LLM import path names: a text without it holds no Ray Serve LLM app. */
const LLM_MODULE = 'ray.serve.llm';

/** serveConfigV2 texts longer than this are not read (the public examples are a few KiB). */
export const MAX_SERVE_CONFIG_CHARS = 256 * 1024;
const MAX_APPS = 32;
const MAX_LLM_CONFIGS = 16;

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

/** The Ray Serve LLM apps of a RayService (readRayServeLlm). */
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
