/**
 * The bundled catalogues (gpus.json, models.json) and a platform team's additions from the engine
 * config, built once into immutable objects the facts builder reads.
 */
import gpuData from './gpus.json' with { type: 'json' };
import modelData from './models.json' with { type: 'json' };
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from './checks/inputs.js';
import { createGpuCatalogue, type GpuCatalogue } from './gpu-catalogue.js';
import { createModelCatalogue, type ModelCatalogue } from './model-catalogue.js';
import { createHardwareFactsMemo, type HardwareFactsReading } from './hardware-facts-memo.js';
import type { GpuCatalogueData, GpuProduct, ModelCatalogueData, ModelEntry } from './types.js';

export interface Knowledge {
  readonly gpus: GpuCatalogue;
  readonly models: ModelCatalogue;
  readonly options: Readonly<CheckOptions>;
  /** The hardware facts remembered for this knowledge (hardware-facts-memo.ts); absent: built each time. */
  readonly hardwareFacts?: HardwareFactsReading;
}

/** What the engine config may add (config key `knowledge`); every field optional. */
export interface KnowledgeConfig {
  gpus?: GpuProduct[];
  models?: ModelEntry[];
  overheadGiB?: number;
}

/** The shipped data files, typed. */
export const BUNDLED_GPUS = gpuData as unknown as GpuCatalogueData;
export const BUNDLED_MODELS = modelData as unknown as ModelCatalogueData;

/** Bundled catalogues plus the config's entries (an entry with a bundled id replaces it). */
export function createKnowledge(config: KnowledgeConfig = {}): Knowledge {
  return Object.freeze({
    gpus: createGpuCatalogue(BUNDLED_GPUS, config.gpus ?? []),
    models: createModelCatalogue(BUNDLED_MODELS, config.models ?? []),
    options: Object.freeze({ ...DEFAULT_CHECK_OPTIONS, ...(config.overheadGiB !== undefined ? { overheadGiB: config.overheadGiB } : {}) }),
    hardwareFacts: createHardwareFactsMemo(),
  });
}
