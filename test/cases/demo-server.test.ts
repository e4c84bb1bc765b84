// vLLM's demo server (python -m vllm.entrypoints.api_server: /health and /generate, no key, no /metrics;
// vllm/entrypoints/api_server.py, commit 03f861174cf6) was judged as the OpenAI server: a VLLM_API_KEY from a
// Secret passed api-auth though the demo server reads no key, metrics-exposed passed though it serves no
// /metrics, and a readiness probe of /v1/models (404 there) passed. KServe's 0.11 vLLM guide ran it
// (kserve/kserve#3446); the manifest below is an anonymised Deployment of that kind.
import t from 'tap';
import { createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

function deployment(module: string, probePath = '/health'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'ml' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'chat' } },
      template: {
        metadata: { labels: { app: 'chat' } },
        spec: {
          containers: [{
            name: 'server',
            image: 'vllm/vllm-openai:v0.10.1.1',
            command: ['python3', '-m', module],
            args: ['--model', 'Qwen/Qwen3-8B', '--port', '8000', '--max-model-len', '8192'],
            env: [{ name: 'VLLM_API_KEY', valueFrom: { secretKeyRef: { name: 'api-key', key: 'key' } } }],
            ports: [{ containerPort: 8000 }],
            resources: { limits: { 'nvidia.com/gpu': 1 } },
            readinessProbe: { httpGet: { path: probePath, port: 8000 } },
          }],
        },
      },
    },
  };
}

const review = (o: Record<string, unknown>) => reviewObject(engine, o, { related: createRelatedSet([o], { scope: 'the input set' }) });
const failing = (o: Record<string, unknown>, policy: string) => review(o).findings.filter((f) => f.policy === policy && f.outcome === 'fail');

t.test('a key in VLLM_API_KEY does not protect the demo server', async (t) => {
  t.match(failing(deployment('vllm.entrypoints.api_server'), 'api-auth'), [{
    action: 'warn',
    message: /runs vLLM's demo server \(python -m vllm\.entrypoints\.api_server\), which has no authentication: it reads neither --api-key nor VLLM_API_KEY/,
    path: 'spec.template.spec.containers[0].command',
  }]);
  t.same(failing(deployment('vllm.entrypoints.openai.api_server'), 'api-auth'), [], 'the OpenAI server with the same key passes');
});

t.test('the demo server serves no /metrics', async (t) => {
  t.match(failing(deployment('vllm.entrypoints.api_server'), 'metrics-exposed'), [{ message: /demo server .* serves no \/metrics/ }]);
  t.same(failing(deployment('vllm.entrypoints.api_server'), 'metrics-scraped'), [], 'no advice to scrape a /metrics that does not exist');
  t.same(failing(deployment('vllm.entrypoints.openai.api_server'), 'metrics-exposed'), []);
});

t.test('a readiness probe of /v1/models never succeeds on the demo server', async (t) => {
  const demo = review(deployment('vllm.entrypoints.api_server', '/v1/models')).findings.filter((f) => f.outcome === 'fail');
  t.match(demo.filter((f) => f.policy === 'readiness-model-aware'), [{
    message: /checks \/v1\/models, but vLLM's demo server .* answers GET only on \/health: the probe gets 404/,
    path: 'spec.template.spec.containers[0].readinessProbe.httpGet.path',
  }]);
  t.notOk(demo.some((f) => f.policy === 'probe-port-host' && /401/.test(f.message)), 'no "401": the demo server requires no key');
  t.same(failing(deployment('vllm.entrypoints.openai.api_server', '/health'), 'readiness-model-aware'), []);
  t.same(failing(deployment('vllm.entrypoints.api_server', '/health'), 'readiness-model-aware'), [], '/health is answered');
});

// Its parser holds the engine's options and a few of its own (api_server.py: --host, --port, --ssl-*,
// --root-path, --log-level); `parse_args()` exits on anything else. The OpenAI server's own options were
// not judged at all on it, so --api-key or --chat-template passed while the pod crash-looped.
function withArgs(args: string[], image = 'vllm/vllm-openai:v0.10.1.1'): Record<string, unknown> {
  const object = deployment('vllm.entrypoints.api_server');
  const container = (object as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }).spec.template.spec.containers[0] as Record<string, unknown>;
  container.args = args;
  container.image = image;
  return object;
}
const argFindings = (o: Record<string, unknown>) => review(o).findings.filter((f) => f.policy === 'vllm-args-valid');

t.test("the OpenAI server's options make the demo server exit: one denial each, at its field", async (t) => {
  const found = argFindings(withArgs(['--model', 'Qwen/Qwen3-8B', '--api-key', 'dummy', '--port', '8000', '--chat-template', '/t/chat.jinja', '--log-level', 'info']));
  t.match(found, [
    { action: 'deny', outcome: 'fail', path: 'spec.template.spec.containers[0].args[2]', message: /^--api-key is not an option of vLLM's demo api_server \(container server\): vLLM exits: "unrecognized arguments: --api-key"\. Checked against vLLM v0\.10\.1\.1/, remediation: /^remove --api-key, or run vllm serve \(the OpenAI server has it\)$/ },
    { action: 'deny', outcome: 'fail', path: 'spec.template.spec.containers[0].args[6]', message: /^--chat-template is not an option of vLLM's demo api_server/ },
  ]);
  t.equal(found.length, 2, 'the demo server\'s own --port and --log-level, and the engine\'s --model, pass');
});

t.test("the demo server's arguments are checked like the OpenAI server's: a typo of an engine option is denied", async (t) => {
  t.match(argFindings(withArgs(['--model', 'Qwen/Qwen3-8B', '--max-num-seq', '64', '--tensor-paralel-size', '2'])), [
    { action: 'deny', path: 'spec.template.spec.containers[0].args[4]', message: /unknown option --tensor-paralel-size \(did you mean --tensor-parallel-size\?\)/ },
  ]);
  t.same(argFindings(withArgs(['--model', 'Qwen/Qwen3-8B', '--host', '0.0.0.0', '--ssl-keyfile', '/tls/key.pem', '--ssl-certfile', '/tls/crt.pem', '--root-path', '/chat', '--log-level', 'debug'])).map((f) => f.message), [], 'its own flags pass');
});

t.test('with an image that names no vLLM release, an OpenAI-only option is "could not be verified", never a deny', async (t) => {
  const found = argFindings(withArgs(['--model', 'Qwen/Qwen3-8B', '--api-key', 'dummy'], 'registry.example.com/ml/vllm:stable'));
  t.ok(found.length > 0 && found.every((f) => f.action !== 'deny'), found.map((f) => `${f.action} ${f.message}`).join('\n'));
  t.match(found, [{ path: 'spec.template.spec.containers[0].args[2]', message: /--api-key is not an option of vLLM's demo api_server/ }]);
});
