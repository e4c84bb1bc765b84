/**
 * Facts and findings for the model/hardware policies before they are wired into the engine: the
 * engine's own facts (as test/engine/facts.test.ts builds them) plus buildHardwareFacts, evaluated
 * with the proposed policies in policies/proposed/.
 */
import path from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { buildEnvLookup } from '../../../src/engine/argv.js';
import { evaluatePolicies, planPolicies, type RawFinding } from '../../../src/engine/evaluate.js';
import { buildFacts } from '../../../src/engine/facts.js';
import { selectTargets } from '../../../src/engine/select.js';
import { parseVllmArgs } from '../../../src/engine/vllm-args.js';
import { extractWorkload } from '../../../src/engine/workload.js';
import { buildHardwareFacts } from '../../../src/engine/knowledge/hardware-facts.js';
import { createKnowledge, type Knowledge } from '../../../src/engine/knowledge/knowledge.js';
import { loadPolicySet } from '../../../src/policy/load.js';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const config = loadConfig(null).engine;
const proposed = loadPolicySet(path.join(ROOT, 'policies/proposed'), config);
export const knowledge = createKnowledge();

/** Facts of every checked container of `object`, with model, gpu and fit. */
export function factsOf(object: unknown, k: Knowledge = knowledge): Record<string, unknown>[] {
  const workload = extractWorkload(object);
  return selectTargets(workload, config.detection).map((target) => {
    const args = parseVllmArgs(target.classification.command, buildEnvLookup(target.container));
    const groupAccelerators = Number((target.container.resources as { limits?: Record<string, unknown> } | undefined)?.limits?.['nvidia.com/gpu'] ?? 0) * target.template.groupSize;
    const facts = buildFacts({ object, workload, target, args, groupAccelerators, config });
    return Object.assign(facts, buildHardwareFacts(facts, k));
  });
}

/** Findings of the proposed policies for the server containers of `object`. */
export function findingsOf(object: unknown, policy?: string): RawFinding[] {
  const plan = planPolicies(proposed, config);
  return factsOf(object).flatMap((facts) => {
    const role = facts.role as 'server' | 'ray-worker' | 'generic';
    const namespace = (facts.workload as { namespace: string }).namespace;
    return evaluatePolicies(plan[role], namespace, facts).filter((f) => !policy || f.policy.id === policy);
  });
}

export const proposedPolicies = proposed;

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
