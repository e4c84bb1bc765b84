/**
 * Where the spans of a shell script end that the lexer reads as a whole: `$(…)` and `<(…)`,
 * `${…}`, bash's `$'…'` and here-document bodies. Pure functions of the script text and a
 * position; each scans forward only, so reading a script stays linear.
 */

/** A here-document opened on the current line: its body runs up to a line equal to `delimiter`. */
export interface Heredoc {
  delimiter: string;
  /** `<<-`: leading tabs are removed from body lines before comparing with the delimiter. */
  strip: boolean;
}

/** The `$'…'` escapes decoded; a manifest plausibly uses no others, and the rest stay as written. */
const ANSI_C_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['\\', '\\'],
  ["'", "'"],
  ['"', '"'],
]);

/**
 * Index just past the `)` that closes the `(` at `open` in `src`, skipping quoted text and
 * backslash escapes; `src.length` when it is never closed. Used for `$(…)`, `$((…))` and
 * `<(…)` `>(…)`, whose contents are not read (XCU 2.6.3 and 2.6.4; Bash Reference Manual 3.5.6).
 */
export function closeParen(src: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      i = end === -1 ? src.length : end;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
    i++;
  }
  return src.length;
}

/**
 * Index of the `}` that closes the `{` of a `${` at `open` in `src`, skipping single-quoted text
 * and backslash escapes, or -1 when there is none (an unterminated `${`, or a `'` never closed
 * inside it). Rule: XCU 2.6.2, the closing brace is found after nested quotes and expansions.
 */
export function closeBrace(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end === -1) return -1;
      i = end;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Decodes bash ANSI-C quoting (Bash Reference Manual 3.1.2.4) from `start`, the index just after
 * `$'`. Returns the text and `end`, the index just past the closing `'` (past the end of `src`
 * when it is missing). Only `\n \t \r \\ \' \"` are decoded; other escapes keep their backslash.
 */
export function decodeAnsiC(src: string, start: number): { text: string; end: number } {
  let i = start;
  let text = '';
  while (i < src.length && src[i] !== "'") {
    const c = src[i] as string;
    if (c === '\\' && i + 1 < src.length) {
      const e = src[i + 1] as string;
      text += ANSI_C_ESCAPES.get(e) ?? `\\${e}`;
      i += 2;
    } else {
      text += c;
      i++;
    }
  }
  return { text, end: i + 1 };
}

/**
 * Index just past the bodies of `heredocs`, read in order from `pos` (the start of the line after
 * the one that opened them), each up to and including its delimiter line (XCU 2.7.4). A body
 * without its delimiter runs to the end of `src`; the index may then be past `src.length`.
 */
export function skipHeredocBodies(src: string, pos: number, heredocs: readonly Heredoc[]): number {
  let i = pos;
  for (const { delimiter, strip } of heredocs) {
    while (i < src.length) {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      let line = src.slice(i, stop);
      if (strip) line = line.replace(/^\t+/, '');
      i = stop + 1;
      if (line === delimiter) break;
    }
  }
  return i;
}
