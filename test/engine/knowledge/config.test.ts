/** A platform team's catalogue additions: accepted, and refused with the field named. */
import t from 'tap';
import { readKnowledgeConfig } from '../../../src/engine/knowledge/config.js';
import { createKnowledge } from '../../../src/engine/knowledge/knowledge.js';

const model = {
  id: 'acme/acme-13b-chat',
  modelType: 'llama',
  numHiddenLayers: 40,
  numAttentionHeads: 40,
  numKeyValueHeads: 8,
  hiddenSize: 5120,
  intermediateSize: 13824,
  vocabSize: 32000,
  maxPositionEmbeddings: 4096,
  torchDtype: 'bfloat16',
  source: { repo: 'acme/models', path: 'acme-13b-chat/config.json' },
};

t.test('extra models and GPUs extend the catalogues', async (t) => {
  const config = readKnowledgeConfig(
    { overheadGiB: 2, models: [model], gpus: [{ id: 'RTX-A6000', name: 'NVIDIA RTX A6000', memoryGiB: 48, computeCapability: '8.6', labels: { 'nvidia.com/gpu.product': ['NVIDIA-RTX-A6000'] } }] },
    '/etc/vllm-guard/config.yaml',
  );
  const k = createKnowledge(config);
  const r = k.models.resolve('acme/acme-13b-chat');
  t.match(r, { known: true, model: { entry: { ropeScaling: null, tieWordEmbeddings: false, architecture: 'llama' } } });
  t.match(k.gpus.placement({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-RTX-A6000' } }), { computeCapability: 8.6, memoryGiB: 48 });
  t.same(k.gpus.products.find((p) => p.id === 'RTX-A6000')?.sources, ['config /etc/vllm-guard/config.yaml'], 'the config file is the source');
  t.equal(k.options.overheadGiB, 2);
  t.same(readKnowledgeConfig(undefined, 'x'), {});
});

t.test('a bad entry names the file and the field', async (t) => {
  const bad = (raw: unknown) => () => readKnowledgeConfig(raw, 'config.yaml');
  t.throws(bad({ models: [{ ...model, numHiddenLayers: 'forty' }] }), { code: 'ERR_CONFIG', message: 'config.yaml: knowledge.models[0].numHiddenLayers: must be integer' });
  t.throws(bad({ models: [{ ...model, source: undefined }] }), { message: 'config.yaml: knowledge.models[0].source: is required' });
  t.throws(bad({ gpus: [{ id: 'x', name: 'x', memoryGiB: 8, computeCapability: 'eight', labels: {} }] }), { message: /knowledge.gpus\[0\].computeCapability: must match pattern/ });
  t.throws(bad({ modelz: [] }), { message: 'config.yaml: knowledge.modelz: is not a known field' });
  t.throws(bad({ models: [{ ...model, id: 'no-org' }] }), { message: /knowledge.models\[0\].id: must match pattern/ });
});
