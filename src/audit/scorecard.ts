/**
 * The readiness scorecard moved to report/scorecard.ts (check --html builds it from manifests as
 * well as the audit from a cluster); kept here for the audit's imports.
 * @module
 */
export { buildScorecard, stateOf } from '../report/scorecard.js';
