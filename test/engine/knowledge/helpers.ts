/**
 * Facts and findings of the engine for the model/hardware policies (issue 12), over manifests built
 * from real model ids and GPU labels.
 */
import path from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { buildEnvLookup } from '../../../src/engine/command/container-env.js';
import { createEngine, reviewObject } from '../../../src/engine/engine.js';
import { buildFacts } from '../../../src/engine/facts/build.js';
import { createKnowledge, type Knowledge } from '../../../src/engine/knowledge/knowledge.js';
import type { Finding } from '../../../src/engine/types.js';
import { parseVllmArgs } from '../../../src/engine/vllm/args.js';
import { extractWorkload } from '../../../src/engine/workload/extract.js';
import { selectTargets } from '../../../src/engine/workload/select.js';
import { loadPolicies } from '../../../src/policy/load.js';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const config = loadConfig(null).engine;
export const engine = createEngine({ policies: loadPolicies(null), config });
export const knowledge = createKnowledge();

/** Facts of every checked container of `object`, as the engine builds them (model, gpu and fit for servers). */
export function factsOf(object: unknown, k: Knowledge = knowledge): Record<string, unknown>[] {
  const workload = extractWorkload(object);
  const tables = { ...engine.facts, knowledge: k };
  return selectTargets(workload, engine.detection).map((target) => {
    const args = parseVllmArgs(target.classification.command, buildEnvLookup(target.container));
    const groupAccelerators = Number((target.container.resources as { limits?: Record<string, unknown> } | undefined)?.limits?.['nvidia.com/gpu'] ?? 0) * target.template.groupSize;
    return buildFacts({ object, workload, target, args, groupAccelerators, tables, related: null });
  });
}

/** Findings of the engine's review of `object`, optionally of one policy. */
export function findingsOf(object: unknown, policy?: string): Finding[] {
  return reviewObject(engine, object).findings.filter((f) => !policy || f.policy === policy);
}

export const ISSUE_12_POLICIES = ['context-within-model', 'dtype-vs-accelerator', 'model-fits-memory', 'multinode-backend', 'parallelism-fits-model'];

/** A Deployment serving `args` with `gpus` GPUs, placed by `nodeSelector` / `affinity`. */
export function deployment(opts: {
  args: string[];
  gpus?: number;
  image?: string;
  nodeSelector?: Record<string, string>;
  affinity?: unknown;
  env?: { name: string; value: string }[];
  resource?: string;
}): unknown {
  const resource = opts.resource ?? 'nvidia.com/gpu';
  const gpus = String(opts.gpus ?? 1);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm', namespace: 'ml' },
    spec: {
      template: {
        spec: {
          ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}),
          ...(opts.affinity ? { affinity: opts.affinity } : {}),
          containers: [
            {
              name: 'vllm',
              image: opts.image ?? 'vllm/vllm-openai:v0.10.1',
              command: ['vllm', 'serve'],
              args: opts.args,
              ...(opts.env ? { env: opts.env } : {}),
              resources: { limits: { [resource]: gpus }, requests: { [resource]: gpus } },
            },
          ],
        },
      },
    },
  };
}
