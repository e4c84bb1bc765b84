/**
 * The fast path of parseDocuments (yaml.ts): js-yaml 4 builds the values (4.4× less CPU than the
 * `yaml` package's parseAllDocuments + checks + toJS on 1,000 example files in a fresh process,
 * 6× once warm), and its `listener` option records where each node starts (yaml-nodes.ts), so
 * line and column are found without a second parse.
 *
 * It answers only files whose meaning it is sure to share with the `yaml` package path, and
 * returns null for anything else, which yaml.ts then parses as before (same values, same errors,
 * same messages): a file js-yaml rejects (every syntax error, duplicate keys, nesting beyond
 * js-yaml's maxDepth 100, which is below MAX_YAML_DEPTH), anchors and aliases (the alias bound),
 * tags, `<<` merge keys, `__proto__`, directives, a byte-order mark, a bare CR line break, keys
 * that are null or collections (the two parsers name those keys differently). Plain scalars
 * resolve through YAML_CORE_SCHEMA, the `yaml` package's core schema rules.
 *
 * A position it cannot give exactly (a node with no content, a sequence with an empty entry, a
 * flow pair) is asked of the `yaml` package, parsing that file once, only then.
 * test/io/yaml-fast.test.ts compares both paths over every YAML file of the repository.
 * @module
 */
import type { SourceDocument } from './yaml.js';
import { compose, EMPTY, isWrapper, keyName, linkChildren, MAPPING, SEQUENCE, skipSeparation, skipSpaces, type Nodes } from './yaml-nodes.js';

type Path = readonly (string | number)[];

/**
 * Text the fast path leaves to the `yaml` package: a bare CR (a line break for js-yaml, not for
 * the `yaml` package's line counter), directives, content on a `---` line (a block collection
 * there is an error for the `yaml` package only), and a comment glued to a quoted scalar or flow
 * collection (`"x"#c`, an error for the `yaml` package only). Over-matching (`'#` inside a
 * string) only costs speed. Tags, merge keys and `__proto__` keys are found on the nodes
 * (linkChildren in yaml-nodes.ts).
 */
const UNSUPPORTED = /\r(?!\n)|^%|^---[ \t]+[^\s#]|["'\]}]#/m;

/**
 * For an empty document opened at `offset`: the offset just after the `---` that starts it, when
 * only blank and comment lines lie between; undefined otherwise (a stream of comments only, which
 * js-yaml reads as one empty document and the `yaml` package as none).
 */
function documentMarkerEnd(text: string, offset: number): number | undefined {
  let lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  for (;;) {
    const line = text.slice(lineStart, text.indexOf('\n', lineStart) === -1 ? text.length : text.indexOf('\n', lineStart));
    if (/^---(?:[ \t\r]|$)/.test(line) && lineStart < offset) return lineStart + 3;
    if (lineStart < offset && !/^[ \t]*(?:#.*)?\r?$/.test(line)) return undefined;
    if (lineStart === 0) return undefined;
    // lineStart - 1 is the line break ending the previous line.
    lineStart = lineStart === 1 ? 0 : text.lastIndexOf('\n', lineStart - 2) + 1;
  }
}

/** 1-based line and column of offsets, as the `yaml` package's LineCounter gives them. */
function lineTable(text: string): (offset: number) => { line: number; column: number } {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] as number) + 1 };
  };
}

/**
 * Reads node positions of one parsed file; `undefined` means "ask the slow path". It keeps only
 * what position lookups read, in typed arrays (per node: start, parent, kind, the node a wrapper
 * stands for, its children's slice of one flat list) and the key names of mapping children: the
 * node table compose() builds (six arrays of one slot per node and an array per collection) is
 * left to die young. Kept for the whole run, that table was copied by every scavenge during the
 * parse: about a fifth of the CPU of reading 1,000 files (bench/PROFILE.md, step C3).
 */
class PositionIndex {
  private readonly start: Int32Array;
  private readonly parent: Int32Array;
  private readonly kind: Uint8Array;
  /** The node itself, or for a wrapper (a collection whose only child is itself) what it wraps. */
  private readonly target: Int32Array;
  /** Children of node i are childIds[childStart[i] .. childStart[i + 1]). */
  private readonly childStart: Int32Array;
  private readonly childIds: Int32Array;
  /** keyName of each mapping child (aligned with childIds; null elsewhere). */
  private readonly keyNames: (string | null)[];
  private readonly unsure: ReadonlySet<number>;

  constructor(
    private readonly text: string,
    nodes: Nodes,
  ) {
    const count = nodes.parent.length;
    this.start = Int32Array.from(nodes.start);
    this.parent = Int32Array.from(nodes.parent);
    this.kind = Uint8Array.from(nodes.kind);
    this.target = new Int32Array(count);
    this.childStart = new Int32Array(count + 1);
    let total = 0;
    for (let id = 0; id < count; id++) {
      this.childStart[id] = total;
      total += nodes.children[id]?.length ?? 0;
    }
    this.childStart[count] = total;
    this.childIds = new Int32Array(total);
    this.keyNames = new Array<string | null>(total).fill(null);
    // A child opens after its parent (higher id), so its target is known when the parent's is set.
    for (let id = count - 1; id >= 0; id--) {
      const list = nodes.children[id];
      if (!list) {
        this.target[id] = id;
        continue;
      }
      this.target[id] = isWrapper(nodes, id, list) ? (this.target[list[0] as number] as number) : id;
      const from = this.childStart[id] as number;
      const mapping = nodes.kind[id] === MAPPING;
      for (let i = 0; i < list.length; i++) {
        this.childIds[from + i] = list[i] as number;
        if (mapping && i % 2 === 0) this.keyNames[from + i] = keyName(nodes.result[list[i] as number]);
      }
    }
    this.unsure = nodes.unsure;
  }

  deref(id: number): number {
    return this.target[id] as number;
  }

  /**
   * Offset where the node starts, as the `yaml` package's range[0]. A node without content sits
   * where yaml puts its empty scalar: after the `:` of its key (where js-yaml opened it) or the
   * `---` of its document, and the spaces that follow on that line; undefined elsewhere.
   */
  offsetOf(id: number): number | undefined {
    const { kind, start, parent, childStart, childIds } = this;
    if (kind[id] !== EMPTY) return skipSeparation(this.text, start[id] as number);
    const p = parent[id] as number;
    const marker = p === -1 ? documentMarkerEnd(this.text, start[id] as number) : undefined;
    if (p === -1) return marker === undefined ? undefined : skipSpaces(this.text, marker);
    if (kind[p] !== MAPPING) return undefined;
    const from = childStart[p] as number;
    const to = childStart[p + 1] as number;
    for (let i = from; i < to; i++) if (childIds[i] === id) return (i - from) % 2 === 1 ? skipSpaces(this.text, start[id] as number) : undefined;
    return undefined;
  }

  /** The node nodeAt (yaml.ts) finds for `path` from a document's root; undefined when unsure. */
  nodeAt(root: number, path: Path, key: boolean): number | undefined {
    const { kind, childStart, childIds, keyNames } = this;
    let node = this.deref(root);
    let last = node;
    for (const [i, segment] of path.entries()) {
      const from = childStart[node] as number;
      const to = childStart[node + 1] as number;
      if (kind[node] === MAPPING) {
        const name = String(segment);
        let found = -1;
        for (let k = from; k < to; k += 2) {
          if (keyNames[k] === name) {
            found = k;
            break;
          }
        }
        if (found === -1) return last;
        if (key && i === path.length - 1) return childIds[found];
        // A key without its value (an odd list) reads as a missing child, as the table did.
        if (found + 1 >= to) return undefined;
        node = this.deref(childIds[found + 1] as number);
        last = node;
      } else if (kind[node] === SEQUENCE && typeof segment === 'number') {
        if (this.unsure.has(node)) return undefined;
        if (segment < 0 || !Number.isInteger(segment) || from + segment >= to) return last;
        node = this.deref(childIds[from + segment] as number);
        last = node;
      } else {
        return last;
      }
    }
    return last;
  }
}

/**
 * Parses `text` on the fast path, or returns null when the `yaml` package must (see the module
 * comment). `slow` parses the same text on the `yaml` package path; it is called at most once,
 * and only when a position is asked that this path cannot give exactly.
 */
export function parseDocumentsFast(text: string, slow: () => SourceDocument[]): SourceDocument[] | null {
  if (text.charCodeAt(0) === 0xfeff || UNSUPPORTED.test(text)) return null;
  const composed = compose(text);
  if (!composed || !linkChildren(text, composed.nodes)) return null;
  const { values, nodes } = composed;
  const roots: number[] = [];
  for (let id = 0; id < nodes.parent.length; id++) if (nodes.parent[id] === -1) roots.push(id);
  if (roots.length !== values.length) return null;
  const index = new PositionIndex(text, nodes);
  const position = lineTable(text);
  let slowDocs: SourceDocument[] | undefined;
  const fallback = (i: number): SourceDocument => (slowDocs ??= slow())[i] as SourceDocument;
  const docs = values.map((value, i): SourceDocument | null => {
    const root = roots[i] as number;
    const rootOffset = index.offsetOf(index.deref(root));
    if (rootOffset === undefined) return null;
    const find = (path: Path, key: boolean): number | undefined => index.nodeAt(root, path, key);
    const doc: SourceDocument = {
      index: i + 1,
      value,
      line: position(rootOffset).line,
      lineOf: (path) => {
        const id = find(path, false);
        const offset = id === undefined ? undefined : index.offsetOf(id);
        return offset === undefined ? fallback(i).lineOf(path) : position(offset).line;
      },
      keyLineOf: (path) => {
        const id = find(path, true);
        const offset = id === undefined ? undefined : index.offsetOf(id);
        return offset === undefined ? fallback(i).keyLineOf(path) : position(offset).line;
      },
      positionOf: (path) => {
        const id = find(path, false);
        const offset = id === undefined ? undefined : index.offsetOf(id);
        return offset === undefined ? fallback(i).positionOf(path) : position(offset);
      },
    };
    return doc;
  });
  return docs.every((doc) => doc !== null) ? docs : null;
}
