/** The objects the engine benchmarks review, and the engine with the whole default catalogue. */
import { readdirSync, readFileSync } from 'node:fs';
import { createEngine, loadConfig, loadPolicies, parseDocuments } from './compiled.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const config = loadConfig(null);
export const engine = createEngine({ config: config.engine, policies: loadPolicies(null) });

/** A production-shaped vLLM Deployment that every default policy passes. */
export const pass = parseDocuments(fixture('deployment-pass.yaml'))[0]?.value;

type DeploymentShape = { spec: { template: { spec: { containers: Record<string, unknown>[]; volumes?: unknown } } } };

/** The denied variant: floating tag, TP 4 on 2 GPUs, no shm, no probes, a literal token. */
export const deny = structuredClone(pass) as DeploymentShape;
const container = deny.spec.template.spec.containers[0] as Record<string, unknown>;
container.image = 'vllm/vllm-openai:latest';
container.args = ['meta-llama/Llama-3.1-70B-Instruct', '--tensor-parallel-size', '4'];
container.env = [{ name: 'HF_TOKEN', value: 'hf_not_a_real_token' }];
container.resources = { limits: { 'nvidia.com/gpu': 2 } };
delete container.startupProbe;
delete container.readinessProbe;
delete deny.spec.template.spec.volumes;

/** What most admission requests are: a Pod that is not vLLM. */
export const plainPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
};

/**
 * A fresh copy per request, as the webhook gets after JSON.parse: reviewing one object again and again
 * would let hidden-class and inline caches see identical shapes that production never repeats so exactly,
 * and would hide any cache keyed on the input. Copies are made before timing starts.
 */
export function copies(object: unknown, count: number): unknown[] {
  const json = JSON.stringify(object);
  return Array.from({ length: count }, () => JSON.parse(json) as unknown);
}

/**
 * `count` copies whose vLLM argv all differ (`--max-num-seqs` 1…count): no two reviews share an argv
 * reading, so the engine's argv memo never answers (more distinct argv than it keeps).
 */
export function distinctArgv(object: unknown, count: number): unknown[] {
  return copies(object, count).map((copy, i) => {
    const container = (copy as DeploymentShape).spec.template.spec.containers[0] as { args?: string[] };
    container.args = (container.args ?? []).map((arg) => (arg.startsWith('--max-num-seqs=') ? `--max-num-seqs=${i + 1}` : arg));
    return copy;
  });
}

/**
 * Every workload of examples/good and examples/bad (Deployments, StatefulSets, LeaderWorkerSets, a Pod),
 * in file order: reviewed in turns, they are what a cluster sends, many shapes one after the other,
 * where the rows above repeat one object and let V8's inline caches see one shape.
 */
export function exampleWorkloads(): unknown[] {
  const root = new URL('../examples/', import.meta.url);
  const out: unknown[] = [];
  for (const kind of ['good', 'bad']) {
    for (const file of readdirSync(new URL(`${kind}/`, root)).sort()) {
      for (const doc of parseDocuments(readFileSync(new URL(`${kind}/${file}`, root), 'utf8'))) {
        const spec = (doc.value as { spec?: { template?: unknown; containers?: unknown; leaderWorkerTemplate?: unknown } } | null)?.spec;
        if (spec && (spec.template ?? spec.containers ?? spec.leaderWorkerTemplate)) out.push(doc.value);
      }
    }
  }
  return out;
}
