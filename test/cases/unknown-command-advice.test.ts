// When the whole command line is unknown (an image ENTRYPOINT, a wrapper script), a rule reads vLLM's
// defaults, so its remediation could ask for what the manifest already writes: an unknown image with
// `--tensor-parallel-size 2` in args and 2 GPUs was advised "add --tensor-parallel-size 2 to the vLLM args
// (or lower the accelerator limit to 1)". Such a finding's fix now says what to confirm (the policy's
// title) and how to let vllm-guard read the command; a finding whose own values are unknown keeps its
// rule's remediation (test/cases/unknown-stand-ins.test.ts).
import t from 'tap';
import { reviewObject, type Finding } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

function deployment(container: Record<string, unknown>): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm', namespace: 'ml' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'llm' } }, template: { metadata: { labels: { app: 'llm' } }, spec: { containers: [{ name: 'vllm', resources: { limits: { 'nvidia.com/gpu': 2 } }, ...container }] } } },
  };
}
const byPolicy = (findings: Finding[], id: string) => findings.find((f) => f.policy === id);

t.test('an image ENTRYPOINT vllm-guard does not know: no advice read from defaults', async (t) => {
  const review = reviewObject(engine, deployment({ image: 'registry.example.com/team/llm-server:1.4', args: ['--model', 'Qwen/Qwen3-8B', '--tensor-parallel-size', '2', '--max-num-seqs', '64'] }));
  const count = byPolicy(review.findings, 'gpu-count-matches-parallelism');
  t.match(count, { outcome: 'unknown', action: 'warn', unknown: { path: 'vllm', source: 'image ENTRYPOINT' } });
  t.equal(count?.remediation, "check by hand that parallelism matches the accelerators the pod or group has; to have it checked, write the container's command in the manifest (command: [vllm, serve]), or add the image to the config's detection.entrypoints");
  const unknownCommand = review.findings.filter((f) => f.unknown?.path === 'vllm');
  t.ok(unknownCommand.length >= 5, `${unknownCommand.length} findings hang on the command line`);
  t.notOk(unknownCommand.some((f) => /--tensor-parallel-size 2|--max-num-seqs 128/.test(f.remediation)), 'no advice to add a flag the args hold');
  t.ok(unknownCommand.every((f) => f.remediation.startsWith('check by hand that ') && !f.fix), 'each says what to confirm; no machine fix');
});

t.test('a wrapper script in the image: how to make the command readable', async (t) => {
  const review = reviewObject(engine, deployment({ image: 'vllm/vllm-openai:v0.11.1', command: ['/bin/bash', '/scripts/start.sh'] }));
  t.match(byPolicy(review.findings, 'dtype-explicit'), {
    outcome: 'unknown',
    unknown: { path: 'vllm', source: 'command' },
    remediation: 'check by hand that --dtype is set explicitly to a valid value; to have it checked, start vLLM in the manifest (command: [vllm, serve], args: its flags), or mount the start script from a ConfigMap that check reads with the workload',
  });
});

t.test('a known command line keeps the rule\'s own remediation', async (t) => {
  const review = reviewObject(engine, deployment({ image: 'vllm/vllm-openai:v0.11.1', command: ['vllm', 'serve'], args: ['Qwen/Qwen3-8B', '--tensor-parallel-size', '4'] }));
  t.match(byPolicy(review.findings, 'gpu-count-matches-parallelism'), { outcome: 'fail', action: 'deny', remediation: /e\.g\. resources\.limits\.nvidia\.com\/gpu: 4, or lower --tensor-parallel-size to 2/ });
});
