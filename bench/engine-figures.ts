/**
 * In-process engine cost per object (argument parsing and facts included), measured on the
 * compiled engine in dist/ with the bundled catalogue, for the same three bodies the load uses.
 * @module
 */
import { pathToFileURL } from 'node:url';
import type { BenchBody } from './bodies.js';

export interface EngineFigure {
  readonly body: string;
  readonly microseconds: number;
  readonly findings: number;
}

export interface EngineFigures {
  readonly policies: number;
  readonly iterations: number;
  readonly rows: EngineFigure[];
}

// The compiled modules under dist/, not the bench's own copy: the bundled policy directory is
// found relative to the module, and dist/ is what `vllm-guard serve` runs.
async function importDist<T>(root: string, file: string): Promise<T> {
  return (await import(pathToFileURL(`${root}/dist/${file}`).href)) as T;
}

export async function measureEngine(root: string, bodies: readonly BenchBody[], iterations: number): Promise<EngineFigures> {
  const { reviewObject, createEngine } = await importDist<typeof import('../src/engine/api.js')>(root, 'engine/api.js');
  const { loadConfig } = await importDist<typeof import('../src/config/load.js')>(root, 'config/load.js');
  const { loadPolicies } = await importDist<typeof import('../src/policy/load.js')>(root, 'policy/load.js');
  const config = loadConfig(null);
  const engine = createEngine({ config: config.engine, policies: loadPolicies(null) });
  const rows: EngineFigure[] = [];
  for (const body of bodies) {
    const object = (body.object.request as { object: unknown }).object;
    for (let i = 0; i < 2000; i++) reviewObject(engine, object);
    let findings = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) findings = reviewObject(engine, object).findings.length;
    const ns = Number(process.hrtime.bigint() - start);
    rows.push({ body: body.name, microseconds: ns / iterations / 1000, findings });
  }
  return { policies: engine.policies.policies.length, iterations, rows };
}
