import t from 'tap';
import { loadBundledOptionTable } from '../../../src/engine/vllm/bundled.js';
import { validateVllmEnv, type EnvEntry } from '../../../src/engine/vllm/validate-env.js';

const table = loadBundledOptionTable();
const brief = (env: EnvEntry[], release: string | null) =>
  validateVllmEnv(env, { table, release }).map((p) => ({ kind: p.kind, name: p.name, verified: p.verified, suggestion: p.suggestion }));

t.test('env hazards', async (t) => {
  const cases: { name: string; env: EnvEntry[]; release: string | null; want: ReturnType<typeof brief> }[] = [
    { name: 'known names pass', env: [{ name: 'VLLM_LOGGING_LEVEL', value: 'INFO' }, { name: 'HF_HOME', value: '/cache' }], release: 'v0.20.1', want: [] },
    {
      name: 'a typo gets a did-you-mean',
      env: [{ name: 'VLLM_TRACE_FUNCTON', value: '0' }],
      release: null,
      want: [{ kind: 'unknown-env', name: 'VLLM_TRACE_FUNCTON', verified: true, suggestion: 'VLLM_TRACE_FUNCTION' }],
    },
    {
      name: 'an unknown name without a near miss, version unknown, is not settled',
      env: [{ name: 'VLLM_MY_OWN_SETTING', value: '1' }],
      release: null,
      want: [{ kind: 'unknown-env', name: 'VLLM_MY_OWN_SETTING', verified: false, suggestion: undefined }],
    },
    {
      name: 'a name other releases read',
      env: [{ name: 'VLLM_USE_V1', value: '1' }],
      release: 'v0.20.1',
      want: [{ kind: 'unknown-env', name: 'VLLM_USE_V1', verified: true, suggestion: undefined }],
    },
    { name: 'tracing on', env: [{ name: 'VLLM_TRACE_FUNCTION', value: '1' }], release: null, want: [{ kind: 'debug-switch', name: 'VLLM_TRACE_FUNCTION', verified: true, suggestion: undefined }] },
    { name: 'tracing off', env: [{ name: 'VLLM_TRACE_FUNCTION', value: '0' }], release: null, want: [] },
    { name: 'blocking launches', env: [{ name: 'CUDA_LAUNCH_BLOCKING', value: '1' }], release: null, want: [{ kind: 'debug-switch', name: 'CUDA_LAUNCH_BLOCKING', verified: true, suggestion: undefined }] },
    { name: 'NCCL trace', env: [{ name: 'NCCL_DEBUG', value: 'trace' }], release: null, want: [{ kind: 'debug-switch', name: 'NCCL_DEBUG', verified: true, suggestion: undefined }] },
    { name: 'NCCL warn is quiet', env: [{ name: 'NCCL_DEBUG', value: 'WARN' }], release: null, want: [] },
    { name: 'unknown value is not judged', env: [{ name: 'VLLM_TRACE_FUNCTION', value: null, unknown: 'from a ConfigMap' }], release: null, want: [] },
    {
      name: 'a Service named vllm injects a URI',
      env: [{ name: 'VLLM_PORT', value: 'tcp://10.0.0.1:8000' }],
      release: null,
      want: [{ kind: 'bad-env-value', name: 'VLLM_PORT', verified: true, suggestion: undefined }],
    },
    { name: 'a numeric VLLM_PORT passes', env: [{ name: 'VLLM_PORT', value: '12345' }], release: null, want: [] },
  ];
  for (const c of cases) t.same(brief(c.env, c.release), c.want, c.name);
});

t.test('messages cite their sources and never echo a VLLM_PORT value', async (t) => {
  const [trace] = validateVllmEnv([{ name: 'VLLM_TRACE_FUNCTION', value: '1' }], { table, release: null });
  t.match(trace?.message, /over 100x/);
  t.match(trace?.source, /troubleshooting\.md/);
  const [port] = validateVllmEnv([{ name: 'VLLM_PORT', value: 'tcp://10.0.0.1:8000' }], { table, release: null });
  t.match(port?.message, /appears to be a URI/);
  t.notMatch(port?.message, /10\.0\.0\.1/);
});

t.test('did-you-mean is looked up for the first 64 unknown VLLM_ names; the rest are still reported', async (t) => {
  const env: EnvEntry[] = Array.from({ length: 100 }, () => ({ name: 'VLLM_TRACE_FUNCTON', value: '0' }));
  const found = brief(env, 'v0.20.1');
  t.equal(found.length, 100, 'every unknown name is a problem');
  t.ok(found.slice(0, 64).every((p) => p.suggestion === 'VLLM_TRACE_FUNCTION'), 'the first 64 were looked up');
  t.ok(found.slice(64).every((p) => p.suggestion === undefined && p.verified), 'the rest without a suggestion, settled for a known release');
});
