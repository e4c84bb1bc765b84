/**
 * The facts document policies are evaluated against (policies/facts.schema.json) and the record of
 * a fact that cannot be known at admission. Their own file: the facts stage's output, the
 * evaluator's input.
 * @module
 */
import type { JsonObject } from './vocabulary.js';

/**
 * A fact whose value cannot be known before the pod runs: `path` is its dotted place in the facts
 * document (`vllm.parallel`, `volumes.cacheDir`, or `vllm` for the whole command line), `reason`
 * says why in words for the user, `source` names where the value would come from
 * (`image ENTRYPOINT`, `env TP (configMapKeyRef)`, `shell $(cmd)`, …).
 */
export interface UnknownFact {
  path: string;
  reason: string;
  source: string;
}

/**
 * The derived facts one policy rule is evaluated against (policies/facts.schema.json; a test
 * validates every document the engine builds against it). `params` and `item` are set by the
 * evaluator while a policy's rules run.
 */
export interface Facts extends JsonObject {
  unknowns: UnknownFact[];
  params: JsonObject;
  item?: unknown;
}
