// Engine benchmark: µs per object through reviewObject with the whole default catalogue,
// argument parsing and facts included. A figure to read, not a pass/fail test.
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config/load.js';
import { reviewObject } from '../src/engine/index.js';
import { loadPolicySet } from '../src/policy/load.js';
import { parseDocuments } from '../src/io/yaml.js';

const here = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const pass = parseDocuments(readFileSync(here('deployment-pass.yaml'), 'utf8'))[0]?.value;
const config = loadConfig(null);
const engine = { config: config.engine, policies: loadPolicySet(null, config.engine) };

// The denied variant: floating tag, TP 4 on 2 GPUs, no shm, no probes, a literal token.
const deny = structuredClone(pass) as { spec: { template: { spec: { containers: Record<string, unknown>[]; volumes?: unknown } } } };
const container = deny.spec.template.spec.containers[0] as Record<string, unknown>;
container.image = 'vllm/vllm-openai:latest';
container.args = ['meta-llama/Llama-3.1-70B-Instruct', '--tensor-parallel-size', '4'];
container.env = [{ name: 'HF_TOKEN', value: 'hf_not_a_real_token' }];
container.resources = { limits: { 'nvidia.com/gpu': 2 } };
delete container.startupProbe;
delete container.readinessProbe;
delete deny.spec.template.spec.volumes;
const plainPod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };

function measure(name: string, object: unknown, iterations: number): { name: string; us: number; perSecond: number; findings: number } {
  for (let i = 0; i < 2000; i++) reviewObject(engine, object);
  const start = process.hrtime.bigint();
  let findings = 0;
  for (let i = 0; i < iterations; i++) findings = reviewObject(engine, object).findings.length;
  const ns = Number(process.hrtime.bigint() - start);
  const us = ns / iterations / 1000;
  return { name, us, perSecond: 1e6 / us, findings };
}

const iterations = Number(process.env.BENCH_ITERATIONS ?? 20000);
const rows = [
  measure('vLLM Deployment that passes', pass, iterations),
  measure('vLLM Deployment that is denied', deny, iterations),
  measure('non-vLLM Pod', plainPod, iterations),
];
console.log(`engine: ${engine.policies.policies.length} policies, ${iterations} iterations each, node ${process.version}`);
console.log('object                              µs/object   objects/s   findings');
for (const r of rows) console.log(`${r.name.padEnd(36)}${r.us.toFixed(2).padStart(9)}${Math.round(r.perSecond).toString().padStart(12)}${String(r.findings).padStart(11)}`);
const worst = Math.max(rows[0]?.us ?? 0, rows[1]?.us ?? 0);
console.log(`target: at most 25 µs per vLLM Deployment with the whole catalogue: ${worst <= 25 ? 'met' : 'MISSED'} (${worst.toFixed(2)} µs)`);
