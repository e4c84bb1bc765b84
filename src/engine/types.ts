/**
 * The engine's contract: the shapes that flow from extraction to decisions. Everything is plain
 * data so the webhook, the CLI and the audit share it. The shapes live in types/, one file per
 * stage (vocabulary, workload, argv, facts, policy, fix, config, review); this module re-exports
 * them all so the engine's modules and api.ts name one place.
 * @module
 */
export type * from './types/vocabulary.js';
export type * from './types/workload.js';
export type * from './types/argv.js';
export type * from './types/facts.js';
export type * from './types/policy.js';
export type * from './types/fix.js';
export type * from './types/config.js';
export type * from './types/review.js';
