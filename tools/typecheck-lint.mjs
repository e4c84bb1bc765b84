// `npm run typecheck` and `npm run lint` in one process, on one TypeScript program, for `npm test`.
// Run apart, tsc and ESLint's project service each build and type-check the same program (tsc
// about 20 s of CPU, ESLint about 65 s, most of it the type checker answering its rules): on a
// 2-core machine with a core busy that was the largest single cost of `npm test` after the tests.
// Here the program is built once from tsconfig.json: its diagnostics are tsc --noEmit's, then
// ESLint lints `.` with eslint.config.js and that program (parserOptions.programs), so its rules
// read types the check has already computed. deploy/tools/ is in tsconfig.json's include: outside
// it, its one file needed a second program (the same lib and @types files parsed again, 2.7 s of CPU).
// Output: tsc's diagnostics (as `tsc --pretty false` prints them), then ESLint's stylish report.
// Exit status: 0 when both are clean, else 1. `npm run typecheck` and `npm run lint` stay as they were.
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } };
const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, host);
if (!config) throw new Error('tsconfig.json could not be read');
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences, configFileParsingDiagnostics: config.errors });

const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
const diagnostics = ts.getPreEmitDiagnostics(program);
let failed = diagnostics.length > 0;
const started = Date.now();
process.stdout.write(`typecheck (tsc --noEmit): ${diagnostics.length === 0 ? 'passed' : `FAILED (${diagnostics.length} errors)`}\n`);
if (diagnostics.length > 0) process.stdout.write(ts.formatDiagnostics(diagnostics, formatHost));

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [
    {
      files: ['**/*.ts', '**/*.mts', '**/*.cts'],
      languageOptions: { parserOptions: { projectService: false, project: false, programs: [program] } },
    },
  ],
});
const results = await eslint.lintFiles(['.']);
const errors = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
if (errors > 0) failed = true;
const report = await (await eslint.loadFormatter('stylish')).format(results);
process.stdout.write(`lint (eslint .): ${errors === 0 ? 'passed' : 'FAILED'} (${results.length} files, ${Math.round((Date.now() - started) / 1000)} s after the type check)\n${report}`);
process.exitCode = failed ? 1 : 0;
