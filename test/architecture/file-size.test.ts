// Small files named for what they hold (issue 9 item 6): no source file in src/ is over MAX_LINES lines.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');
/** The project guide's "~250 lines": a file past it holds more than one thing and is split along its seams. */
const MAX_LINES = 250;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Lines as `wc -l` counts them: newlines, plus a last line without one. */
function lineCount(text: string): number {
  const newlines = text.split('\n').length - 1;
  return text.length > 0 && !text.endsWith('\n') ? newlines + 1 : newlines;
}

t.test(`no src/**/*.ts file is over ${MAX_LINES} lines`, async (t) => {
  const files = sources(SRC);
  t.ok(files.length > 100, `the walk finds the sources (${files.length} files)`);
  const counted = files.map((file) => ({ file: path.relative(SRC, file).split(path.sep).join('/'), lines: lineCount(readFileSync(file, 'utf8')) }));
  const over = counted.filter((f) => f.lines > MAX_LINES).sort((a, b) => b.lines - a.lines);
  t.same(
    over.map((f) => `src/${f.file}: ${f.lines} lines`),
    [],
    `split these along their seams into files named for what they hold (at most ${MAX_LINES} lines each)`,
  );
});
