/**
 * Platform labels that route requests by model name to the pods that carry them, and the names vLLM
 * answers to. AIBrix's gateway sends a request for model X to the pods labelled
 * `model.aibrix.ai/name: X`, and its samples say the label, the Service name and `--served-model-name`
 * must match (vllm-project/aibrix samples/quickstart/model.yaml: "The label value
 * `model.aibrix.ai/name` here must match with the service name", "The `--served-model-name` argument
 * value must also match the Service name and the Deployment label"). vLLM answers to the
 * `--served-model-name` values, else to the model itself (vllm/entrypoints/openai/api_server.py
 * v0.6.0–v0.20.1: `served_model_names = args.served_model_name` when given, else `[args.model]`).
 * Public report: vllm-project/aibrix#1405.
 */
import type { ArgValue } from '../types.js';

/** The fact `routing`: which label routes by model name, and the name it holds; null without one. */
export interface ModelRoutingFact {
  platform: string;
  label: string;
  model: string;
}

const ROUTING_LABELS: readonly { platform: string; label: string }[] = [{ platform: 'AIBrix', label: 'model.aibrix.ai/name' }];

/** The first routing label of the pod's labels (`labels`: object labels merged with the template's). */
export function readModelRouting(labels: Readonly<Record<string, string>>): ModelRoutingFact | null {
  for (const { platform, label } of ROUTING_LABELS) {
    const model = labels[label];
    if (typeof model === 'string' && model !== '') return { platform, label, model };
  }
  return null;
}

/** The names vLLM answers to: `--served-model-name` values, else the model; [] when neither is known. */
export function servedModelNames(args: Record<string, ArgValue>, model: string | null): string[] {
  const served = args['served-model-name'];
  if (Array.isArray(served) && served.length > 0) return served.map(String);
  if (typeof served === 'string' && served !== '') return [served];
  return model ? [model] : [];
}
