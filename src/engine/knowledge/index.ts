/**
 * Model- and hardware-aware knowledge (issue 12): the public surface the engine wires in.
 * Build a Knowledge once per config (createKnowledge(readKnowledgeConfig(raw.knowledge, file))), then
 * add buildHardwareFacts(facts, knowledge) to each vLLM server container's facts.
 */
export { createKnowledge, BUNDLED_GPUS, BUNDLED_MODELS, type Knowledge, type KnowledgeConfig } from './knowledge.js';
export { KNOWLEDGE_CONFIG_SCHEMA, readKnowledgeConfig } from './config.js';
export { buildHardwareFacts, checkInputsOf, parseParamCount, type HardwareFacts } from './hardware-facts.js';
export type { CheckResult, CheckVerdict } from './verdict.js';
