/**
 * `vllm-guard check PATH…`: inputs in, one report out in the chosen format, the exit status set
 * by `--fail-on`. Split from program.ts (which only declares the flags) so the command reads as
 * one story: read, review, render, gate.
 * @module
 */
import type { Engine } from '../engine/api.js';
import type { Report } from '../report/types.js';
import { runCheck } from './check.js';
import type { sarifFixEdits } from './fix-sarif.js';
import { failsBuild, gateExitCode, type FailOn } from './gate.js';
import { readInputs } from './inputs.js';
import { findOnPath } from './inputs-render.js';
import { AppError } from '../errors.js';

export const CHECK_OUTPUTS = ['table', 'json', 'sarif', 'junit', 'github'] as const;
export type CheckOutput = (typeof CHECK_OUTPUTS)[number];

export interface CheckCommandOptions {
  output: CheckOutput;
  failOn: FailOn;
  quiet?: boolean;
  /** Also write the scorecard page here. */
  html?: string;
  /** Compare the page with this previous JSON report. */
  baseline?: string;
  /** Label naming the owner team on the page (else the namespace). */
  teamLabel?: string;
}

export interface CheckCommandIo {
  stdout(text: string): void;
  /** Notes for a person (where the page was written). */
  stderr?(text: string): void;
  readStdin(maxBytes: number): string | Promise<string>;
  /** Colour for the table. */
  color: boolean;
  /** Terminal width when stdout is a terminal. */
  columns?: number;
  /** PATH, to find kubectl for kustomizations. */
  pathVariable?: string;
  version: string;
}

/**
 * Renders a report in the chosen format. `fixEdits` (cli/fix-sarif.ts sarifFixEdits) gives SARIF its
 * `fixes`; fix-sarif.ts (with the diff and JSON Patch packages) is loaded only for SARIF output.
 * Each format's module is loaded when it is chosen: a run loads one renderer, not five (about 8 ms
 * of CPU less at every start).
 */
export async function renderReport(report: Report, engine: Engine, options: CheckCommandOptions, io: CheckCommandIo, fixEdits?: ReturnType<typeof sarifFixEdits>): Promise<string> {
  switch (options.output) {
    case 'json':
      return (await import('../report/json.js')).renderJson(report);
    case 'sarif':
      return (await import('../report/sarif.js')).renderSarif(report, engine.policies.policies, io.version, fixEdits);
    case 'junit':
      return (await import('../report/junit.js')).renderJunit(report);
    case 'github':
      return (await import('../report/github.js')).renderGithub(report);
    default:
      return (await import('../report/table.js')).renderTable(report, {
        color: io.color,
        ...(io.columns !== undefined ? { width: io.columns } : {}),
        ...(options.quiet
          ? {
              only: (f) => failsBuild(f.action, options.failOn),
              summaryRows: (t) => (['deny', 'warn', 'audit'] as const).some((a) => t[a] > 0 && failsBuild(a, options.failOn)),
            }
          : {}),
      });
  }
}

/** Runs check and returns the report and exit status (0 pass, 1 a finding at or above --fail-on, 2 an input error). */
export async function runCheckCommand(
  paths: readonly string[],
  engine: Engine,
  options: CheckCommandOptions,
  io: CheckCommandIo,
): Promise<{ report: Report; exitCode: number }> {
  // Usage and the baseline are settled before any input is read: a bad --baseline fails at once,
  // not after the whole report has been printed.
  if (options.baseline !== undefined && options.html === undefined) throw new AppError('ERR_USAGE', '--baseline compares the --html page with a previous run; add --html FILE');
  // The page's modules (scorecard, HTML, baseline) are loaded only for --html.
  const baseline = options.baseline !== undefined ? { source: options.baseline, keys: (await import('../report/baseline.js')).readBaseline(options.baseline) } : undefined;
  const startedAt = new Date();
  const { objects, errors } = await readInputs(paths, { readStdin: (maxBytes) => io.readStdin(maxBytes), kubectl: findOnPath('kubectl', io.pathVariable) });
  const report = runCheck(engine, objects, errors, startedAt, options.teamLabel ?? 'team');
  const fixEdits = options.output === 'sarif' ? (await import('./fix-sarif.js')).sarifFixEdits(engine) : undefined;
  io.stdout(await renderReport(report, engine, options, io, fixEdits));
  if (options.html !== undefined) {
    (await import('./check-page.js')).writeCheckPage(report, engine, {
      file: options.html,
      ...(baseline !== undefined ? { baseline } : {}),
      paths,
      teamLabel: options.teamLabel ?? 'team',
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      version: io.version,
    });
    io.stderr?.(`scorecard written to ${options.html}\n`);
  }
  return { report, exitCode: gateExitCode(report, options.failOn) };
}
