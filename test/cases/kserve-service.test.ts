// The Service KServe makes for an InferenceService component (reconcilers/service/service_reconciler.go
// createDefaultSvc; Knative's route in Serverless mode): it exists without being in the manifests, and
// it reaches the first port the container declares, else 8080, which vLLM (default --port 8000) must
// listen on. Where the object does not say which port, "could not be verified", never a finding about
// a missing Service.
import t from 'tap';
import { createRelatedSet, reviewObject } from '../../src/engine/api.js';
import { engine } from './recognition-fixtures.js';

type Predictor = Record<string, unknown>;

function isvc(predictor: Predictor): object {
  return { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'qwen', namespace: 'llm' }, spec: { predictor } };
}

const vllm = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'kserve-container',
  image: 'vllm/vllm-openai:v0.10.1.1',
  args: ['--model', 'Qwen/Qwen3-8B', '--max-model-len', '8192'],
  resources: { limits: { 'nvidia.com/gpu': '1' } },
  ...extra,
});

function serviceFindings(predictor: Predictor) {
  const object = isvc(predictor);
  return reviewObject(engine, object, { related: createRelatedSet([object], { scope: 'the input set' }) }).findings.filter((f) => f.policy === 'service-exposes-server');
}

t.test('a container that declares no port is reached on 8080, where vLLM does not listen by default', async (t) => {
  const [finding, ...rest] = serviceFindings({ containers: [vllm()] });
  t.equal(rest.length, 0);
  t.match(finding, { outcome: 'fail', message: /^Service qwen-predictor \(KServe's, to containerPort 8080\) selects the pods of InferenceService qwen, but no port targets vLLM's --port 8000/ });
  t.notMatch(finding?.message ?? '', /no Service/, 'KServe\'s Service is there: never "no Service selects the pods"');
});

t.test('declaring vLLM\'s port, or moving vLLM to 8080, satisfies it', async (t) => {
  t.same(serviceFindings({ containers: [vllm({ ports: [{ name: 'http', containerPort: 8000 }] })] }), [], 'containerPort 8000');
  t.same(serviceFindings({ containers: [vllm({ args: ['--model', 'Qwen/Qwen3-8B', '--port', '8080'] })] }), [], '--port 8080');
});

t.test('where the object does not say the port, could not be verified, with the reason', async (t) => {
  const cases: [string, Predictor, RegExp][] = [
    ['a batcher', { batcher: { maxBatchSize: 32 }, containers: [vllm()] }, /batcher or logger: KServe's agent/],
    ['a sidecar declares the only port', { containers: [vllm(), { name: 'proxy', image: 'envoyproxy/envoy:v1.31.0', ports: [{ containerPort: 9000 }] }] }, /8080 in RawDeployment mode and 9000 in Serverless mode/],
  ];
  for (const [what, predictor, why] of cases) {
    const findings = serviceFindings(predictor);
    t.equal(findings.length, 1, what);
    t.match(findings[0], { outcome: 'unknown', action: 'warn' }, `${what}: unknown, not a finding`);
    t.match(findings[0]?.message, why, `${what}: says why`);
  }
  const model = serviceFindings({ model: { modelFormat: { name: 'huggingface' }, args: ['--model_id=Qwen/Qwen3-8B'], resources: { limits: { 'nvidia.com/gpu': '1' } } } });
  t.ok(model.every((f) => f.outcome === 'unknown'), 'a predictor.model (ports from its ServingRuntime): unknown');
  t.ok(model.every((f) => !/^no Service/.test(f.message)), 'and KServe\'s Service is there');
});

t.test('with its ServingRuntime in the input set, the merged container decides the port', async (t) => {
  const runtime = (args: string[], ports?: object[]) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'vllm-runtime', namespace: 'llm' },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true, priority: 1 }],
      containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.10.1.1', command: ['python', '-m', 'vllm.entrypoints.openai.api_server'], args, ...(ports ? { ports } : {}) }],
    },
  });
  const service = (rt: object) => {
    const object = isvc({ model: { modelFormat: { name: 'vLLM' }, resources: { limits: { 'nvidia.com/gpu': '1' } } } });
    return reviewObject(engine, object, { related: createRelatedSet([object, rt], { scope: 'the input set' }) }).findings.filter((f) => f.policy === 'service-exposes-server');
  };
  t.same(service(runtime(['--port=8080', '--model=/mnt/models'])), [], 'vLLM on 8080, no port declared: KServe\'s default reaches it');
  t.same(service(runtime(['--model=/mnt/models'], [{ containerPort: 8000, protocol: 'TCP' }])), [], 'vLLM on 8000, declared');
  t.match(service(runtime(['--model=/mnt/models'])), [{ outcome: 'fail', message: /^Service qwen-predictor \(KServe's, to containerPort 8080\) .* --port 8000/ }], 'vLLM on 8000, nothing declared: refused');
});

t.test('labelling or annotating an InferenceService is not a change of its pods (an UPDATE is not reviewed again)', async (t) => {
  const { isTemplateUnchanged } = await import('../../src/admission/update.js');
  const before = isvc({ containers: [vllm()] }) as { metadata: Record<string, unknown> };
  const after = structuredClone(before);
  after.metadata.labels = { team: 'ml' };
  after.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'relabelled' };
  t.ok(isTemplateUnchanged(after, before), 'the InferenceService\'s own labels and annotations');
  const relabelled = structuredClone(before) as unknown as { spec: { predictor: Record<string, unknown> } };
  relabelled.spec.predictor.labels = { team: 'ml' };
  t.notOk(isTemplateUnchanged(relabelled, before), 'the predictor\'s labels are the pod template\'s');
});

t.test('a ServiceMonitor selecting KServe\'s Service by the labels KServe gives it scrapes vLLM through it', async (t) => {
  // createDefaultSvc: the Service's metadata is the component's (its labels are the pods'), its first port is
  // named after the container port (else after the component: qwen-predictor) and targets that containerPort.
  const scraped = (predictor: Predictor, selector: Record<string, string>, port: string) => {
    const object = isvc(predictor);
    const monitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'qwen', namespace: 'llm' },
      spec: { selector: { matchLabels: selector }, endpoints: [{ port, path: '/metrics' }] },
    };
    const review = reviewObject(engine, object, { related: createRelatedSet([object, monitor], { scope: 'the input set' }) });
    return review.findings.filter((f) => f.policy === 'metrics-scraped');
  };
  const http = vllm({ args: ['--model', 'Qwen/Qwen3-8B', '--port', '8080'], ports: [{ name: 'http', containerPort: 8080 }] });
  t.same(scraped({ containers: [http] }, { 'serving.kserve.io/inferenceservice': 'qwen' }, 'http'), [], 'KServe\'s label and the port\'s name');
  t.same(scraped({ containers: [http] }, { component: 'predictor' }, 'http'), [], 'KServe\'s component label');
  t.same(scraped({ containers: [vllm({ args: ['--model', 'Qwen/Qwen3-8B', '--port', '8080'] })] }, { 'serving.kserve.io/inferenceservice': 'qwen' }, 'qwen-predictor'), [], 'no container port: the port is named after the component');
  const [other] = scraped({ containers: [http] }, { app: 'something-else' }, 'http');
  t.match(other, { action: 'warn', message: /^nothing in the input set scrapes \/metrics of InferenceService qwen/ }, 'a selector KServe\'s Service does not match: still reported');
  const [wrongPort] = scraped({ containers: [http] }, { 'serving.kserve.io/inferenceservice': 'qwen' }, 'metrics');
  t.ok(wrongPort, 'an endpoint naming a port the Service does not have: still reported');
});
