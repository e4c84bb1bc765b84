// A wrapper's own value named like a launcher (`conda run -n vllm`, `gosu vllm`, `uv run --with vllm`)
// hid the vLLM command after it: the container was not reviewed (unknown image) or its arguments were
// unknown (vLLM image), so TP 4 on 1 GPU passed. `uvx` and `pipx run` were not wrappers at all.
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';

const engine = createEngine({ config: loadConfig(null, { mode: 'enforce' }).engine, policies: loadPolicies(null) });

/** A Deployment of one container on one GPU running `command`. */
function deployment(image: string, command: string[]): WorkloadReview {
  return reviewObject(engine, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'llm', namespace: 'ai' },
    spec: {
      replicas: 2, selector: { matchLabels: { app: 'llm' } },
      template: {
        metadata: { labels: { app: 'llm' } },
        spec: { containers: [{ name: 'srv', image, command, resources: { limits: { 'nvidia.com/gpu': 1 } } }] },
      },
    },
  });
}

const SERVE = ['vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct', '--tensor-parallel-size', '4'];
const LAUNCHES: [string, string[]][] = [
  ['conda run -n vllm', ['conda', 'run', '-n', 'vllm', ...SERVE]],
  ['micromamba run -n vllm', ['micromamba', 'run', '-n', 'vllm', ...SERVE]],
  ['gosu vllm', ['gosu', 'vllm', ...SERVE]],
  ['sudo -u vllm', ['sudo', '-u', 'vllm', ...SERVE]],
  ['uv run --with vllm', ['uv', 'run', '--with', 'vllm', ...SERVE]],
  ['uvx', ['uvx', ...SERVE]],
  ['pipx run', ['pipx', 'run', ...SERVE]],
  ['sh -c "conda run -n vllm vllm serve …"', ['sh', '-c', `conda run -n vllm ${SERVE.join(' ')}`]],
];

for (const [name, command] of LAUNCHES) {
  for (const image of ['registry.example.com/team/server:1.2', 'vllm/vllm-openai:v0.10.1.1']) {
    t.test(`${name} … on ${image}: TP 4 on 1 GPU is denied`, async (t) => {
      const r = deployment(image, command);
      t.equal(r.vllm, true, 'reviewed as vLLM');
      const deny = r.findings.find((f) => f.policy === 'gpu-count-matches-parallelism' && f.outcome === 'fail');
      t.match(deny?.message, /--tensor-parallel-size 4 .* needs an accelerator count of 4, but Deployment llm has 1/);
      t.equal(deny?.action, 'deny');
    });
  }
}

t.test('a wrapper with no vLLM command after its vllm-named value stays unreviewed', async (t) => {
  const r = deployment('registry.example.com/team/server:1.2', ['conda', 'run', '-n', 'vllm', 'python', 'app.py']);
  t.equal(r.vllm, false);
});
