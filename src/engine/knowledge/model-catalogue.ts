/**
 * The model catalogue: resolves a vLLM model id (Hugging Face org/name) to the config.json facts
 * vLLM will read, or to unknown. Lookup is case-insensitive, by org/name or alias first, then by
 * name alone (quantized re-uploads live under other orgs); quantization suffixes (-AWQ, -GPTQ-Int4,
 * -FP8, -bnb-4bit, …) are stripped to find the base architecture and reported as the quantization.
 */
import { paramCount, type ParamCount } from './architecture.js';
import { createMemo } from '../util/memo.js';
import type { ModelCatalogueData, ModelEntry } from './types.js';

export interface QuantizationGuess {
  /** vLLM --quantization name when it is one (awq, gptq, fp8, bitsandbytes, gguf, mxfp4), else the suffix. */
  method: string;
  /** Bits per weight of the quantized matrices; null when the id does not say. */
  bits: number | null;
  from: 'id' | 'flag' | 'checkpoint';
}

export interface ResolvedModel {
  entry: ModelEntry;
  params: ParamCount;
  /** The requested id's last segment, for display (Llama-3.1-70B-Instruct). */
  displayName: string;
  quantization: QuantizationGuess | null;
}

export type ModelResolution = { known: true; model: ResolvedModel } | { known: false; reason: string };

export interface ModelCatalogue {
  readonly size: number;
  readonly entries: readonly ModelEntry[];
  /** `id` as written after `vllm serve` / `--model`; `quantizationFlag` is `-q/--quantization` if set. */
  resolve(id: string | null, quantizationFlag?: string | null): ModelResolution;
}

/** Suffix (lower case, after a '-' or '.') → quantization it names; longest first so -gptq-int4 wins over -int4. */
const SUFFIXES: ReadonlyArray<readonly [string, QuantizationGuess['method'], number | null]> = [
  ['gptq-int4', 'gptq', 4], ['gptq-int8', 'gptq', 8], ['awq-int4', 'awq', 4], ['fp8-dynamic', 'fp8', 8],
  ['bnb-4bit', 'bitsandbytes', 4], ['bnb-8bit', 'bitsandbytes', 8], ['quantized.w8a8', 'compressed-tensors', 8],
  ['quantized.w4a16', 'compressed-tensors', 4], ['w8a8', 'compressed-tensors', 8], ['w4a16', 'compressed-tensors', 4],
  ['awq', 'awq', 4], ['gptq', 'gptq', null], ['fp8', 'fp8', 8], ['int4', 'int4', 4], ['int8', 'int8', 8],
  ['4bit', 'bitsandbytes', 4], ['8bit', 'bitsandbytes', 8], ['gguf', 'gguf', null], ['mxfp4', 'mxfp4', 4], ['nvfp4', 'nvfp4', 4],
];

/** Bits a --quantization value implies for the weights, where the method fixes it. */
const FLAG_BITS: Readonly<Record<string, number>> = { fp8: 8, fbgemm_fp8: 8, mxfp4: 4, awq: 4, awq_marlin: 4, bitsandbytes: 4 };

/** Strips quantization suffixes from a model name; returns the base name and what was stripped. */
export function stripQuantization(name: string): { base: string; quantization: QuantizationGuess | null } {
  let base = name;
  let found: QuantizationGuess | null = null;
  // At most a few suffixes chain (-AWQ-INT4); bounded loop, no regex.
  for (let round = 0; round < 3; round += 1) {
    const lower = base.toLowerCase();
    const hit = SUFFIXES.find(([s]) => lower.endsWith(s) && lower.length > s.length && '-._'.includes(lower[lower.length - s.length - 1] ?? ''));
    if (!hit) break;
    base = base.slice(0, base.length - hit[0].length - 1);
    found ??= { method: hit[1], bits: hit[2], from: 'id' };
    if (found.bits === null && hit[2] !== null) found = { ...found, bits: hit[2] };
  }
  return { base, quantization: found };
}

function lastSegment(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash >= 0 ? id.slice(slash + 1) : id;
}

function isLocal(id: string): boolean {
  return id.startsWith('/') || id.startsWith('./') || id.startsWith('~') || id.includes('://');
}

/**
 * Builds an immutable catalogue from the bundled data plus a platform team's extra entries (an extra
 * entry with the id of a bundled one replaces it: configuration extends, it never silently narrows).
 */
export function createModelCatalogue(data: ModelCatalogueData, extra: readonly ModelEntry[] = []): ModelCatalogue {
  const byId = new Map<string, ModelEntry>();
  for (const entry of [...data.models, ...extra]) byId.set(entry.id.toLowerCase(), entry);
  const entries = Object.freeze([...byId.values()].map((e) => Object.freeze(e)));
  const exact = new Map<string, ModelEntry>();
  const byName = new Map<string, ModelEntry | null>(); // null = two entries share the name
  for (const entry of entries) {
    for (const id of [entry.id, ...(entry.aliases ?? [])]) {
      exact.set(id.toLowerCase(), entry);
      const name = lastSegment(id).toLowerCase();
      const seen = byName.get(name);
      byName.set(name, seen === undefined || seen === entry ? entry : null);
    }
  }
  const params = new Map<ModelEntry, ParamCount>(entries.map((e) => [e, paramCount(e)]));

  function lookup(id: string): ModelEntry | null | undefined {
    const lower = id.toLowerCase();
    return exact.get(lower) ?? byName.get(lastSegment(lower));
  }

  // Every review of a Deployment asks again for the same id: the answer is pure, so it is kept per
  // catalogue (one per engine), bounded (util/memo.ts) and frozen.
  const memo = createMemo<ModelResolution>();

  function resolve(id: string | null, quantizationFlag: string | null = null): ModelResolution {
    if (!id) return resolveUncached(id, quantizationFlag);
    return memo.get(`${id}\u0000${quantizationFlag ?? ''}`, () => Object.freeze(resolveUncached(id, quantizationFlag)));
  }

  function resolveUncached(id: string | null, quantizationFlag: string | null): ModelResolution {
    if (!id) return { known: false, reason: 'no model id in the command line' };
    if (isLocal(id)) return { known: false, reason: `${id} is a local path or URL: the catalogue cannot tell which model it holds` };
    const { base, quantization: fromId } = stripQuantization(id);
    const entry = lookup(id) ?? lookup(base);
    if (entry === null) return { known: false, reason: `${lastSegment(id)} matches more than one catalogue entry: write org/name` };
    if (!entry) return { known: false, reason: `model ${id} is not in the catalogue: add it (engine config knowledge.models)` };
    let quantization: QuantizationGuess | null = fromId;
    if (quantizationFlag) {
      const method = quantizationFlag.toLowerCase();
      quantization = { method, bits: FLAG_BITS[method] ?? fromId?.bits ?? null, from: 'flag' };
    } else if (!quantization && entry.checkpointQuantization) {
      quantization = { method: entry.checkpointQuantization, bits: FLAG_BITS[entry.checkpointQuantization] ?? null, from: 'checkpoint' };
    }
    return { known: true, model: { entry, params: params.get(entry) ?? paramCount(entry), displayName: lastSegment(id), quantization } };
  }

  return Object.freeze({ size: entries.length, entries, resolve });
}
