/**
 * Just enough of Python's lexical structure to read argparse calls and dataclass fields as text:
 * bracket matching that skips strings and comments, top-level comma splitting, and string, number
 * and list literals. It does not evaluate code; anything that is not a literal comes back as null,
 * and the extractor records such values as unknown.
 */

const OPEN = '([{';
const CLOSE = ')]}';

/** Index just past the string literal starting at `i` (a quote character), triple quotes included. */
function skipString(src: string, i: number): number {
  const q = src[i] as string;
  const triple = src.startsWith(q.repeat(3), i);
  const end = triple ? q.repeat(3) : q;
  let j = i + end.length;
  while (j < src.length) {
    if (src[j] === '\\') j += 2;
    else if (src.startsWith(end, j)) return j + end.length;
    else if (!triple && src[j] === '\n') return j;
    else j++;
  }
  return j;
}

/**
 * Index of the bracket closing the one at `open` (which must be `(`, `[` or `{`), or -1.
 * Strings and comments are skipped, so brackets inside help texts do not count.
 */
export function matchBracket(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; ) {
    const c = src[i] as string;
    if (c === '"' || c === "'") {
      i = skipString(src, i);
      continue;
    }
    if (c === '#') {
      const nl = src.indexOf('\n', i);
      i = nl === -1 ? src.length : nl;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return -1;
}

/** Splits `text` at top-level occurrences of `sep` (outside brackets, strings and comments). */
export function splitTopLevel(text: string, sep = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; ) {
    const c = text[i] as string;
    if (c === '"' || c === "'") {
      i = skipString(text, i);
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  parts.push(text.slice(start));
  return parts.map(stripComments).map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Removes `# …` comments (outside strings) from a fragment. */
export function stripComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i] as string;
    if (c === '"' || c === "'") {
      const j = skipString(text, i);
      out += text.slice(i, j);
      i = j;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const STRING_PART = /^\s*([rRbBuU]?)(['"])/;

/**
 * The value of a string literal expression, including implicit concatenation (`"a" "b"`) and
 * parentheses around it; null for f-strings with placeholders or anything that is not a literal.
 */
export function parseStringLiteral(expr: string): string | null {
  let text = expr.trim();
  while (text.startsWith('(') && matchBracket(text, 0) === text.length - 1) text = text.slice(1, -1).trim();
  let out = '';
  let i = 0;
  let any = false;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    const m = STRING_PART.exec(text.slice(i));
    if (!m) return null;
    const prefix = m[1] as string;
    const start = i + prefix.length;
    const end = skipString(text, start);
    const q = text[start] as string;
    const triple = text.startsWith(q.repeat(3), start);
    const body = text.slice(start + (triple ? 3 : 1), end - (triple ? 3 : 1));
    out += prefix.toLowerCase() === 'r' ? body : body.replace(/\\(.)/g, '$1');
    any = true;
    i = end;
  }
  return any ? out : null;
}

/** A literal element: a string, an int, None (as 'None'), True/False; null otherwise. */
export function parseScalarLiteral(expr: string): string | null {
  const text = expr.trim();
  if (/^-?\d+$/.test(text)) return String(Number(text));
  if (text === 'None' || text === 'True' || text === 'False') return text;
  return parseStringLiteral(text);
}

/** `["a", 'b', 8]` or `("a", "b")` → their values as strings; null when any element is not a literal. */
export function parseLiteralList(expr: string): string[] | null {
  const text = expr.trim();
  if (!/^[[(]/.test(text) || matchBracket(text, 0) !== text.length - 1) return null;
  const items: string[] = [];
  for (const part of splitTopLevel(text.slice(1, -1))) {
    const value = parseScalarLiteral(part);
    if (value === null) return null;
    items.push(value);
  }
  return items;
}

/** Every call `<receiver>.<method>(…)` in `src`: receiver name, argument text and offset. */
export function findCalls(src: string, method: string): { receiver: string; args: string; at: number }[] {
  const out: { receiver: string; args: string; at: number }[] = [];
  const re = new RegExp(`([A-Za-z_][\\w.]*)\\.${method}\\(`, 'g');
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const open = m.index + m[0].length - 1;
    const close = matchBracket(src, open);
    if (close === -1) break;
    out.push({ receiver: m[1] as string, args: src.slice(open + 1, close), at: m.index });
    re.lastIndex = close;
  }
  return out;
}
