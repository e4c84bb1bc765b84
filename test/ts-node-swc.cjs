// tap runs the TypeScript tests through ts-node (the @tapjs/typescript plugin). tsconfig.json's
// "ts-node" section makes ts-node transpile with swc, a native compiler, through this module:
// the TypeScript compiler's transpileModule cost 2-3 s of CPU in each test process that loads
// the server or the CLI, about a third of the suite. swc drops import attributes unless told to
// keep them, and Node needs `with { type: 'json' }` on a JSON import, so they are kept here.
// Types are checked by `npm run typecheck`, never by the test run.
const swc = require('@swc/core');

module.exports = {
  ...swc,
  transformSync(source, options = {}) {
    const jsc = options.jsc ?? {};
    const experimental = { ...jsc.experimental, keepImportAttributes: true, emitAssertForImportAttributes: false };
    return swc.transformSync(source, { ...options, jsc: { ...jsc, experimental } });
  },
};
