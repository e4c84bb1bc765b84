/**
 * memory-limit and shm-size-limit split the /dev/shm cases between them: each fault is reported once.
 */
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';

const engine = createEngine({ policies: loadPolicies(null), config: loadConfig(null).engine });

function shmFindings(memory: string | null, sizeLimit: string | null) {
  const object = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'qwen', namespace: 'ml' },
    spec: {
      strategy: { type: 'Recreate' },
      template: {
        spec: {
          containers: [
            {
              name: 'vllm',
              image: 'vllm/vllm-openai:v0.20.1',
              args: ['Qwen/Qwen3-8B'],
              resources: { limits: { 'nvidia.com/gpu': 1, ...(memory ? { memory } : {}) } },
              volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }],
            },
          ],
          volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory', ...(sizeLimit ? { sizeLimit } : {}) } }],
        },
      },
    },
  };
  return reviewObject(engine, object)
    .findings.filter((f) => f.policy === 'memory-limit' || f.policy === 'shm-size-limit')
    .map((f) => `${f.policy} ${f.path}`);
}

t.test('each /dev/shm and memory fault is reported by one policy', async (t) => {
  t.same(shmFindings('64Gi', '16Gi'), [], 'bounded shm inside a memory limit');
  t.same(shmFindings('16Gi', '32Gi'), ['shm-size-limit spec.template.spec.volumes'], 'shm above the limit: shm-size-limit alone');
  t.same(shmFindings('64Gi', null), ['shm-size-limit spec.template.spec.volumes'], 'no sizeLimit: shm-size-limit alone');
  t.same(shmFindings('16Gi', '16Gi'), ['memory-limit spec.template.spec.volumes'], 'shm equal to the limit: memory-limit alone');
  t.same(shmFindings(null, '16Gi'), ['memory-limit spec.template.spec.containers[0].resources'], 'no memory limit: memory-limit alone');
});
