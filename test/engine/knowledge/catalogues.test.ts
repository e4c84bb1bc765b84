/**
 * Internal consistency of the bundled catalogues: every entry cites its source, parameter counts
 * recomputed from the architecture agree with the publisher's figure, head dimensions and KV heads
 * are coherent, and every GPU figure names a source.
 */
import t from 'tap';
import { headDimOf, paramCount } from '../../../src/engine/knowledge/architecture.js';
import { BUNDLED_GPUS, BUNDLED_MODELS } from '../../../src/engine/knowledge/knowledge.js';

const models = BUNDLED_MODELS.models;

t.test('every model cites the config.json copy it was read from', async (t) => {
  t.ok(models.length >= 25, `${models.length} models`);
  for (const m of models) {
    t.match(m.id, /^[\w.-]+\/[\w.-]+$/, `${m.id} is org/name`);
    t.ok((m.source.repo.includes('/') || m.source.indexId) && m.source.path.length > 0, `${m.id} names a repository and file, or the search index's file id`);
    t.ok(m.source.entry, `${m.id} names the entry in that file`);
  }
  const ids = models.flatMap((m) => [m.id, ...(m.aliases ?? [])].map((i) => i.toLowerCase()));
  t.equal(new Set(ids).size, ids.length, 'no id or alias appears twice');
});

t.test('parameter counts recomputed from the architecture match the stated ones', async (t) => {
  const stated = models.filter((m) => m.statedParams);
  t.ok(stated.length >= 4, `${stated.length} models with a stated count`);
  for (const m of stated) {
    const { total, active } = paramCount(m);
    const s = m.statedParams!;
    t.ok(Math.abs(total - s.total) / s.total < 0.02, `${m.id}: computed ${(total / 1e9).toFixed(2)}B vs stated ${(s.total / 1e9).toFixed(2)}B`);
    // Only DeepSeek states "activated" the way the computation counts it (embeddings and head included).
    if (s.active && m.id === 'deepseek-ai/DeepSeek-V3') t.ok(Math.abs(active - s.active) / s.active < 0.05, `${m.id}: active ${(active / 1e9).toFixed(1)}B vs ${(s.active / 1e9).toFixed(1)}B`);
  }
});

t.test('the size in a model name agrees with the computed count', async (t) => {
  for (const m of models) {
    // "70B", "0.5B", "1.7B" in the name; skip active-parameter tags like A3B and MoE shapes like 8x7B.
    const tag = /(?:^|[-_])(\d+(?:\.\d+)?)[bB](?:$|[-_])/.exec(m.id.split('/')[1] ?? '');
    if (!tag || m.moe) continue;
    const named = Number(tag[1]) * 1e9;
    const { total } = paramCount(m);
    t.ok(Math.abs(total - named) / named < 0.35, `${m.id}: ${(total / 1e9).toFixed(2)}B for a "${tag[1]}B" name`);
  }
  const mixtral = models.find((m) => m.id === 'mistralai/Mixtral-8x7B-v0.1')!;
  t.ok(paramCount(mixtral).active < paramCount(mixtral).total / 3, 'a MoE model activates a fraction of its weights');
});

t.test('attention shapes are coherent', async (t) => {
  const splitsHidden = new Set(['llama', 'mistral', 'mixtral', 'qwen2', 'qwen2_moe', 'phi3']);
  for (const m of models) {
    t.equal(m.numAttentionHeads % m.numKeyValueHeads, 0, `${m.id}: KV heads divide attention heads`);
    if (splitsHidden.has(m.modelType) && !m.mla) t.equal(headDimOf(m) * m.numAttentionHeads, m.hiddenSize, `${m.id}: head_dim × heads = hidden`);
    t.ok(Number.isInteger(headDimOf(m)), `${m.id}: integral head_dim`);
    t.ok(m.maxPositionEmbeddings >= 2048, `${m.id}: context stated`);
    if (m.moe) t.ok(m.moe.expertsPerToken < m.moe.experts, `${m.id}: fewer active than total experts`);
  }
});

t.test('every GPU figure names a source the catalogue lists', async (t) => {
  const sources = BUNDLED_GPUS.sources ?? {};
  const ids = new Set(BUNDLED_GPUS.products.map((p) => p.id));
  t.ok(BUNDLED_GPUS.products.length >= 8, `${BUNDLED_GPUS.products.length} products`);
  for (const p of BUNDLED_GPUS.products) {
    t.ok(p.sources.length > 0 && p.sources.every((s) => s in sources), `${p.id} cites listed sources`);
    t.match(p.computeCapability, /^\d+\.\d$/, `${p.id} compute capability`);
    t.ok(p.memoryGiB >= 8 && p.memoryGiB <= 200, `${p.id} memory`);
    t.ok(Object.keys(p.labels).length > 0, `${p.id} is named by at least one label`);
  }
  for (const [type, value] of Object.entries(BUNDLED_GPUS.instanceTypes ?? {})) {
    if (typeof value === 'string') continue;
    t.ok(ids.has(value.product) && value.gpus >= 1, `${type} → ${value.product}`);
  }
  for (const [method, q] of Object.entries(BUNDLED_GPUS.quantization ?? {})) {
    if (typeof q === 'string') continue;
    t.match(q.source, /vllm-project\/vllm@[0-9a-f]{12}/, `${method}: minimum capability read at a vllm commit`);
  }
});
