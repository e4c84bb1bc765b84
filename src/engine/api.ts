/**
 * The engine's one door. Admission, server, audit, report and CLI import the engine from here and
 * nowhere else (test/architecture enforces it): build an engine with createEngine, review objects
 * with reviewObject, read the contract's types.
 * @module
 */
export { createEngine, reviewObject, verdictOf } from './engine.js';
export type { Engine, EngineInput, ReviewOptions, Verdict } from './engine.js';
export { effectiveMode, policyAction, softerMode } from './evaluate/decide.js';
export { ACTION_RANK, softer } from './evaluate/evaluate.js';
export { WAIVE, WAIVE_REASON, WAIVE_UNTIL } from './evaluate/waivers.js';
export { CHECK_PROPERTY, CHECK_SOURCE_PROPERTY, type CheckSource, type SchemaCheck } from './evaluate/schema-check.js';
export { DEFAULT_ENTRYPOINTS } from './command/argv.js';
export { DEFAULT_VLLM_IMAGES } from './vllm/detection-config.js';
export { compileImagePattern, MAX_IMAGE_LENGTH } from './vllm/image-pattern.js';
export { TEMPLATE_PATHS, extractWorkload } from './workload/extract.js';
export type * from './types.js';
export { createRe2Engine, compileRe2 } from './util/re2.js';
export { newAjv } from './util/ajv-lazy.js';
export { KNOWLEDGE_CONFIG_SCHEMA, readKnowledgeConfig } from './knowledge/config.js';
export type { KnowledgeConfig } from './knowledge/knowledge.js';
export { BUILT_IN_ACCELERATOR_RESOURCES } from './knowledge/accelerators.js';
export { createsChild, groupOf, type ControllerIdentity, type GroupKind } from './knowledge/controllers.js';
export { reviewedParentKinds, SERVING_KINDS } from './workload/serving-kinds.js';
export type { ServingKind } from './workload/serving-kind-types.js';
export { createRelatedSet, relatedOfKind, RELATED_KINDS, MAX_RELATED_PER_KIND } from './related/related-set.js';
export type { RelatedSet, RelatedKind, RelatedSetOptions } from './related/related-set.js';
export { runsConfigMapScript } from './related/script-probe.js';
export { MAX_CONFIG_FILE_BYTES } from './vllm/config-file.js';
