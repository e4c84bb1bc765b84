/**
 * The functions every generated check (check-code.ts) may call by name, as text for the generated
 * module (precompile.ts): array items by index, the `$data` keywords, and ajv's runtime helpers.
 * The module's `link` passes them by name (CHECK_RUNTIME_NAMES) to the function the engine
 * assembles from the checks of one container role (engine/evaluate/screen.ts).
 * @module
 */

/** The helpers every generated check may call (array items by index, as ajv's code loops). */
export const CHECK_HELPERS = [
  'function every(list, check, root) { for (let i = 0; i < list.length; i++) if (!check(list[i], root)) return false; return true; }',
  'function some(list, check, root) { for (let i = 0; i < list.length; i++) if (check(list[i], root)) return true; return false; }',
  // `$data` keywords as ajv's code answers them: an absent reference passes, a reference of the wrong
  // type fails; `equal` is ajv's deep equality (fast-deep-equal, NaN equal to NaN).
  'function dataConst(d, s) { return s === undefined || equal(d, s); }',
  'function dataEnum(d, s) { if (s === undefined) return true; if (!Array.isArray(s)) return false; for (const v of s) if (equal(d, v)) return true; return false; }',
  'function dataRequired(d, s) { if (s === undefined) return true; if (!Array.isArray(s)) return false; for (const m of s) if (d[m] === undefined) return false; return true; }',
  'function dataMinimum(d, s) { return s === undefined || (typeof s === "number" && !(d < s || isNaN(d))); }',
  'function dataMaximum(d, s) { return s === undefined || (typeof s === "number" && !(d > s || isNaN(d))); }',
  'function dataExclusiveMinimum(d, s) { return s === undefined || (typeof s === "number" && !(d <= s || isNaN(d))); }',
  'function dataExclusiveMaximum(d, s) { return s === undefined || (typeof s === "number" && !(d >= s || isNaN(d))); }',
].join('\n');

/** What the checks need from the generated module: ajv's deep equality and string length (code points), as its standalone code requires them. */
export const CHECK_REQUIRES = 'const equal = require("ajv/dist/runtime/equal").default;\nconst ucs2length = require("ajv/dist/runtime/ucs2length").default;';

/** The names CHECK_HELPERS and CHECK_REQUIRES declare, in a fixed order. */
export const CHECK_RUNTIME_NAMES: readonly string[] = ['every', 'some', 'dataConst', 'dataEnum', 'dataRequired', 'dataMinimum', 'dataMaximum', 'dataExclusiveMinimum', 'dataExclusiveMaximum', 'equal', 'ucs2length'];
