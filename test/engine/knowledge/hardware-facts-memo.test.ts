/** The hardware facts remembered per engine: same inputs, same answer; a change in any input, a new one. */
import t from 'tap';
import { addHardwareFacts } from '../../../src/engine/knowledge/hardware-facts-memo.js';
import { buildHardwareFacts } from '../../../src/engine/knowledge/hardware-facts.js';
import { createKnowledge } from '../../../src/engine/knowledge/knowledge.js';

/** A server's facts document as the engine builds it (the parts the hardware checks read). */
function facts(over: { tensor?: number; product?: string; version?: string; unknowns?: { path: string; reason: string; source: string }[] } = {}) {
  return {
    vllm: { model: 'meta-llama/Llama-3.1-70B-Instruct', args: {}, parallel: { tensor: over.tensor ?? 2, pipeline: 1, data: 1 }, dtype: null, maxModelLen: 8192 },
    pod: { nodeSelector: { 'nvidia.com/gpu.product': over.product ?? 'NVIDIA-L4' } },
    accelerators: { limit: over.tensor ?? 2, groupTotal: over.tensor ?? 2, resources: ['nvidia.com/gpu'] },
    image: { repository: 'vllm/vllm-openai', vllmVersion: over.version ?? '0.10.1' },
    env: {},
    workload: { groupSize: 1 },
    unknowns: over.unknowns ?? [],
  } as Record<string, unknown>;
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

t.test('the same inputs give the same answer as building it, once', async (t) => {
  const k = createKnowledge();
  const a = facts();
  const b = facts();
  addHardwareFacts(a, k);
  addHardwareFacts(b, k);
  t.equal(a.fit, b.fit, 'the second document gets the remembered answer');
  t.same(plain(a.fit), plain(buildHardwareFacts(facts(), k).fit));
  t.ok(Object.isFrozen(a.fit) && Object.isFrozen(a.model) && Object.isFrozen(a.gpu), 'remembered answers are frozen');
});

t.test('any input that changes the answer is part of the key', async (t) => {
  const k = createKnowledge();
  const base = facts();
  addHardwareFacts(base, k);
  for (const [what, other] of [['tensor parallel', facts({ tensor: 4 })], ['GPU', facts({ product: 'NVIDIA-H100-80GB-HBM3' })], ['release', facts({ version: '0.6.0' })]] as const) {
    addHardwareFacts(other, k);
    t.not(other.fit, base.fit, what);
    t.same(plain(other.fit), plain(buildHardwareFacts(other, k).fit), `${what}: as built`);
  }
});

t.test('an unknown input makes a check unknown in this document only', async (t) => {
  const k = createKnowledge();
  const known = facts();
  addHardwareFacts(known, k);
  const unknown = facts({ unknowns: [{ path: 'vllm.parallel', reason: 'TP comes from a Secret', source: '--tensor-parallel-size' }] });
  addHardwareFacts(unknown, k);
  t.match((unknown.fit as Record<string, unknown>).parallelism, { verdict: 'unknown', message: 'could not be verified: TP comes from a Secret' });
  const again = facts();
  addHardwareFacts(again, k);
  t.equal(again.fit, known.fit, 'the remembered answer is unchanged');
  t.not((known.fit as Record<string, { verdict: string } | undefined>).parallelism?.verdict, 'unknown');
});
