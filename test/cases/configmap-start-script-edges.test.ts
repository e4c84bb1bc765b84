// A ConfigMap start script as users write them: an entrypoint that ends with `exec "$@"` (the real
// command in args), a value from the env, paths spelled with `//`, `.` or `..`. What a value says
// and where a finding points follow where the text really is.
import t from 'tap';
import type { WorkloadReview } from '../../src/engine/api.js';
import { configMap, parallelism, review, scriptDeployment, type Json } from './start-script-fixtures.js';

const deployment = (container: Json): Json => scriptDeployment(container);
const invalid = (r: WorkloadReview) => r.findings.filter((f) => f.policy === 'vllm-args-valid' && f.outcome === 'fail');

const ENTRYPOINT = '#!/bin/sh\nset -e\nexport HF_HOME=/cache\nexec "$@"\n';

t.test('an entrypoint script ending with exec "$@": the arguments are the container\'s args, not the ConfigMap\'s', async (t) => {
  const tp4 = review(deployment({ command: ['/scripts/entrypoint.sh'], args: ['vllm', 'serve', 'Qwen/Qwen3-8B', '--tensor-parallel-size', '4'] }), [configMap({ 'entrypoint.sh': ENTRYPOINT })]);
  const [finding] = parallelism(tp4);
  t.match(finding, { outcome: 'fail', action: 'deny', message: /^--tensor-parallel-size 4 × --pipeline-parallel-size 1/ }, 'TP 4 on 2 GPUs, the value said as written in args');
  t.notMatch(finding?.message, /ConfigMap/, 'not "(from ConfigMap vllm-start key entrypoint.sh)": the ConfigMap holds no 4');
  const typo = review(deployment({ command: ['/scripts/entrypoint.sh'], args: ['vllm', 'serve', 'Qwen/Qwen3-8B', '--tensor-paralel-size', '2'] }), [configMap({ 'entrypoint.sh': ENTRYPOINT })]);
  const [bad, ...more] = invalid(typo);
  t.equal(more.length, 0);
  t.match(bad, { action: 'deny', path: /containers\[0\]\.args\[3\]$/, message: /--tensor-paralel-size/ }, 'points at args[3], where the flag is');
  t.match(bad?.fix?.patch, [{ op: 'replace', path: '/spec/template/spec/containers/0/args/3', value: '--tensor-parallel-size' }], 'and renames it there');
});

t.test('a script\'s "$1" and env values say where they came from', async (t) => {
  const script = '#!/bin/bash\nexec vllm serve "$1" --tensor-parallel-size "$TP"\n';
  const params = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'params', namespace: 'llm' }, data: { TP: '4' } };
  const r = review(deployment({ command: ['bash', '/scripts/start.sh'], args: ['Qwen/Qwen3-8B'], env: [{ name: 'TP', valueFrom: { configMapKeyRef: { name: 'params', key: 'TP' } } }] }), [configMap({ 'start.sh': script }), params]);
  t.match(parallelism(r), [{ outcome: 'fail', message: /^--tensor-parallel-size 4 \(from ConfigMap params key TP\) ×/ }], 'the ConfigMap that holds the 4, not the one that holds the script');
  const literal = review(deployment({ command: ['sh', '-c', 'exec vllm serve Qwen/Qwen3-8B --tensor-parallel-size $TP'], env: [{ name: 'TP', value: '4' }] }), []);
  t.match(parallelism(literal), [{ outcome: 'fail', message: /^--tensor-parallel-size 4 \(from env TP\) ×/ }], 'inline sh -c: $TP says (from env TP), as $(TP) does');
});

t.test('a path spelled with //, . or .. is the file the kernel opens', async (t) => {
  const script = configMap({ 'start.sh': 'exec vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4\n' });
  for (const [what, container] of [
    ['//', { command: ['bash', '/scripts//start.sh'] }],
    ['./', { command: ['sh', '-', '/scripts/./start.sh'] }],
    ['..', { command: ['bash', '../scripts/start.sh'], workingDir: '/app' }],
  ] as const) {
    const r = review(deployment(container), [script]);
    t.match(parallelism(r), [{ outcome: 'fail', action: 'deny', message: /--tensor-parallel-size 4 \(from ConfigMap vllm-start key start\.sh\)/ }], `${what}: the script is read`);
  }
  const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vllm-config', namespace: 'llm' }, data: { 'config.yaml': 'tensor-parallel-size: 2\n' } };
  const withConfig = deployment({ args: ['--model', 'Qwen/Qwen3-8B', '--config', '/etc/vllm/./config.yaml'], volumeMounts: [{ name: 'config', mountPath: '/etc/vllm' }] });
  ((withConfig.spec as Json).template as { spec: { volumes: Json[] } }).spec.volumes = [{ name: 'config', configMap: { name: 'vllm-config' } }];
  const r = review(withConfig, [config]);
  t.same(invalid(r), [], 'a --config path with ./ is not "ConfigMap vllm-config has no key ./config.yaml" (it was denied)');
  t.same(parallelism(r), [], 'TP 2 from the file on 2 GPUs');
});
