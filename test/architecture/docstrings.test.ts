// Every exported function, async function, class and `const f = (…) =>` in src/ carries a JSDoc
// block (`/** … */`) directly above it (blank lines and decorators aside): the project guide asks
// for shapes, units, errors and the source of domain rules where a caller reads them.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

const DECLARATION = [
  /^export\s+(?:default\s+)?(?:async\s+)?function\*?\s*(\w+)/,
  /^export\s+(?:default\s+)?(?:abstract\s+)?class\s+(\w+)/,
  /^export\s+const\s+(\w+)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\(|\w+\s*=>)/,
];

/** `name (line n)` of each exported declaration in `text` with no JSDoc block directly above. */
function undocumented(text: string): string[] {
  const lines = text.split('\n');
  const missing: string[] = [];
  let previous: string | undefined;
  lines.forEach((line, i) => {
    const name = DECLARATION.map((re) => re.exec(line)?.[1]).find((n) => n !== undefined);
    if (name === undefined) return;
    // An overload's implementation (or a later signature) shares the first signature's docs.
    const overload = previous === name;
    previous = name;
    if (overload || hasDocAbove(lines, i)) return;
    missing.push(`${name} (line ${i + 1})`);
  });
  return missing;
}

function hasDocAbove(lines: readonly string[], index: number): boolean {
  let i = index - 1;
  while (i >= 0 && (/^\s*$/.test(lines[i] ?? '') || /^\s*@\w/.test(lines[i] ?? ''))) i--;
  if (i < 0 || !/\*\/\s*$/.test(lines[i] ?? '')) return false;
  // Walk up to the line that opens this comment; it must open with `/**`.
  while (i >= 0 && !(lines[i] ?? '').includes('/*')) i--;
  return i >= 0 && /^\s*\/\*\*(?!\/)/.test(lines[i] ?? '');
}

t.test('the scanner tells a JSDoc block from anything else', async (t) => {
  t.same(undocumented('/** Adds. */\nexport function add() {}'), []);
  t.same(undocumented('/**\n * Adds.\n */\n\n@sealed\nexport class Adder {}'), []);
  t.same(undocumented('/** Adds. */\nexport const add = (a: number) => a;'), []);
  t.same(undocumented('/** Adds. */\nexport function add(a: string): string;\nexport function add(a: number): number;\nexport function add(a: unknown) { return a; }'), []);
  t.same(undocumented('export async function fetchIt() {}'), ['fetchIt (line 1)']);
  t.same(undocumented('// Adds.\nexport function add() {}'), ['add (line 2)']);
  t.same(undocumented('/* Adds. */\nexport function add() {}'), ['add (line 2)']);
  t.same(undocumented('/** Adds. */\nconst x = 1;\nexport class Adder {}'), ['Adder (line 3)']);
  t.same(undocumented('export const isObject = (v: string): string => v;\nexport const asIs: Encoder = (value) => value;'), ['isObject (line 1)', 'asIs (line 2)']);
  t.same(undocumented('export const LIMIT = 3;\nexport type Id = string;\nexport interface A {}'), [], 'types and plain constants are not asked for');
});

t.test('every exported function and class in src/ has a JSDoc block', async (t) => {
  const files = sources(SRC);
  const declarations = files.reduce((n, file) => n + readFileSync(file, 'utf8').split('\n').filter((l) => DECLARATION.some((re) => re.test(l))).length, 0);
  t.ok(declarations > 100, `the scanner finds exported declarations (${declarations})`);
  const missing = files.flatMap((file) => undocumented(readFileSync(file, 'utf8')).map((d) => `${path.relative(SRC, file)}: ${d}`));
  t.same(missing, [], 'exported with no /** … */ directly above (say shapes, units, errors, source of a domain rule)');
});
