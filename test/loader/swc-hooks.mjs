// Module hooks (node:module register) that run the repository's TypeScript under Node without a
// type checker: a relative import of `x.js` (the NodeNext spelling) finds `x.ts` when no `x.js`
// exists, and a `.ts` module is compiled to JavaScript by swc, with an inline source map so stack
// traces and coverage point at the TypeScript lines. Options follow tsconfig.json: ES2022,
// ES modules kept as they are, import attributes (`with { type: 'json' }`) kept for Node.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const TS = /\.m?ts$/;

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
  const { code } = await swc.transform(source, options(filename));
  return { format: 'module', source: code, shortCircuit: true };
}
