/**
 * Classes, dataclass fields, enums and module-level aliases of Python sources read as text, for
 * the parts of vLLM's config classes that `get_kwargs` turns into command-line options.
 */
import { matchBracket, parseLiteralList, parseStringLiteral, splitTopLevel } from './python-text.js';

export interface PyField {
  name: string;
  annotation: string;
}

export interface PyClass {
  name: string;
  bases: string[];
  fields: PyField[];
  isDataclass: boolean;
  /** Values of `NAME = "value"` members when a base is an Enum. */
  enumValues: string[] | null;
  path: string;
}

export interface PyModuleIndex {
  classes: Map<string, PyClass>;
  /** Top-level `Name = <expr>` and `Name: TypeAlias = <expr>` assignments. */
  aliases: Map<string, string>;
}

interface Statement {
  indent: number;
  text: string;
}

/** Splits source into logical statements (bracket and string continuation joined). */
export function statements(src: string): Statement[] {
  const out: Statement[] = [];
  let i = 0;
  while (i < src.length) {
    let lineStart = i;
    let indent = 0;
    while (src[i] === ' ' || src[i] === '\t') {
      indent++;
      i++;
    }
    if (src[i] === '\n' || src[i] === '#' || i >= src.length) {
      const nl = src.indexOf('\n', i);
      i = nl === -1 ? src.length : nl + 1;
      continue;
    }
    let depth = 0;
    let j = i;
    for (; j < src.length; j++) {
      const c = src[j] as string;
      if (c === '"' || c === "'") {
        const q = c;
        const triple = src.startsWith(q.repeat(3), j);
        const end = triple ? q.repeat(3) : q;
        j += end.length;
        while (j < src.length && !src.startsWith(end, j)) j += src[j] === '\\' ? 2 : 1;
        j += end.length - 1;
        continue;
      }
      if (c === '#') {
        while (j < src.length && src[j] !== '\n') j++;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      if ((src[j] === '\n' && depth <= 0 && src[j - 1] !== '\\') || j >= src.length) break;
    }
    out.push({ indent, text: src.slice(i, j).trim() });
    i = j + 1;
    lineStart = i;
    void lineStart;
  }
  return out;
}

/** `name: annotation = default` → [name, annotation], or null when the statement is not a field. */
function parseField(text: string): PyField | null {
  const m = /^([A-Za-z_]\w*)\s*:(?!=)/.exec(text);
  if (!m) return null;
  const rest = text.slice(m[0].length);
  // The annotation ends at the first top-level `=` that is not part of a comparison.
  let depth = 0;
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] as string;
    if (c === '"' || c === "'") {
      const close = rest.indexOf(c, i + 1);
      i = close === -1 ? rest.length : close;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === '=' && depth === 0 && !'=<>!'.includes(rest[i - 1] ?? '') && rest[i + 1] !== '=') {
      end = i;
      break;
    }
  }
  const annotation = rest.slice(0, end).trim();
  if (/^(?:ClassVar|InitVar|typing\.ClassVar)\b/.test(annotation)) return null;
  return { name: m[1] as string, annotation };
}

/** Reads classes and top-level aliases of one file into `index`. */
export function indexModule(path: string, src: string, index: PyModuleIndex): void {
  const stmts = statements(src);
  let decorators: string[] = [];
  for (let k = 0; k < stmts.length; k++) {
    const s = stmts[k] as Statement;
    if (s.text.startsWith('@')) {
      decorators.push(s.text);
      continue;
    }
    const cls = /^class\s+([A-Za-z_]\w*)\s*(\(|:)/.exec(s.text);
    if (cls) {
      let bases: string[] = [];
      if (cls[2] === '(') {
        const open = s.text.indexOf('(');
        const close = matchBracket(s.text, open);
        bases = splitTopLevel(s.text.slice(open + 1, close)).filter((b) => !b.includes('='));
      }
      const body: Statement[] = [];
      let m = k + 1;
      for (; m < stmts.length && (stmts[m] as Statement).indent > s.indent; m++) body.push(stmts[m] as Statement);
      const bodyIndent = body[0]?.indent ?? s.indent + 4;
      const top = body.filter((b) => b.indent === bodyIndent);
      const isEnum = bases.some((b) => /Enum\b/.test(b));
      const fields = isEnum ? [] : top.map((b) => parseField(b.text)).filter((f): f is PyField => f !== null);
      let enumValues: string[] | null = null;
      if (isEnum) {
        enumValues = [];
        for (const b of top) {
          const em = /^([A-Z_][A-Z0-9_]*)\s*=\s*(.+)$/s.exec(b.text);
          const value = em ? parseStringLiteral(em[2] as string) : null;
          if (value !== null) enumValues.push(value);
        }
      }
      const isDataclass = decorators.some((d) => /dataclass|^@config\b/.test(d));
      if (!index.classes.has(cls[1] as string) || s.indent === 0) {
        index.classes.set(cls[1] as string, { name: cls[1] as string, bases, fields, isDataclass, enumValues, path });
      }
      decorators = [];
      continue;
    }
    decorators = [];
    if (s.indent !== 0) continue;
    const alias = /^([A-Za-z_]\w*)\s*(?::\s*[\w.[\], ]+)?\s*=\s*(.+)$/s.exec(s.text);
    if (alias && !(alias[2] as string).startsWith('=')) index.aliases.set(alias[1] as string, (alias[2] as string).trim());
  }
}

/** Fields of `name` including inherited dataclass fields (bases first, as `dataclasses.fields`). */
export function classFields(index: PyModuleIndex, name: string, depth = 0): PyField[] {
  const cls = index.classes.get(name);
  if (!cls || depth > 8) return [];
  const inherited = cls.bases.flatMap((b) => classFields(index, b.trim(), depth + 1));
  const own = new Map(cls.fields.map((f) => [f.name, f]));
  return [...inherited.filter((f) => !own.has(f.name)), ...cls.fields];
}

/** A list constant such as `DEVICE_OPTIONS = ["auto", "cuda"]`, or null. */
export function listConstant(index: PyModuleIndex, name: string): string[] | null {
  const expr = index.aliases.get(name);
  return expr ? parseLiteralList(expr) : null;
}
