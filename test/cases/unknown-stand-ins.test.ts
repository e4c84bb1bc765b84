// An unknown outcome's "Unconfirmed:" sentence showed the stand-in numbers the facts hold for values that
// could not be read: a GPU limit written as an envsubst placeholder ("${GPUS}") read as "limit 0" and "has 0
// (0 per pod)", a --tensor-parallel-size from a placeholder as 1, and the remediation advised "lower
// --tensor-parallel-size to 0". Public manifests of that kind render their GPU count and TP from one shell
// variable (found in the seventh round on public manifests); the Deployment below is an anonymised one.
// Numbers under an unknown fact now read "(unknown)", or the template's fallback ("<vLLM's --port>"), or drop out
// of an optional part; what was read (resource names, the image, counts that are known) stays.
import t from 'tap';
import { reviewObject } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

function deployment(gpus: string | number, tp: string): Record<string, unknown> {
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
            name: 'vllm',
            image: 'vllm/vllm-openai:v0.10.1.1',
            args: ['--model', 'Qwen/Qwen3-8B', '--tensor-parallel-size', tp, '--max-model-len', '8192'],
            resources: { limits: { 'nvidia.com/gpu': gpus }, requests: { 'nvidia.com/gpu': gpus } },
          }],
        },
      },
    },
  };
}

const findingOf = (o: Record<string, unknown>, policy: string) => reviewObject(engine, o).findings.find((f) => f.policy === policy);

t.test('a placeholder GPU count and TP: the unconfirmed sentence and its advice show no stand-in number', async (t) => {
  const count = findingOf(deployment('${GPUS}', '${GPUS}'), 'gpu-count-matches-parallelism');
  t.equal(count?.outcome, 'unknown', 'gpu-count-matches-parallelism could not be verified');
  t.match(count?.message, /^could not be verified \(nvidia\.com\/gpu is written as a placeholder \(\$\{GPUS\}\)/);
  t.match(count?.message, /--tensor-parallel-size \(unknown\) .*needs an accelerator count of \(unknown\), but Deployment chat has \(unknown\) \(unknown per pod, group size 1\)/, 'never "((unknown)" (test/policies/messages.test.ts)');
  t.notMatch(count?.message, /has 0|0 per pod|--tensor-parallel-size 1 /, 'no stand-in count is stated');
  t.notMatch(count?.remediation, /to 0\b/, 'the advice never says to lower the tensor-parallel size to 0');

  const limit = findingOf(deployment('${GPUS}', '2'), 'gpu-request-equals-limit');
  t.equal(limit?.outcome, 'unknown');
  t.match(limit?.message, /Unconfirmed: nvidia\.com\/gpu on container vllm: request \(unknown\) and limit \(unknown\) differ/, 'resource name kept, numbers unknown');
});

t.test('a known TP with an unknown GPU count keeps the TP; known numbers in a failing finding stay', async (t) => {
  const count = findingOf(deployment('${GPUS}', '2'), 'gpu-count-matches-parallelism');
  t.equal(count?.outcome, 'unknown');
  t.match(count?.message, /--tensor-parallel-size 2 × --pipeline-parallel-size 1 × data-parallel 1 needs an accelerator count of 2, but Deployment chat has \(unknown\)/);

  const known = findingOf(deployment(2, '4'), 'gpu-count-matches-parallelism');
  t.equal(known?.outcome, 'fail');
  t.match(known?.message, /--tensor-parallel-size 4 × --pipeline-parallel-size 1 × data-parallel 1 needs an accelerator count of 4, but Deployment chat has 2 \(2 per pod, group size 1\)/);
  t.notMatch(known?.message, /\(unknown\)/);
});

t.test('a count whose fact is unknown drops out of the advice instead of reading "(unknown)"', async (t) => {
  const count = findingOf(deployment('${GPUS}', '${GPUS}'), 'gpu-count-matches-parallelism');
  t.equal(count?.remediation, 'give the pod (or each pod of the group) tensor × pipeline accelerators, or lower --tensor-parallel-size');
  const known = findingOf(deployment(2, '4'), 'gpu-count-matches-parallelism');
  t.equal(known?.remediation, 'give the pod (or each pod of the group) tensor × pipeline accelerators, e.g. resources.limits.nvidia.com/gpu: 4, or lower --tensor-parallel-size to 2', 'known counts stay');
});

// A failure that holds without the unknown facts still named their stand-ins: an image whose ENTRYPOINT is not
// known has its vLLM facts unknown, so its --port read as vLLM's default, and the advice for a missing probe said
// "port: 8000" to a server passed --port 9000.
t.test('a failing finding names no stand-in number either', async (t) => {
  const custom = deployment(1, '1');
  const container = (custom as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }).spec.template.spec.containers[0] as Record<string, unknown>;
  container.image = 'registry.example.com/team/vllm-custom:1.0';
  container.args = ['--model', 'Qwen/Qwen3-8B', '--port', '9000', '--max-model-len', '8192'];
  const readiness = findingOf(custom, 'readiness-model-aware');
  t.equal(readiness?.outcome, 'fail', 'no readinessProbe is a fault whatever the port');
  t.equal(readiness?.remediation, "add readinessProbe: {httpGet: {path: /health, port: <vLLM's --port>}, periodSeconds: 10, failureThreshold: 3}", "the template's fallback names what to write");
});
