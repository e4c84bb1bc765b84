/** The option, env and vendor-image tables shipped with vllm-guard (src/engine/knowledge/vllm-options/). */
import envs from '../knowledge/vllm-options/envs.json' with { type: 'json' };
import options from '../knowledge/vllm-options/options.json' with { type: 'json' };
import vendors from '../knowledge/vllm-options/vendor-images.json' with { type: 'json' };
import type { VendorImageData } from './image-version.js';
import { createOptionTable, type OptionTable } from './option-table.js';
import type { EnvTableData, OptionTableData } from './option-types.js';

/** Builds the bundled option table (about 2 ms); build it once per engine, not per review. */
export function loadBundledOptionTable(): OptionTable {
  return createOptionTable(options as unknown as OptionTableData, envs as unknown as EnvTableData);
}

/** The bundled vendor image table (frozen). */
export function bundledVendorImages(): VendorImageData {
  return Object.freeze(vendors as VendorImageData);
}
