/**
 * The engine-config block a platform team extends the catalogues with (config key `knowledge`, from
 * a mounted file or ConfigMap): extra GPU products and models, and the assumed per-GPU overhead.
 * Validated here so a bad entry fails the config load with the field named, never a stack trace.
 */
import { newAjv } from '../util/ajv-lazy.js';
import { AppError } from '../../errors.js';
import type { KnowledgeConfig } from './knowledge.js';
import type { GpuProduct, ModelEntry } from './types.js';

const POSITIVE_INT = { type: 'integer', minimum: 1, maximum: 10_000_000 };
const NAME = { type: 'string', minLength: 1, maxLength: 200 };

/** JSON Schema of the `knowledge` config key (draft-07). */
export const KNOWLEDGE_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    overheadGiB: { type: 'number', minimum: 0, maximum: 64 },
    gpus: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'memoryGiB', 'computeCapability', 'labels'],
        properties: {
          id: NAME,
          name: NAME,
          memoryGiB: { type: 'number', exclusiveMinimum: 0, maximum: 4096 },
          computeCapability: { type: 'string', pattern: '^[0-9]{1,2}\\.[0-9]$' },
          sources: { type: 'array', items: NAME, maxItems: 20 },
          labels: { type: 'object', maxProperties: 20, additionalProperties: { type: 'array', items: NAME, maxItems: 50 } },
        },
      },
    },
    models: {
      type: 'array',
      maxItems: 2000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'modelType', 'numHiddenLayers', 'numAttentionHeads', 'numKeyValueHeads', 'hiddenSize', 'intermediateSize', 'vocabSize', 'maxPositionEmbeddings', 'source'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,96}/[A-Za-z0-9._-]{1,96}$' },
          aliases: { type: 'array', maxItems: 20, items: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,96}/[A-Za-z0-9._-]{1,96}$' } },
          architecture: NAME,
          modelType: NAME,
          numHiddenLayers: POSITIVE_INT,
          numAttentionHeads: POSITIVE_INT,
          numKeyValueHeads: POSITIVE_INT,
          headDim: POSITIVE_INT,
          hiddenSize: POSITIVE_INT,
          intermediateSize: POSITIVE_INT,
          vocabSize: POSITIVE_INT,
          maxPositionEmbeddings: POSITIVE_INT,
          ropeScaling: {
            type: ['object', 'null'],
            required: ['type'],
            additionalProperties: false,
            properties: { type: NAME, factor: { type: 'number', exclusiveMinimum: 0 }, originalMaxPositionEmbeddings: POSITIVE_INT },
          },
          torchDtype: { enum: ['bfloat16', 'float16', 'float32', null] },
          tieWordEmbeddings: { type: 'boolean' },
          qkvBias: { type: 'boolean' },
          checkpointQuantization: NAME,
          moe: { type: 'object' },
          mla: { type: 'object' },
          attention: { type: 'object' },
          statedParams: { type: 'object' },
          source: { type: 'object', required: ['repo', 'path'], properties: { repo: NAME, path: NAME } },
          notes: { type: 'string' },
        },
      },
    },
  },
} as const;

/**
 * Validates the raw `knowledge` config value. `where` names the config file for the message.
 * Throws AppError ERR_CONFIG: "<where>: knowledge.models[0].numHiddenLayers: must be integer".
 */
export function readKnowledgeConfig(raw: unknown, where: string): KnowledgeConfig {
  if (raw === undefined || raw === null) return {};
  const validate = newAjv({ allErrors: false, strict: false }).compile(KNOWLEDGE_CONFIG_SCHEMA);
  if (!validate(raw)) {
    const error = validate.errors?.[0];
    // /models/0/numHiddenLayers → knowledge.models[0].numHiddenLayers
    const segments = (error?.instancePath ?? '').split('/').filter(Boolean);
    let field = segments.reduce((out, s) => (s !== '' && [...s].every((c) => c >= '0' && c <= '9') ? `${out}[${s}]` : `${out}.${s}`), 'knowledge');
    const params = (error?.params ?? {}) as Record<string, unknown>;
    if (typeof params.missingProperty === 'string') field += `.${params.missingProperty}`;
    if (typeof params.additionalProperty === 'string') field += `.${params.additionalProperty}`;
    const text = error?.keyword === 'additionalProperties' ? 'is not a known field' : error?.keyword === 'required' ? 'is required' : (error?.message ?? 'is invalid');
    throw new AppError('ERR_CONFIG', `${where}: ${field}: ${text}`);
  }
  const value = raw as { overheadGiB?: number; gpus?: GpuProduct[]; models?: (Omit<ModelEntry, 'ropeScaling' | 'torchDtype' | 'tieWordEmbeddings'> & Partial<ModelEntry>)[] };
  return {
    ...(value.overheadGiB !== undefined ? { overheadGiB: value.overheadGiB } : {}),
    gpus: (value.gpus ?? []).map((g) => ({ ...g, sources: g.sources ?? [`config ${where}`] })),
    models: (value.models ?? []).map((m) => ({
      ...m,
      architecture: m.architecture ?? m.modelType,
      ropeScaling: m.ropeScaling ?? null,
      torchDtype: m.torchDtype ?? null,
      tieWordEmbeddings: m.tieWordEmbeddings ?? false,
    })),
  };
}
