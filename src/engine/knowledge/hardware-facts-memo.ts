/**
 * The hardware facts (model, gpu, fit: hardware-facts.ts) added to a server's facts document, and
 * remembered per engine: every pod of a Deployment (and the Deployment and ReplicaSet before them)
 * asks the same questions, and the five checks with the model and GPU descriptions were the largest
 * part of a server's facts after the argv readings (argv-memo.ts). The key is every input the answer
 * depends on: the plain values the checks read (checkValuesOf, in its order) and which GPU placement
 * the pod's node selection gives (the catalogue's own memo returns the same frozen object for the
 * same selection; a placement seen for the first time gets a new number), compared as values
 * (util/values-memo.ts: no key text is built). Bounded; answers are frozen, so no review can change
 * what the next one gets.
 */
import { createKeyScratch, createValuesMemo, pushKey } from '../util/values-memo.js';
import { buildHardwareFacts, checkValuesOf, type HardwareFacts } from './hardware-facts.js';
import type { Knowledge } from './knowledge.js';
import { result } from './verdict.js';

/** buildHardwareFacts, remembered: same arguments, same (frozen) answer. */
export type HardwareFactsReading = (facts: Record<string, unknown>, knowledge: Knowledge) => HardwareFacts;

/** One remembered reading per engine (createKnowledge). */
export function createHardwareFactsMemo(): HardwareFactsReading {
  const memo = createValuesMemo<HardwareFacts>();
  // Placements by identity: a number per placement object seen, held weakly.
  const placements = new WeakMap<object, number>();
  let next = 0;
  const key = createKeyScratch();
  return (facts, knowledge) => {
    const values = checkValuesOf(facts);
    const gpu = knowledge.gpus.placement(facts.pod, values.acceleratorResources);
    let id = placements.get(gpu);
    if (id === undefined) {
      id = next++;
      placements.set(gpu, id);
    }
    // A loop, not `[id, ...Object.values(values)]`: the spread was most of a hit's cost. The list is
    // refilled per look-up (util/values-memo.ts KeyScratch).
    key.count = 0;
    pushKey(key, id);
    for (const name in values) pushKey(key, values[name as keyof typeof values]);
    return memo.get(key.values, () => buildHardwareFacts(facts, knowledge), key.count);
  };
}

/** The facts each check reads from the engine's document: an unknown one makes the check unknown. */
const CHECK_INPUTS: Readonly<Record<'dtype' | 'parallelism' | 'context' | 'memory' | 'multinode', readonly string[]>> = {
  dtype: ['vllm.dtype', 'vllm.quantization', 'vllm.model'],
  parallelism: ['vllm.parallel', 'vllm.model'],
  context: ['vllm.maxModelLen', 'vllm.model', 'env.VLLM_ALLOW_LONG_MAX_MODEL_LEN', 'vllm.args.rope-scaling', 'vllm.args.hf-overrides'],
  memory: ['vllm.parallel', 'vllm.maxModelLen', 'vllm.gpuMemoryUtilization', 'vllm.dtype', 'vllm.quantization', 'vllm.kvCacheDtype', 'vllm.model', 'vllm.args.enable-expert-parallel'],
  multinode: ['vllm.parallel', 'vllm.args.distributed-executor-backend', 'vllm.args.nnodes'],
};

interface UnknownRecord {
  path: string;
  reason: string;
  source: string;
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/**
 * Adds model, gpu and fit to an engine facts document (mutating it, as the facts builder owns it).
 * A check that read a value the engine marked unknown (TP from a ConfigMap) is unknown too: when it
 * would have had a verdict, `fit.<check>` joins facts.unknowns so its policy says "could not be
 * verified"; when the whole command line is unknown it stays silent, as the engine's guards do.
 */
export function addHardwareFacts(facts: Record<string, unknown>, knowledge: Knowledge): void {
  // The engine's knowledge remembers the answers (hardware-facts-memo.ts): they are frozen, so a
  // check made unknown below gets a copy of `fit`.
  let hardware = knowledge.hardwareFacts ? knowledge.hardwareFacts(facts, knowledge) : buildHardwareFacts(facts, knowledge);
  let copied = false;
  const unknowns = Array.isArray(facts.unknowns) ? (facts.unknowns as UnknownRecord[]) : [];
  for (const check of Object.keys(CHECK_INPUTS) as (keyof typeof CHECK_INPUTS)[]) {
    const unknown = unknowns.find((u) => typeof u === 'object' && u !== null && CHECK_INPUTS[check].some((p) => overlaps(p, u.path)));
    if (!unknown) continue;
    if (!copied) {
      hardware = { ...hardware, fit: { ...hardware.fit } };
      copied = true;
    }
    const had = hardware.fit[check].verdict;
    hardware.fit[check] = result('unknown', `could not be verified: ${unknown.reason}`, { assumed: hardware.fit[check].assumed });
    if (unknown.path !== 'vllm' && (had === 'deny' || had === 'warn')) unknowns.push({ path: `fit.${check}`, reason: unknown.reason, source: unknown.source });
  }
  Object.assign(facts, hardware);
}
