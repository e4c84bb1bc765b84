// `VLLM_API_KEY=k vllm serve …` and `HF_HOME=/data exec vllm serve …` in a `sh -c` script: the
// assignments before a command are in that command's environment (POSIX XCU 2.9.1). They were dropped,
// so api-auth said "no --api-key or VLLM_API_KEY" of a server started with a key, and model-loading
// named the default cache. An assignment before another command stays out of the server's environment.
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject, type Finding } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';

const engine = createEngine({ config: loadConfig(null, { mode: 'enforce' }).engine, policies: loadPolicies(null) });

/** The finding of `policy` for a Pod whose vLLM container runs `sh -c script`. */
function finding(script: string | string[], policy: string): Finding | undefined {
  const command = typeof script === 'string' ? ['sh', '-c', script] : script;
  const r = reviewObject(engine, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ai' },
    spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1.1', command, resources: { limits: { 'nvidia.com/gpu': 1 } } }] },
  });
  return r.findings.find((f) => f.policy === policy);
}

t.test('VLLM_API_KEY=… before vllm serve: api-auth never says there is no VLLM_API_KEY', async (t) => {
  const f = finding('VLLM_API_KEY=$(cat /secrets/key) vllm serve Qwen/Qwen3-8B', 'api-auth');
  t.notMatch(f?.message ?? '', /no --api-key or VLLM_API_KEY/);
  t.not(f?.outcome, 'fail');
});

t.test('HF_HOME=/data exec vllm serve: the cache is /data/hub', async (t) => {
  const f = finding('HF_HOME=/data exec vllm serve Qwen/Qwen3-8B', 'model-loading');
  t.match(f?.message, /downloaded at start into \/data\/hub,/);
});

t.test('an assignment before another command does not reach the server', async (t) => {
  const f = finding('HF_HOME=/data true; vllm serve Qwen/Qwen3-8B', 'model-loading');
  t.match(f?.message, /downloaded at start into \/root\/\.cache\/huggingface\/hub,/);
});

t.test('["env", "HF_HOME=/data", "vllm", "serve", …] as argv items: the cache is /data/hub', async (t) => {
  t.match(finding(['env', 'HF_HOME=/data', 'vllm', 'serve', 'Qwen/Qwen3-8B'], 'model-loading')?.message, /downloaded at start into \/data\/hub,/);
  t.match(finding(['env', 'vllm', 'serve', 'Qwen/Qwen3-8B'], 'model-loading')?.message, /downloaded at start into \/root\/\.cache\/huggingface\/hub,/);
});
