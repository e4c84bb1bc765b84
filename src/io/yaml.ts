/** YAML and JSON documents with the line numbers a person needs to find a problem. */
import { createRequire } from 'node:module';
import type { Document, Node, ScalarTag, Tags } from 'yaml';
import { parseDocumentsFast } from './yaml-fast.js';
import { LEADING_ZERO_OCTAL, leadingZeroOctal } from './yaml-core-schema.js';

/**
 * The `yaml` package, loaded when a file first needs it: most files take the js-yaml fast path, and
 * loading the package took 35–55 ms of every `vllm-guard check` start. Node's module cache keeps one copy.
 */
const yamlLib = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

export interface SourceDocument {
  /** 1-based index of the document in its file. */
  index: number;
  value: unknown;
  /** 1-based line where the document starts. */
  line: number;
  /** Set when the document could not be parsed; value is then undefined. */
  error?: { message: string; line: number };
  /** Line of a dotted field path inside the document, when it can be found. */
  lineOf: (path: readonly (string | number)[]) => number;
  /** Line of the key of a field path (the line to show for a mistyped key), else as lineOf. */
  keyLineOf: (path: readonly (string | number)[]) => number;
  /** Line and 1-based column of a field path, for `file:line:column` locations editors and CI link. */
  positionOf: (path: readonly (string | number)[]) => { line: number; column: number };
}

/**
 * Deepest nesting of maps and sequences a document may have. Kubernetes objects nest about
 * 20 levels (spec.template.spec.affinity…matchExpressions[].values[]); the bound keeps the
 * recursive conversion to plain values (and every reader after it) far from the stack limit.
 */
export const MAX_YAML_DEPTH = 128;
const DEPTH_MESSAGE = `nesting deeper than ${MAX_YAML_DEPTH} levels`;

/**
 * An int written with a leading 0 (`defaultMode: 0755`) is octal, as kubectl reads it: kubectl turns
 * YAML into JSON with sigs.k8s.io/yaml, a fork of go-yaml v2, whose resolve() reads an int with
 * `strconv.ParseInt(plain, 0, 64)` (gopkg.in/yaml.v2 v2.4.0 resolve.go), and base 0 takes a leading
 * 0 as octal. YAML 1.2's core schema reads `0755` as 755, a mode the API server refuses (over 0777):
 * the object checked would not be the one the cluster gets. The js-yaml fast path does the same
 * (yaml-core-schema.ts).
 */
const KUBECTL_OCTAL: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: LEADING_ZERO_OCTAL,
  resolve: leadingZeroOctal,
};

/**
 * The core schema's tags with KUBECTL_OCTAL first, so it is tried before the core int: the
 * `customTags` option of every parse of a manifest (here and cli/fix-text.ts), so that `check` and
 * `fix` review the numbers kubectl sends.
 */
export function withKubectlOctal(tags: Tags): Tags {
  return [KUBECTL_OCTAL, ...tags];
}

/**
 * A document may carry hostile nesting or aliases; the yaml package bounds alias expansion.
 * `uniqueKeys: false` because the package's own check compares every key with every other
 * (quadratic: 30k keys took 15 s); checkKeys below does it in one pass with a Set.
 * `merge: true` expands `<<` merge keys (YAML 1.1) as kubectl does, so the object checked is
 * the object the API server receives (merge-keys.yaml gave 0 denials instead of 5). One known
 * difference: a key written before the `<<` line is overwritten by the merged map in kubectl's
 * go-yaml v2 and kept here (docs/limits.md).
 */
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false, merge: true, maxAliasCount: 100, customTags: withKubectlOctal } as const;

/** The node at path; with `key`, the key of the last segment when it is a map key (where a typo'd key is). */
function nodeAt(lib: typeof import('yaml'), doc: Document, path: readonly (string | number)[], key = false): Node | null {
  const { isMap, isScalar, isSeq } = lib;
  let node: unknown = doc.contents;
  let last: Node | null = (doc.contents) ?? null;
  for (const [i, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return last;
      if (key && i === path.length - 1) return pair.key as Node;
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

interface KeyProblem {
  message: string;
  /** Character offset, for the line. */
  offset: number | undefined;
}

/**
 * A mapping or list used as a key: what an unquoted `{{ .Values.x }}` parses to. kubectl's YAML
 * decoder (go-yaml) refuses it ("yaml: invalid map key"), so the document never reaches the API
 * server; the `yaml` package would turn the key into text and print a warning on stderr.
 */
const COLLECTION_KEY_MESSAGE =
  'a mapping or list is used as a key (an unquoted {{ … }} template?): kubectl refuses it (yaml: invalid map key); quote the value or render the template first';

/**
 * One pass over the node tree (iterative: the tree may be deep): duplicate map keys, keys that are
 * mappings or lists, and nesting beyond MAX_YAML_DEPTH. Aliases are not followed; their target is visited where it
 * is defined. Merge keys (`<<`) may repeat, as YAML 1.1 allows.
 */
function checkKeys(doc: Document): KeyProblem | null {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlLib();
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isAlias(node) || !(isMap(node) || isSeq(node))) continue;
    if (depth > MAX_YAML_DEPTH) return { message: DEPTH_MESSAGE, offset: node.range?.[0] };
    if (isSeq(node)) {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
      continue;
    }
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      if (isScalar(key) && key.value !== '<<') {
        if (seen.has(key.value)) return { message: `Map keys must be unique: ${JSON.stringify(String(key.value)).slice(0, 80)} appears twice`, offset: key.range?.[0] };
        seen.add(key.value);
      } else if (isMap(key) || isSeq(key)) {
        return { message: COLLECTION_KEY_MESSAGE, offset: key.range?.[0] };
      }
      stack.push({ node: pair.value, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Splits a file into documents; a broken document is reported and the others still parse.
 * Most files take the fast path (yaml-fast.ts: js-yaml); anything it is not sure to read as the
 * `yaml` package does is parsed by parseDocumentsWithYaml, so values, errors and positions are
 * the same either way.
 */
export function parseDocuments(text: string): SourceDocument[] {
  return parseDocumentsFast(text, () => parseDocumentsWithYaml(text)) ?? parseDocumentsWithYaml(text);
}

/** parseDocuments on the `yaml` package alone (the reference the fast path is tested against). */
export function parseDocumentsWithYaml(text: string): SourceDocument[] {
  // Looked up once per text: each require() of the package resolves its path again (about 40 µs).
  const lib = yamlLib();
  const { LineCounter, parseAllDocuments } = lib;
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  const list = Array.isArray(docs) ? docs : [];
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  return list.map((doc, i) => {
    const line = lineAt(doc.contents?.range?.[0] ?? doc.range[0]);
    const base = {
      index: i + 1,
      line,
      lineOf: (path: readonly (string | number)[]) => lineAt(nodeAt(lib, doc, path)?.range?.[0]),
      keyLineOf: (path: readonly (string | number)[]) => lineAt(nodeAt(lib, doc, path, true)?.range?.[0]),
      positionOf: (path: readonly (string | number)[]) => {
        const offset = nodeAt(lib, doc, path)?.range?.[0];
        if (offset === undefined) return { line: 1, column: 1 };
        const pos = lineCounter.linePos(offset);
        return { line: pos.line, column: pos.col };
      },
    };
    const first = doc.errors[0];
    if (first) {
      const errorLine = first.linePos?.[0].line ?? lineAt(first.pos[0]);
      // The yaml package composes recursively and reports a stack overflow as a parse error.
      const message = first.message.startsWith('Maximum call stack') ? DEPTH_MESSAGE : (first.message.split('\n')[0] ?? 'invalid YAML');
      return { ...base, value: undefined, error: { message, line: errorLine } };
    }
    const problem = checkKeys(doc);
    if (problem) return { ...base, value: undefined, error: { message: problem.message, line: lineAt(problem.offset) } };
    try {
      return { ...base, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
    } catch (err: unknown) {
      const message = err instanceof Error ? err.message : String(err);
      return { ...base, value: undefined, error: { message, line } };
    }
  });
}
