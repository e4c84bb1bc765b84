/**
 * no-literal-secrets on env values that are references, not credentials: `$(VAR)` is expanded by the
 * kubelet from the container's env (a Secret here), and `${VAR}`, `$VAR`, `{{ … }}` are placeholders a
 * renderer fills (kubernetes-sigs/lws docs/examples/vllm/GPU/lws.yaml ships `value: $HUGGING_FACE_HUB_TOKEN`).
 * None puts a credential in the manifest; a real token still denies.
 */
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';

const engine = createEngine({ policies: loadPolicies(null), config: loadConfig(null).engine });

function secretFindings(value: string) {
  const object = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'qwen', namespace: 'ml' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'vllm',
              image: 'vllm/vllm-openai:v0.20.1',
              args: ['Qwen/Qwen3-8B'],
              resources: { limits: { 'nvidia.com/gpu': 1 } },
              env: [
                { name: 'TOKEN_SRC', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
                { name: 'HF_TOKEN', value },
              ],
            },
          ],
        },
      },
    },
  };
  return reviewObject(engine, object).findings.filter((f) => f.policy === 'no-literal-secrets');
}

const cases: { value: string; denied: boolean; why: string }[] = [
  { value: '$(TOKEN_SRC)', denied: false, why: 'a kubelet reference to a variable from a Secret' },
  { value: '${HF_TOKEN}', denied: false, why: 'an envsubst placeholder' },
  { value: '$HUGGING_FACE_HUB_TOKEN', denied: false, why: 'the LWS example\'s placeholder' },
  { value: '{{ .Values.hfToken }}', denied: false, why: 'a Helm placeholder' },
  { value: '<hf_token>', denied: false, why: 'a placeholder a guide leaves for the reader (ratishjain12/eks-vllm-multinode)' },
  { value: '<YOUR_HF_TOKEN>', denied: false, why: 'a placeholder a guide leaves for the reader' },
  { value: 'hf_abcdefghijklmnopqrstuvwxyz', denied: true, why: 'a real token' },
  { value: 'hf_abc<x>', denied: true, why: 'literal text before a bracketed part is still literal' },
  { value: 'hf_abc$(TOKEN_SRC)', denied: true, why: 'literal text around a reference is still literal' },
];

for (const c of cases) {
  t.test(`HF_TOKEN: ${c.value} (${c.why})`, async (t) => {
    const found = secretFindings(c.value);
    if (c.denied) t.match(found, [{ action: 'deny', path: 'spec.template.spec.containers[0].env[1].value' }]);
    else t.same(found, []);
  });
}
