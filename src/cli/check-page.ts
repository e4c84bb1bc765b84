/**
 * `check --html FILE`: the audit's scorecard page, built from manifests instead of a cluster,
 * so a platform lead can preview readiness before anything is deployed. Same page, same data
 * types (report/scorecard.ts); input errors appear where the audit shows lists it could not read.
 * @module
 */
import { writeFileSync } from 'node:fs';
import type { Engine } from '../engine/api.js';
import { AppError, describeError } from '../errors.js';
import { compareWithBaseline } from '../report/baseline.js';
import { renderHtml, type PageGap } from '../report/html.js';
import { buildScorecard } from '../report/scorecard.js';
import type { Report } from '../report/types.js';

export interface CheckPageOptions {
  /** Where to write the page. */
  file: string;
  /** A previous run's JSON to compare with, already read (report/baseline.ts readBaseline) so a bad file fails before the check runs. */
  baseline?: { source: string; keys: Map<string, string> };
  paths: readonly string[];
  teamLabel: string;
  startedAt: Date;
  durationMs: number;
  version: string;
}

/** Builds and writes the page; throws ERR_INPUT naming the file when it cannot be written. */
export function writeCheckPage(report: Report, engine: Engine, options: CheckPageOptions): void {
  let scorecard = buildScorecard(report.results, engine.policies.policies, engine.config);
  if (options.baseline !== undefined) scorecard = compareWithBaseline(scorecard, options.baseline.keys, options.baseline.source);
  const gaps: PageGap[] = report.errors.map((e) => ({
    kind: 'input',
    namespace: null,
    message: `${e.source}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`,
    hint: 'fix or render the input and run the check again',
    incomplete: true,
  }));
  const page = renderHtml({
    title: 'vLLM readiness scorecard',
    generatedAt: options.startedAt,
    scope: `Manifests: ${options.paths.join(' ')}`,
    mode: engine.config.mode,
    teamLabel: options.teamLabel,
    figures: {
      listed: report.summary.resources,
      evaluated: report.summary.resources,
      namespaces: new Set(report.results.map((r) => r.namespace)).size,
      durationMs: options.durationMs,
    },
    scorecard,
    gaps,
    version: options.version,
  });
  try {
    writeFileSync(options.file, page);
  } catch (err: unknown) {
    throw new AppError('ERR_INPUT', `${options.file}: cannot write the HTML page (${describeError(err)})`, { cause: err });
  }
}
