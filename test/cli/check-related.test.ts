// `vllm-guard check` on a multi-document file: a ConfigMap in the same input set resolves the
// tensor-parallel size and the --config file, and the output says where each value came from.
import t from 'tap';
import { run } from './run.js';

t.test('check resolves a ConfigMap of the same file', async (t) => {
  const { status, stdout } = await run(['check', 'test/fixtures/related/configmap-tp.yaml']);
  t.equal(status, 1, 'denied');
  t.match(stdout, /DENY {2}gpu-count-matches-parallelism \[vllm\]: --tensor-parallel-size 4 \(from ConfigMap vllm-config key TP\) × --pipeline-parallel-size 1 × data-parallel 1 needs an accelerator count of 4, but Deployment tp has 2/);
  t.match(stdout, /batching-explicit \[vllm\]: batching is left to defaults in container vllm \(--max-num-seqs 64, no --max-num-batched-tokens\)/, 'max-num-seqs from the --config file');
  t.notMatch(stdout, /could not be verified \(TP comes from configMapKeyRef/, 'nothing left unknown');
});
