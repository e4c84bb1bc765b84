// A script that starts the vLLM server in more than one way (`if …; then vllm serve A; else vllm serve B;
// fi`, or `vllm serve A || vllm serve B`): which arguments run is decided at run time. The first command
// used to be judged as the one that runs, so TP 4 in a branch the pod never takes was denied. Now the
// arguments could not be verified, saying why; the same command written twice is still judged.
import t from 'tap';
import { createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { engine } from './recognition-fixtures.js';

type Json = Record<string, unknown>;

function deployment(container: Json, volumes: Json[] = []): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'qwen', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'qwen' } },
      template: { metadata: { labels: { app: 'qwen' } }, spec: { containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.10.1.1', resources: { limits: { 'nvidia.com/gpu': '2' } }, ...container }], volumes } },
    },
  };
}

const parallelism = (r: WorkloadReview) => r.findings.filter((f) => f.policy === 'gpu-count-matches-parallelism');
const review = (container: Json, others: Json[] = [], volumes: Json[] = []) => {
  const workload = deployment(container, volumes);
  return reviewObject(engine, workload, { related: createRelatedSet([workload, ...others], { scope: 'the input set' }) });
};

t.test('servers started with different arguments in branches or fallbacks: could not be verified, never a deny', async (t) => {
  const scripts: [string, string][] = [
    ['if/else', 'if [ "$BIG" = 1 ]; then vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4; else vllm serve Qwen/Qwen3-8B --tensor-parallel-size 2; fi'],
    ['a fallback', 'vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4 || vllm serve Qwen/Qwen3-8B --tensor-parallel-size 2'],
    ['case', 'case "$SIZE" in big) exec vllm serve Qwen/Qwen3-8B -tp 4 ;; *) exec vllm serve Qwen/Qwen3-8B -tp 2 ;; esac'],
  ];
  for (const [what, script] of scripts) {
    const r = review({ command: ['sh', '-c', script] });
    t.ok(r.vllm, `${what}: still a vLLM server`);
    t.notOk(r.findings.some((f) => f.action === 'deny' && f.policy === 'gpu-count-matches-parallelism'), `${what}: no deny for the branch that may not run`);
    t.match(parallelism(r), [{ outcome: 'unknown', message: /the script starts the vLLM server with different arguments in 2 places \(branches or fallbacks\), and which one runs is known only at run time/ }], what);
  }
});

t.test('the same in a ConfigMap start script', async (t) => {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'start', namespace: 'llm' }, data: { 'start.sh': 'if [ -n "$BIG" ]; then\n  exec vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4\nfi\nexec vllm serve Qwen/Qwen3-8B --tensor-parallel-size 2\n' } };
  const r = review({ command: ['bash', '/scripts/start.sh'], volumeMounts: [{ name: 's', mountPath: '/scripts' }] }, [configMap], [{ name: 's', configMap: { name: 'start' } }]);
  t.match(parallelism(r), [{ outcome: 'unknown', message: /different arguments in 2 places/ }]);
});

t.test('one server command, written once or twice the same, is judged as before', async (t) => {
  const twice = review({ command: ['sh', '-c', 'if [ -f /tmp/x ]; then vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4; else vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4; fi'] });
  t.match(parallelism(twice), [{ outcome: 'fail', action: 'deny' }], 'both branches TP 4 on 2 GPUs: denied');
  const benchmark = review({ command: ['sh', '-c', 'vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4 & sleep 60; vllm bench serve --model Qwen/Qwen3-8B'] });
  t.match(parallelism(benchmark), [{ outcome: 'fail', action: 'deny' }], 'a server and a benchmark client: the server is judged');
  const retry = review({ command: ['sh', '-c', 'until vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4; do sleep 5; done'] });
  t.match(parallelism(retry), [{ outcome: 'fail', action: 'deny' }], 'a retry loop runs one command');
});
