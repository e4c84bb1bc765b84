// parseDocuments reads most files with js-yaml (src/io/yaml-fast.ts) and the rest with the `yaml`
// package. Users must not be able to tell: for every YAML and JSON file of the repository, for
// edge cases, and for a few hundred mutations of the examples, the documents, values, errors,
// document lines and the line/column of every field path are those of the `yaml` package path.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocuments, parseDocumentsWithYaml, type SourceDocument } from '../../src/io/yaml.js';
import { parseDocumentsFast } from '../../src/io/yaml-fast.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
type Path = (string | number)[];

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) walk(file, out);
    else if (/\.(ya?ml|json)$/i.test(name)) out.push(file);
  }
  return out;
}

/** Every path to a node of the value, plus paths that miss (a key not there, an index past the end, below a scalar). */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
    out.push([...prefix, value.length], [...prefix, 'name']);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
    out.push([...prefix, 'not-a-key'], [...prefix, 0]);
  } else {
    out.push([...prefix, 'below']);
  }
  return out;
}

/** The differences a user could see between two readings of one file (empty when none). */
function differences(actual: SourceDocument[], expected: SourceDocument[]): string[] {
  if (actual.length !== expected.length) return [`${actual.length} documents, expected ${expected.length}`];
  const out: string[] = [];
  expected.forEach((want, i) => {
    const got = actual[i] as SourceDocument;
    const where = `document ${i + 1}`;
    if (got.index !== want.index || got.line !== want.line) out.push(`${where}: index/line ${got.index}/${got.line}, expected ${want.index}/${want.line}`);
    if (!isDeepStrictEqual(got.error, want.error)) out.push(`${where}: error ${JSON.stringify(got.error)}, expected ${JSON.stringify(want.error)}`);
    if (!isDeepStrictEqual(got.value, want.value) || JSON.stringify(got.value) !== JSON.stringify(want.value)) out.push(`${where}: value differs`);
    for (const p of pathsOf(want.value)) {
      const a = [got.lineOf(p), got.keyLineOf(p), got.positionOf(p)];
      const b = [want.lineOf(p), want.keyLineOf(p), want.positionOf(p)];
      if (!isDeepStrictEqual(a, b)) {
        out.push(`${where} ${JSON.stringify(p)}: ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`);
        break;
      }
    }
  });
  return out;
}

/** Fast-path reading with a count of the `yaml` package parses it asked for. */
function fast(text: string): { docs: SourceDocument[] | null; slowParses: () => number } {
  let slowParses = 0;
  const docs = parseDocumentsFast(text, () => {
    slowParses += 1;
    return parseDocumentsWithYaml(text);
  });
  return { docs, slowParses: () => slowParses };
}

/**
 * The two readings a user could get of one text: parseDocuments' (the fast path, or the `yaml`
 * package where the fast path declines) and the `yaml` package's. The reference is parsed once and
 * is also what the fast path gets when it asks for a second parse (its positions), so a text costs
 * one `yaml` package parse instead of up to three; `actual` is parseDocuments(text) exactly.
 */
function readings(text: string): { actual: SourceDocument[]; reference: SourceDocument[]; fastPath: boolean } {
  const reference = parseDocumentsWithYaml(text);
  const docs = parseDocumentsFast(text, () => reference);
  return { actual: docs ?? reference, reference, fastPath: docs !== null };
}

const FILES = ['test', 'examples', 'bench/fixtures'].flatMap((dir) => walk(path.join(ROOT, dir), []));

t.test('every YAML and JSON file of the repository reads the same as with the yaml package', (t) => {
  let taken = 0;
  for (const file of FILES) {
    const { actual, reference, fastPath } = readings(readFileSync(file, 'utf8'));
    if (fastPath) taken += 1;
    t.same(differences(actual, reference), [], path.relative(ROOT, file));
  }
  t.ok(taken > FILES.length / 2, `the fast path read ${taken} of ${FILES.length} files`);
  t.end();
});

t.test('every example takes the fast path and needs no second parse for its positions', (t) => {
  for (const file of walk(path.join(ROOT, 'examples'), [])) {
    const text = readFileSync(file, 'utf8');
    const { docs, slowParses } = fast(text);
    t.ok(docs, `${path.relative(ROOT, file)} is read by js-yaml`);
    for (const doc of docs ?? []) for (const p of pathsOf(doc.value)) doc.positionOf(p);
    t.equal(slowParses(), 0, `${path.relative(ROOT, file)}: positions from the fast path`);
  }
  t.end();
});

// Inputs where the two parsers could part: each must read the same through parseDocuments.
const EDGE_CASES: Record<string, string> = {
  'empty value': 'a:\nb: 1\n',
  'empty value with a comment': 'a: # note\nb: 1\n',
  'empty value with trailing spaces': 'a:   \nb: 1\n',
  'empty values in a nested map': 'env:\n  x:\n  y:\n  z: 1\n',
  'empty document between two': 'a: 1\n---\n---\nb: 2\n',
  'Helm empty template': '---\n# Source: chart/templates/empty.yaml\n---\n# Source: chart/templates/d.yaml\nkind: Deployment\n',
  'trailing document marker': 'a: 1\n---\n',
  'trailing marker and comment': 'a: 1\n---\n# tail\n',
  'document end marker': 'a: 1\n...\n---\nb: 2\n',
  'comments only': '# nothing here\n',
  'blank line and space': '\n ',
  'empty text': '',
  'block scalars': 'a: |\n  text\n  more\nb: >-\n  folded\n  line\nc: |+\n  keep\n\nd: 1\n',
  'block scalars in a sequence': 'args:\n- |\n  x\n- >\n  y\n',
  'quoted keys and values': '\'q\': "v"\n"k": \'w\'\n"a b": "it\'s"\n',
  'escapes': 'a: "\\u00e9\\t\\x41"\nb: \'it\'\'s\'\nc: "line\\\n  continued"\n',
  'flow collections': 'a: {b: 1, c: [1, 2, {d: e}]}\nargs: ["--x", "y"]\n',
  'flow items in a block sequence': '- [a, b]\n- {c: d}\n- []\n- {}\n- - x\n  - y\n',
  'JSON document': '{\n  "a": [\n    1,\n    {"b": 2}\n  ]\n}\n',
  'multi-line flow in a block map': 'args: [\n  "--a",\n  "--b"\n]\n',
  'multi-line plain and quoted scalars': 'a: multi\n  line\nb: "multi\n  line"\nc: \'x\n\n  y\'\n',
  'CRLF line breaks': 'a:\r\n  b: 1\r\n  c:\r\n  - x\r\n  d: |\r\n    t\r\n',
  'bare CR': 'a: 1\rb: 2\n',
  'core schema scalars': 'a: 0o17\nb: 0x1F\nc: +12\nd: 1e999\ne: .inf\nf: -.INF\ng: .nan\nh: 0b11\ni: 1_000\nj: 012\nk: -0\nl: 1.\nm: .5\nn: yes\no: ~\np: Null\nq: 99999999999999999999999\nr: TRUE\ns: 1.5e3\n',
  'number keys': '1: a\n2.50: b\ntrue: c\n',
  'null key': 'null: a\n',
  'tilde key': '~: a\n',
  'collection key': '[a]: 1\n',
  'explicit key': '? a\n: 1\n',
  'empty sequence entry': '- a\n-\n- c\n',
  'flow pair': 'a: [b: 1]\n',
  'flow pair without a key': '["a", : "4", "b"]\n',
  'non-specific tag after a JSON colon': '{"a":! 10}\n',
  'flow key without value': 'a: {b}\n',
  'anchor and alias': 'a: &x 1\nb: *x\n',
  'alias bomb': 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n',
  'tag': 'a: !!str 1\nb: !custom x\n',
  'core tag on a value': 'a: !!int "5"\n',
  'tag on a key': '!!str a: b\n',
  'tag in a sequence': '- !!str 1\n',
  'tag in flow': 'a: {b: !!float 1, c: [!!str 2]}\n',
  'tag on a nested map': 'a: !!map\n  b: 1\n',
  'template braces with a bang': 'message: "{{!x}} and {{!y|none}}"\nplain: a{{!b}}\n',
  'merge key': 'base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n',
  'proto key': '__proto__: {a: 1}\n',
  'quoted proto key': '"__proto__": 1\nb: {"__proto__": 2}\n',
  'merge key in flow': 'a: {x: 1}\nb: {<<: {y: 2}, z: 3}\n',
  'quoted merge key': '"<<": {a: 1}\n',
  'heredoc in a script': 'args:\n- |\n  cat <<EOF > /tmp/x\n  a\n  EOF\n',
  'directive': '%YAML 1.1\n---\na: yes\n',
  'byte-order mark': '\ufeffa: 1\n',
  'duplicate key': 'a: 1\nb: 2\na: 3\n',
  'duplicate key in flow': 'a: {b: 1, b: 2}\n',
  'long implicit key': `${'k'.repeat(1100)}: v\n`,
  'comment glued to a quoted scalar': 'a: "x"#c\n',
  'comment glued to a flow sequence': 'a: [1, 2]#c\n',
  'flow sequence not indented': 'a: [\nb]\n',
  'flow map not indented': 'a: {\nb: 1}\n',
  'mapping on the --- line': '--- a: 1\n',
  'scalar on the --- line': '--- text\n',
  'tab indentation': 'a:\n\tb: 1\n',
  'tab after the colon': 'a:\t1\n',
  'unterminated string': 'a: "open\n',
  'bad indentation': 'a: 1\n  b: 2\n',
  'nested compact mapping': 'a: b: c\n',
  'sequence on a key line': 'a: - b\n',
  'reserved character': 'a: @x\n',
  'deep nesting': `${'['.repeat(140)}${']'.repeat(140)}\n`,
  'nesting just under js-yaml depth': `${'['.repeat(95)}1${']'.repeat(95)}\n`,
  'unicode': 'a: 😀\nb: "😀x"\nc: é\n',
};

t.test('edge cases read the same as with the yaml package', (t) => {
  for (const [name, text] of Object.entries(EDGE_CASES)) {
    t.same(differences(parseDocuments(text), parseDocumentsWithYaml(text)), [], name);
  }
  t.end();
});

t.test('what the fast path does not share with the yaml package is left to it', (t) => {
  const refused = ['flow pair', 'flow pair without a key', 'non-specific tag after a JSON colon', 'bare CR', 'null key', 'tilde key', 'collection key', 'flow key without value', 'anchor and alias', 'alias bomb', 'tag', 'core tag on a value', 'tag on a key', 'tag in a sequence', 'tag in flow', 'tag on a nested map', 'merge key', 'proto key', 'quoted proto key', 'merge key in flow', 'quoted merge key', 'directive', 'byte-order mark', 'duplicate key', 'duplicate key in flow', 'long implicit key', 'comment glued to a quoted scalar', 'comment glued to a flow sequence', 'flow sequence not indented', 'flow map not indented', 'mapping on the --- line', 'multi-line flow in a block map', 'deep nesting', 'comments only', 'blank line and space'];
  for (const name of refused) t.equal(fast(EDGE_CASES[name] as string).docs, null, name);
  t.end();
});

t.test('a `!` or `<<` inside a string is not a tag or merge key: the file takes the fast path', (t) => {
  t.ok(fast(EDGE_CASES['template braces with a bang'] as string).docs);
  t.ok(fast(EDGE_CASES['heredoc in a script'] as string).docs, 'nor is a `<<` inside a string a merge key');
  t.end();
});

t.test('positions the fast path cannot give exactly are asked of the yaml package, once per file', (t) => {
  const seq = fast(EDGE_CASES['empty sequence entry'] as string);
  const doc = seq.docs?.[0];
  t.ok(doc, 'values from js-yaml');
  t.same(doc?.positionOf([2]), { line: 3, column: 3 });
  t.same(doc?.positionOf([1]), { line: 2, column: 2 }, 'an empty entry: after its `-`, as the yaml package answers');
  t.equal(seq.slowParses(), 1);
  const empty = fast(EDGE_CASES['empty value with a comment'] as string);
  t.same(empty.docs?.[0]?.positionOf(['a']), { line: 1, column: 4 }, 'an empty value sits after `: `');
  t.equal(empty.slowParses(), 0);
  t.end();
});

t.test('errors name the same line and say the same', (t) => {
  const [doc] = parseDocuments('kind: Deployment\nspec:\n  replicas: 1\n  replicas: 2\n');
  t.same(doc?.error, { message: 'Map keys must be unique: "replicas" appears twice', line: 4 });
  const [bomb] = parseDocuments(EDGE_CASES['alias bomb'] as string);
  t.match(bomb?.error?.message, /alias/i, 'the alias bound still applies');
  const [deep] = parseDocuments(EDGE_CASES['deep nesting'] as string);
  t.same(deep?.error, { message: 'nesting deeper than 128 levels', line: 1 });
  // GKE's vLLM samples (ai-ml/llm-serving-llama/vllm/*.yaml) write `hf_api_token: {{HF_TOKEN}}` for sed to fill.
  const [template, next] = parseDocuments('kind: Secret\nstringData:\n  hf_api_token: {{HF_TOKEN}}\n---\nkind: ConfigMap\n');
  t.same(template?.error, {
    message: 'a mapping or list is used as a key (an unquoted {{ … }} template?): kubectl refuses it (yaml: invalid map key); quote the value or render the template first',
    line: 3,
  }, 'kubectl refuses it too: an error with its line, not a warning on stderr and a key made of text');
  t.same(next?.value, { kind: 'ConfigMap' }, 'the next document still reads');
  t.end();
});

// Seeded mutations of the examples (deleted and inserted characters, duplicated, dropped and
// re-indented lines): most are broken YAML, which must still break exactly as before.
t.test('mutated examples read the same as with the yaml package', (t) => {
  const texts = walk(path.join(ROOT, 'examples'), []).map((file) => readFileSync(file, 'utf8'));
  const CHARS = [':', '#', '-', '[', ']', '{', '}', '"', "'", ' ', '\n', '\t', '!', '&', '*', '|', '>', ',', '?', '%', '@', '~', '0', '.', '\r', '\\'];
  let seed = 20261129;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let taken = 0;
  for (let round = 0; round < 400; round++) {
    let text = texts[random(texts.length)] as string;
    for (let edits = 1 + random(3); edits > 0; edits--) {
      const at = random(text.length);
      const lines = text.split('\n');
      const line = random(lines.length);
      switch (random(5)) {
        case 0:
          text = text.slice(0, at) + text.slice(at + 1);
          break;
        case 1:
          text = text.slice(0, at) + (CHARS[random(CHARS.length)] as string) + text.slice(at);
          break;
        case 2:
          lines.splice(line, 0, lines[line] as string);
          text = lines.join('\n');
          break;
        case 3:
          lines[line] = random(2) === 0 ? ` ${lines[line] as string}` : (lines[line] as string).replace(/^ /, '');
          text = lines.join('\n');
          break;
        default:
          lines.splice(line, 1);
          text = lines.join('\n');
      }
    }
    const { actual, reference, fastPath } = readings(text);
    if (fastPath) taken += 1;
    const found = differences(actual, reference);
    if (found.length > 0) t.fail(`mutation ${round}: ${found.join('; ')}\n${text}`);
  }
  t.ok(taken > 100, `the fast path read ${taken} of 400 mutations`);
  t.end();
});
