/**
 * The one time bound unit tests may assert: a ceiling that tells a hang (catastrophic
 * backtracking, quadratic work on megabytes: minutes or forever) from an answer, generous enough
 * that a 2-core machine running the whole suite beside another busy process never reaches it.
 * Speed targets are not tests: they are figures printed by `npm run bench:engine` and
 * `npm run bench:pathological`.
 */
export const HANG_CEILING_MS = 10_000;
