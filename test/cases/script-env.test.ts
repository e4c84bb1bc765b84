// A start script sets what vLLM reads: `export VLLM_ALLOW_LONG_MAX_MODEL_LEN=1; exec vllm serve …` gives
// vLLM the script's value, but the checks of vLLM's own variables read only the container's `env`, so
// context-within-model denied --max-model-len above the model's context as if nothing allowed it (found by
// the scripts2 helper). A vLLM or Hugging Face variable the script sets, or a file it sources may set, is
// now "could not be verified"; the container's own entries still feed the literal-secret checks.
import t from 'tap';
import { reviewObject, type Finding } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

function deployment(script: string, env: { name: string; value: string }[] = []): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'long', namespace: 'ml' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'long' } }, template: { metadata: { labels: { app: 'long' } }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.1', command: ['sh', '-c', script], env, resources: { limits: { 'nvidia.com/gpu': 1 } } }] } } },
  };
}
const context = (findings: Finding[]) => findings.find((f) => f.policy === 'context-within-model');

t.test('a script that exports VLLM_ALLOW_LONG_MAX_MODEL_LEN: could not be verified, not a deny', async (t) => {
  const found = context(reviewObject(engine, deployment('export VLLM_ALLOW_LONG_MAX_MODEL_LEN=1; exec vllm serve Qwen/Qwen3-8B --max-model-len 200000')).findings);
  t.match(found, {
    action: 'warn',
    outcome: 'unknown',
    message: /^could not be verified \(the start script sets VLLM_ALLOW_LONG_MAX_MODEL_LEN, and vLLM reads the script's value, not the container's env\)/,
    remediation: "keep --max-model-len within the model's context (max_position_embeddings in its config.json)",
  });
});

t.test('without it the deny stands, and a name that is not vLLM\'s changes nothing', async (t) => {
  t.match(context(reviewObject(engine, deployment('exec vllm serve Qwen/Qwen3-8B --max-model-len 200000')).findings), { action: 'deny', outcome: 'fail' });
  t.match(context(reviewObject(engine, deployment('export LOG_DIR=/tmp; exec vllm serve Qwen/Qwen3-8B --max-model-len 200000')).findings), { action: 'deny', outcome: 'fail' });
});

t.test('a sourced file that is not read may set anything vLLM reads', async (t) => {
  const found = context(reviewObject(engine, deployment('. /etc/vllm/vars; exec vllm serve Qwen/Qwen3-8B --max-model-len 200000')).findings);
  t.match(found, { action: 'warn', outcome: 'unknown', message: /^could not be verified \(the start script may set any variable vLLM reads \(.*\/etc\/vllm\/vars/ });
});

t.test("the container's literal token is still a literal token when the script re-exports it", async (t) => {
  const review = reviewObject(engine, deployment('export HF_TOKEN="$HF_TOKEN"; exec vllm serve Qwen/Qwen3-8B', [{ name: 'HF_TOKEN', value: 'hf_abcdefghijklmnopqrstuvwxyz012345' }]));
  t.match(review.findings.filter((f) => f.policy === 'no-literal-secrets'), [{ action: 'deny', path: 'spec.template.spec.containers[0].env[0].value' }]);
  t.notOk(JSON.stringify(review).includes('hf_abcdefghijklmnopqrstuvwxyz012345'), 'the token is never echoed');
});
