/**
 * `vllm-guard fix PATH…`: applies the fixes the engine offers to YAML files in place (or prints a
 * diff with --dry-run), says what it applied and what waits for --accept, then checks the written
 * files again. Which files: fix-files.ts; the rewriting of one file's text: fix-text.ts.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import type { Engine } from '../engine/api.js';
import { describeError } from '../errors.js';
import { runCheck } from './check.js';
import { gateExitCode } from './gate.js';
import { readInputs } from './inputs.js';
import { listFiles, MAX_FILE_BYTES, sourceKind } from './fix-files.js';
import { fixText, type FixOptions } from './fix-text.js';

/** Where `vllm-guard fix` writes its lines (the process's stdout and stderr, or a test's buffers). */
export interface FixIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Runs `vllm-guard fix`: returns the exit code (0 nothing denied is left, 1 something denied is
 * still open after fixing, 2 a file could not be read). With dryRun, prints a unified diff and
 * writes nothing.
 */
export async function runFix(engine: Engine, targets: readonly string[], options: FixOptions, io: FixIo): Promise<number> {
  const files: string[] = [];
  const problems: string[] = [];
  for (const target of targets) {
    if (target === '-') problems.push('-: fix edits files in place; it cannot read stdin');
    else listFiles(target, files, problems);
  }
  const written: string[] = [];
  for (const file of files) {
    const skip = sourceKind(file);
    if (skip) {
      io.stdout(`${file}: left untouched: ${skip}\n`);
      continue;
    }
    let before: string;
    try {
      if (statSync(file).size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
      before = readFileSync(file, 'utf8');
    } catch (err: unknown) {
      problems.push(`${file}: cannot read: ${describeError(err)}`);
      continue;
    }
    const result = fixText(engine, before, options);
    for (const error of result.errors) io.stderr(`${file}: ${error}\n`);
    for (const w of result.waiting) io.stdout(`${file}: needs --accept: ${w.policy}: ${w.description} (${w.needs})\n`);
    if (result.applied.length === 0) {
      io.stdout(`${file}: nothing to fix\n`);
      continue;
    }
    const verb = options.dryRun ? 'would apply' : 'applied';
    io.stdout(`${file}: ${verb} ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'}\n`);
    for (const a of result.applied) io.stdout(`  ${a.policy}: ${a.description}${a.needs ? ` (your part: ${a.needs})` : ''}\n`);
    if (options.dryRun) {
      io.stdout(createTwoFilesPatch(file, file, before, result.text, '', '', { context: 3 }));
      continue;
    }
    try {
      writeFileSync(file, result.text);
      written.push(file);
    } catch (err: unknown) {
      problems.push(`${file}: cannot write: ${describeError(err)}`);
    }
  }
  for (const problem of problems) io.stderr(`vllm-guard: error: ${problem}\n`);
  if (options.dryRun || written.length === 0) return problems.length > 0 ? 2 : 0;
  const { objects, errors } = await readInputs(written, { readStdin: () => '', kubectl: null });
  const report = runCheck(engine, objects, errors);
  for (const result of report.results) {
    for (const f of result.findings) {
      if (f.action === 'off') continue;
      io.stdout(`still open: ${result.source}${f.line ? `:${f.line}` : ''}: ${f.action} ${f.policy}: ${f.message}\n`);
    }
  }
  return problems.length > 0 ? 2 : gateExitCode(report);
}
