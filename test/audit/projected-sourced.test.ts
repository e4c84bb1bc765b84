// The audit reads a projected volume's ConfigMap source and a file a start script sources from the
// namespace's ConfigMaps, as `check` does (test/cases/projected-volume.test.ts, sourced-files.test.ts).
// Before, a generic image started from a projected ConfigMap script was not vLLM at all, and a sourced
// TP=2 was taken as the container env's TP=4: a false deny.
import t from 'tap';
import { auditStandIn, collection, loadEngine } from './helpers.js';

type Json = Record<string, unknown>;
const engine = loadEngine();
const NS = 'script-demo';

function deployment(name: string, container: Json, volume: Json): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, uid: `uid-${name}` },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'server', resources: { limits: { 'nvidia.com/gpu': '2' } }, volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }], ...container }],
          volumes: [{ name: 'scripts', ...volume }],
        },
      },
    },
  };
}

const DEPLOYMENTS = [
  deployment('projected-generic', { image: 'python:3.11', command: ['bash', '/scripts/start.sh'] }, { projected: { sources: [{ configMap: { name: 'vllm-start' } }] } }),
  deployment('sourced-vllm', { image: 'vllm/vllm-openai:v0.10.1.1', command: ['sh', '-c', '. /scripts/vars && exec vllm serve Qwen/Qwen3-8B --tensor-parallel-size "$TP"'], env: [{ name: 'TP', value: '4' }] }, { configMap: { name: 'vllm-start' } }),
];
const SCRIPTS = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vllm-start', namespace: NS, uid: 'uid-cm' }, data: { 'start.sh': '#!/bin/bash\nexec vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4\n', vars: 'export TP=2\n' } };

t.test('the audit reads projected ConfigMap sources and sourced files from the namespace', async (t) => {
  const { run } = await auditStandIn(t, engine, { generated: { deployments: collection(DEPLOYMENTS), configmaps: collection([SCRIPTS]) } }, new Date('2026-01-15T10:00:00Z'));
  const result = (name: string) => run.report.results.find((r) => r.name === name);
  const parallelism = (name: string) => result(name)?.findings.filter((f) => f.policy === 'gpu-count-matches-parallelism') ?? [];
  t.ok(result('projected-generic')?.vllm, 'a generic image started from a projected ConfigMap script: vLLM');
  t.match(parallelism('projected-generic'), [{ outcome: 'fail', message: /^--tensor-parallel-size 4 \(from ConfigMap vllm-start key start\.sh\)/ }]);
  t.ok(result('sourced-vllm')?.vllm);
  t.same(parallelism('sourced-vllm'), [], 'TP 2 from the sourced file fits 2 GPUs');
  t.same(run.report.errors, []);
});
