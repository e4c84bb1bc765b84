import { performance } from 'node:perf_hooks';
let t0 = performance.now();
const { loadConfig } = await import('./dist/config/load.js');
const { loadPolicies } = await import('./dist/policy/load.js');
const { createEngine } = await import('./dist/engine/api.js');
console.log('import', (performance.now() - t0).toFixed(0)); t0 = performance.now();
const c = loadConfig(null); console.log('config', (performance.now() - t0).toFixed(0)); t0 = performance.now();
const p = loadPolicies(null); console.log('policies', (performance.now() - t0).toFixed(0)); t0 = performance.now();
const e = createEngine({ policies: p, config: c.engine }); console.log('engine', (performance.now() - t0).toFixed(0));
