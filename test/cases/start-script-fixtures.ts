// What the ConfigMap start-script tests share: a Deployment whose server container mounts the ConfigMap
// volume `scripts` at /scripts, the ConfigMap, and a review as `check` (input set) or the webhook (none) gives it.
import { createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { engine } from './recognition-fixtures.js';

export type Json = Record<string, unknown>;

/** ConfigMap `name` (vllm-start) in namespace llm with `data`. */
export const configMap = (data: Record<string, string>, name = 'vllm-start'): Json => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'llm' }, data });

/** The volume the Deployment mounts at /scripts unless told otherwise: ConfigMap vllm-start, executable. */
export const SCRIPTS_VOLUMES: readonly Json[] = [{ name: 'scripts', configMap: { name: 'vllm-start', defaultMode: 0o755 } }];

/**
 * Deployment qwen (namespace llm) with one container `server` asking for 2 NVIDIA GPUs and mounting
 * volume `scripts` at /scripts; `container` adds or overrides fields. `image` null writes none.
 */
export function scriptDeployment(container: Json, options: { image?: string | null; replicas?: number; volumes?: readonly Json[] } = {}): Json {
  const { image = 'vllm/vllm-openai:v0.10.1.1', replicas = 1, volumes = SCRIPTS_VOLUMES } = options;
  const base: Json = image === null ? { name: 'server' } : { name: 'server', image };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'qwen', namespace: 'llm' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'qwen' } },
      template: {
        metadata: { labels: { app: 'qwen' } },
        spec: {
          containers: [{ ...base, resources: { limits: { 'nvidia.com/gpu': '2' } }, volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }], ...container }],
          volumes: [...volumes],
        },
      },
    },
  };
}

/** Reviews the workload as `check` does with `others` in the input set, or as the webhook does (no set) when `others` is null. */
export function review(workload: Json, others: Json[] | null): WorkloadReview {
  const related = others === null ? undefined : createRelatedSet([workload, ...others], { scope: 'the input set' });
  return reviewObject(engine, workload, related ? { related } : {});
}

/** The review's gpu-count-matches-parallelism findings. */
export const parallelism = (r: WorkloadReview) => r.findings.filter((f) => f.policy === 'gpu-count-matches-parallelism');
