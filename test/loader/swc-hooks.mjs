// Module hooks (node:module register) that run the repository's TypeScript under Node without a
// type checker: a relative import of `x.js` (the NodeNext spelling) finds `x.ts` when no `x.js`
// exists, and a `.ts` module is compiled to JavaScript by swc, with an inline source map so stack
// traces and coverage point at the TypeScript lines. Options follow tsconfig.json: ES2022,
// ES modules kept as they are, import attributes (`with { type: 'json' }`) kept for Node; the
// output is the same as ts-node's swc transpiler gave (compared over every .ts file).
//
// Each test file runs in its own process and most of them load the same modules, so a compiled
// module is kept in .tap/swc-cache/ under the SHA-256 of its path, its text and the swc version;
// a process whose modules are all there never loads swc. A file is written whole (a temporary
// name, then rename), so two processes compiling one module at once both read a complete file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';

const TS = /\.m?ts$/;
const CACHE = fileURLToPath(new URL('../../.tap/swc-cache/', import.meta.url));
const SWC_VERSION = (() => {
  try {
    return JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('@swc/core/package.json')), 'utf8')).version;
  } catch {
    return 'unknown';
  }
})();

/** swc options equivalent to what ts-node derived from tsconfig.json (target ES2022, NodeNext). */
const options = (filename) => ({
  filename,
  swcrc: false,
  configFile: false,
  sourceMaps: 'inline',
  module: { type: 'es6', strictMode: true, noInterop: true },
  jsc: {
    parser: { syntax: 'typescript', tsx: false, dynamicImport: true, importAssertions: true },
    target: 'es2022',
    keepClassNames: true,
    transform: { useDefineForClassFields: true },
    experimental: { keepImportAttributes: true, emitAssertForImportAttributes: false },
  },
});

let swc;

/** The JavaScript for one TypeScript file: from the cache, or compiled and then cached. */
async function compile(filename, source) {
  const key = createHash('sha256').update(`${SWC_VERSION}\0${filename}\0${source}`).digest('hex');
  const cached = `${CACHE}${key}.js`;
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not compiled yet
  }
  swc ??= (await import('@swc/core')).default;
  const { code } = await swc.transform(source, options(filename));
  try {
    mkdirSync(CACHE, { recursive: true });
    const partial = `${cached}.${process.pid}-${threadId}`;
    writeFileSync(partial, code);
    renameSync(partial, cached);
  } catch {
    // a cache that cannot be written only costs time
  }
  return code;
}

export async function resolve(specifier, context, next) {
  if ((specifier.startsWith('./') || specifier.startsWith('../')) && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
    const target = new URL(specifier, context.parentURL);
    if (!existsSync(target)) {
      const ts = new URL(target.href.replace(/\.js$/, '.ts'));
      if (existsSync(ts)) return next(specifier.replace(/\.js$/, '.ts'), context);
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname)) return next(url, context);
  const filename = fileURLToPath(url);
  const source = await readFile(filename, 'utf8');
  return { format: 'module', source: await compile(filename, source), shortCircuit: true };
}
