/**
 * The benchmarks run the engine as tsc compiled it (dist/, from `npm run build`), not through tsx:
 * tsx's transform wraps functions (`__name`) and would measure code that never ships. The types
 * come from src/ so this file stays type-checked with the rest of the repo.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as ConfigLoad from '../src/config/load.js';
import type * as EngineIndex from '../src/engine/api.js';
import type * as PolicyLoad from '../src/policy/load.js';
import type * as Yaml from '../src/io/yaml.js';

// BENCH_DIST points at another build (an older commit compiled elsewhere) to compare two engines.
const DIST = process.env.BENCH_DIST ? pathToFileURL(`${process.env.BENCH_DIST.replace(/\/+$/, '')}/`) : new URL('../dist/', import.meta.url);

async function importCompiled<T>(file: string): Promise<T> {
  const url = new URL(file, DIST);
  if (!existsSync(url)) throw new Error(`${fileURLToPath(url)} is missing: run \`npm run build\` first`);
  return (await import(url.href)) as T;
}

export const distDir = fileURLToPath(DIST);
export const { loadConfig } = await importCompiled<typeof ConfigLoad>('config/load.js');
export const { reviewObject, createEngine } = await importCompiled<typeof EngineIndex>('engine/api.js');
export const { loadPolicies } = await importCompiled<typeof PolicyLoad>('policy/load.js');
export const { parseDocuments } = await importCompiled<typeof Yaml>('io/yaml.js');
