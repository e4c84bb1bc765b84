/**
 * ajv, loaded on first use. Importing ajv costs 50–150 ms at start (measured on 2 busy cores), and
 * `vllm-guard check` with the build's precompiled policies and no config file never compiles a
 * schema: it should not pay for the compiler.
 * @module
 */
import { createRequire } from 'node:module';
import type { Ajv, Options } from 'ajv';

/** A new ajv instance with `options` (ajv's own Options); loads the ajv package on the first call. */
export function newAjv(options: Options): Ajv {
  const loaded = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new loaded.Ajv(options);
}
