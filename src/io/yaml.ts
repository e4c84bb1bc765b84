/** YAML and JSON documents with the line numbers a person needs to find a problem. */
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';

export interface SourceDocument {
  /** 1-based index of the document in its file. */
  index: number;
  value: unknown;
  /** 1-based line where the document starts. */
  line: number;
  /** Set when the document could not be parsed; value is then undefined. */
  error?: { message: string; line: number };
  /** Line of a dotted field path inside the document, when it can be found (a function property: callers pass it around detached). */
  lineOf: (path: readonly (string | number)[]) => number;
}

// A document may carry hostile nesting or aliases; the yaml package bounds alias expansion.
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, maxAliasCount: 100 } as const;

function nodeAt(doc: Document, path: readonly (string | number)[]): Node | null {
  let node: unknown = doc.contents;
  let last: Node | null = doc.contents ?? null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return last;
      node = pair.value;
      last = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!node) return last;
      last = node as Node;
    } else {
      return last;
    }
  }
  return last;
}

/** Splits a file into documents; a broken document is reported and the others still parse. */
export function parseDocuments(text: string): SourceDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  const list = Array.isArray(docs) ? docs : [];
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  return list.map((doc, i) => {
    const line = lineAt(doc.contents?.range?.[0] ?? doc.range[0]);
    const base = {
      index: i + 1,
      line,
      lineOf: (path: readonly (string | number)[]) => lineAt(nodeAt(doc, path)?.range?.[0]),
    };
    const first = doc.errors[0];
    if (first) {
      const errorLine = first.linePos?.[0].line ?? lineAt(first.pos[0]);
      return { ...base, value: undefined, error: { message: first.message.split('\n')[0] ?? 'invalid YAML', line: errorLine } };
    }
    try {
      return { ...base, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
    } catch (err: unknown) {
      const message = err instanceof Error ? err.message : String(err);
      return { ...base, value: undefined, error: { message, line } };
    }
  });
}
