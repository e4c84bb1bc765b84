/** Resolving the model id a vLLM command line names: exact, alias, case, quantized re-uploads, unknown. */
import t from 'tap';
import { BUNDLED_MODELS } from '../../../src/engine/knowledge/knowledge.js';
import { createModelCatalogue, stripQuantization } from '../../../src/engine/knowledge/model-catalogue.js';

const models = createModelCatalogue(BUNDLED_MODELS);

function base(id: string, flag?: string) {
  const r = models.resolve(id, flag);
  return r.known ? { id: r.model.entry.id, q: r.model.quantization, name: r.model.displayName } : { reason: r.reason };
}

t.test('ids, aliases and case', async (t) => {
  t.match(base('meta-llama/Llama-3.1-70B-Instruct'), { id: 'meta-llama/Llama-3.1-70B', q: null, name: 'Llama-3.1-70B-Instruct' });
  t.match(base('META-LLAMA/meta-llama-3.1-8b-instruct'), { id: 'meta-llama/Llama-3.1-8B' });
  t.match(base('Qwen/Qwen3-30B-A3B'), { id: 'Qwen/Qwen3-30B-A3B' });
  t.match(base('Qwen/Qwen2.5-7B-Instruct'), { reason: /not in the catalogue/ }, 'an Instruct checkpoint whose config may differ from the base (context length) is not guessed');
});

t.test('quantized re-uploads resolve to the base architecture and report the quantization', async (t) => {
  t.match(base('Qwen/Qwen2-7B-Instruct-AWQ'), { id: 'Qwen/Qwen2-7B-Instruct', q: { method: 'awq', bits: 4, from: 'id' } });
  t.match(base('hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4'), { id: 'meta-llama/Llama-3.1-70B', q: { method: 'awq', bits: 4 } });
  t.match(base('Qwen/Qwen2-7B-Instruct-GPTQ-Int8'), { id: 'Qwen/Qwen2-7B-Instruct', q: { method: 'gptq', bits: 8 } });
  t.match(base('neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8'), { id: 'meta-llama/Llama-3.1-8B', q: { method: 'fp8', bits: 8 } });
  t.match(base('unsloth/Llama-3.2-1B-Instruct-bnb-4bit'), { id: 'meta-llama/Llama-3.2-1B', q: { method: 'bitsandbytes', bits: 4 } });
  t.match(base('meta-llama/Llama-3.1-8B-Instruct', 'fp8'), { q: { method: 'fp8', bits: 8, from: 'flag' } }, '-q fp8 quantizes online');
  t.match(base('deepseek-ai/DeepSeek-V3'), { q: { method: 'fp8', from: 'checkpoint' } }, 'the checkpoint is stored in FP8');
  t.same(stripQuantization('gemma-2-9b-it'), { base: 'gemma-2-9b-it', quantization: null }, 'no suffix, no change');
});

t.test('unknown stays unknown, with a reason', async (t) => {
  t.match(base('example-org/distill-qwen-1.5b'), { reason: /not in the catalogue: add it/ });
  t.match(base('/models/llama'), { reason: /local path/ });
  t.match(base('s3://bucket/llama'), { reason: /local path or URL/ });
  const r = models.resolve(null);
  t.equal(r.known, false);
});

t.test('a platform team adds a model; an entry with a bundled id replaces it', async (t) => {
  const own = { ...BUNDLED_MODELS.models[0]!, id: 'acme/Llama-3.1-8B-Acme', aliases: [], source: { repo: 'acme/models', path: 'llama/config.json', entry: 'config.json' } };
  const extended = createModelCatalogue(BUNDLED_MODELS, [own]);
  t.equal(extended.size, models.size + 1);
  t.match(extended.resolve('acme/llama-3.1-8b-acme'), { known: true });
  const replaced = createModelCatalogue(BUNDLED_MODELS, [{ ...BUNDLED_MODELS.models[0]!, maxPositionEmbeddings: 8192 }]);
  t.equal(replaced.size, models.size);
  const r = replaced.resolve(BUNDLED_MODELS.models[0]!.id);
  t.equal(r.known && r.model.entry.maxPositionEmbeddings, 8192);
  t.ok(Object.isFrozen(extended) && Object.isFrozen(extended.entries), 'immutable');
});
