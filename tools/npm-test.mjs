// `npm test`: the type check, the lint and the test suite, run side by side instead of one after
// the other. The type check and the lint share one TypeScript program in one process
// (tools/typecheck-lint.mjs: tsc --noEmit's diagnostics, then `eslint .` on that program; run
// apart they built and checked it twice, about 20 s and 65 s of CPU), and the tests need only the
// emitted dist/, so on two cores the two overlap:
//   typecheck + lint ──────────┐
//   build:emit ── tap ─────────┴─ exit status: the first failure among them, else 0
// build:emit is skipped when dist/ was built from exactly the present sources (tools/build-stamp.mjs:
// `npm ci` has just built it on a fresh clone).
// tap's output streams as it comes (its last line is the "# { total: … }" summary that .ci/run
// reads); what the type check and the lint print is held and printed after it, under its own
// heading, so it never interleaves with the test report. Extra arguments go to tap.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { distIsCurrent, inputsDigest, writeStamp } from './build-stamp.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

const children = new Set();
// A CI timeout or ^C stops everything this started, not only this process.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exit(1);
  });
}

/** Runs a command; `held` collects its output instead of printing it. Resolves to its exit code. */
function run(command, args, held) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    children.add(child);
    if (held) {
      child.stdout.on('data', (chunk) => held.push(chunk));
      child.stderr.on('data', (chunk) => held.push(chunk));
    }
    child.on('error', (err) => {
      (held ?? []).push(Buffer.from(`${command}: ${err.message}\n`));
      resolve(1);
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const started = Date.now();
const seconds = (since) => `${Math.round((Date.now() - since) / 1000)} s`;
const checks = [
  { name: 'typecheck and lint (tools/typecheck-lint.mjs)', command: process.execPath, args: [fileURLToPath(new URL('typecheck-lint.mjs', import.meta.url))], held: [] },
].map((check) => ({ ...check, status: run(check.command, check.args, check.held).then((code) => ({ code, took: seconds(started) })) }));

// The raw TAP reporter: one line per test file, the details of a failure, the coverage table and
// the summary. tap's default reporter redraws a React (ink) screen for the whole run, which cost
// about a quarter of a CPU second per second of the run in tap's own process. `-R base` (or any
// --reporter) given to `npm test --` wins.
const tapArgs = process.argv.slice(2);
const reporter = tapArgs.some((arg) => /^(-R|--reporter)/.test(arg)) ? [] : ['--reporter=tap'];
// dist/ as `npm ci` (prepare) or the last run built it is used when it was built from exactly
// these sources (tools/build-stamp.mjs); anything changed is built again.
const digest = inputsDigest(ROOT);
const current = distIsCurrent(ROOT, digest);
if (current) process.stdout.write('build:emit: dist/ was built from these sources (dist/.build-inputs); not building again\n');
const build = current ? 0 : await run('npm', ['run', 'build:emit', '--silent']);
if (!current && build === 0) writeStamp(ROOT, digest);
const tests = build === 0 ? await run(bin('tap'), [...reporter, ...tapArgs]) : build;

const testsTook = seconds(started);
let failed = tests !== 0;
process.stdout.write('\n');
for (const check of checks) {
  const { code, took } = await check.status;
  const output = Buffer.concat(check.held).toString('utf8').trimEnd();
  if (code !== 0) failed = true;
  process.stdout.write(`${check.name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} after ${took}\n${output}${output ? '\n' : ''}`);
}
process.stdout.write(`build:emit and tap: ${tests === 0 ? 'passed' : 'FAILED'} after ${testsTook}\n`);
if (build !== 0) process.stdout.write('\nbuild:emit failed: the tests were not run\n');
process.exitCode = failed ? 1 : 0;
