// vllm-env reports every environment hazard of a container in one answer (issue 9 item 4), each at its own
// env entry with its line: a misspelt VLLM_ name and two debug switches are three findings, not one per apply.
// When the command line is unknown (an image ENTRYPOINT), whether vLLM reads the variables as written is
// unknown too: "could not be verified", as before.
import t from 'tap';
import { reviewObject } from '../../src/engine/api.js';
import { engine } from './recognition-fixtures.js';

function deployment(container: Record<string, unknown>): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm', namespace: 'ml' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'llm' } }, template: { metadata: { labels: { app: 'llm' } }, spec: { containers: [{ name: 'vllm', resources: { limits: { 'nvidia.com/gpu': 1 } }, ...container }] } } },
  };
}

const env = [
  { name: 'VLLM_LOGGING_LEVLE', value: 'DEBUG' },
  { name: 'HF_HOME', value: '/models' },
  { name: 'VLLM_TRACE_FUNCTION', value: '1' },
  { name: 'CUDA_LAUNCH_BLOCKING', value: '1' },
];

t.test('every hazard is its own finding at its own env entry', async (t) => {
  const review = reviewObject(engine, deployment({ image: 'vllm/vllm-openai:v0.11.1', command: ['vllm', 'serve'], args: ['Qwen/Qwen3-8B'], env }));
  const found = review.findings.filter((f) => f.policy === 'vllm-env');
  t.same(found.map((f) => f.path), ['spec.template.spec.containers[0].env[0]', 'spec.template.spec.containers[0].env[2]', 'spec.template.spec.containers[0].env[3]']);
  t.match(found.map((f) => f.message), [/^unknown VLLM_LOGGING_LEVLE \(did you mean VLLM_LOGGING_LEVEL\?\)/, /^VLLM_TRACE_FUNCTION=1 is a debug switch/, /^CUDA_LAUNCH_BLOCKING=1 is a debug switch/]);
  t.ok(found.every((f) => f.outcome === 'fail' && f.action === 'warn'), 'known faults, warned as the policy says');
});

t.test('with the command line unknown, each is "could not be verified"', async (t) => {
  // rocm/vllm with args only: the image's ENTRYPOINT decides what runs (../shared/cases rocm-image-only.yaml).
  const review = reviewObject(engine, deployment({ image: 'rocm/vllm:rocm6.3.1_vllm_0.8.5_20250521', args: ['--model', 'Qwen/Qwen3-8B'], env }));
  const found = review.findings.filter((f) => f.policy === 'vllm-env');
  t.ok(found.length >= 1, 'reported');
  t.ok(found.every((f) => f.outcome === 'unknown' && f.action === 'warn'), found.map((f) => f.message).join('\n'));
});
