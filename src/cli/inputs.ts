/** Reads check inputs: files, directories (recursive) and stdin, into documents with their source. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeError } from '../errors.js';
import { parseDocuments } from '../io/yaml.js';

export interface InputObject {
  /** file#document, or file#document.items[i] for a List item. */
  source: string;
  file: string;
  object: unknown;
  /** Line of a path inside the object (segments relative to the object). */
  lineOf(segments: readonly (string | number)[]): number;
}

export interface InputError {
  source: string;
  line?: number;
  message: string;
}

const MANIFEST = /\.(ya?ml|json)$/i;
// Inputs larger than this are refused rather than parsed: a manifest is never this big.
const MAX_FILE_BYTES = 32 * 1024 * 1024;

function listFiles(target: string, errors: InputError[]): string[] {
  let stat;
  try {
    stat = statSync(target);
  } catch (err: unknown) {
    errors.push({ source: target, message: `cannot read: ${describeError(err)}` });
    return [];
  }
  if (!stat.isDirectory()) return [target];
  const out: string[] = [];
  for (const entry of readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = path.join(target, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(child, errors));
    else if (MANIFEST.test(entry.name)) out.push(child);
  }
  return out;
}

function readText(file: string, stdin: () => string, errors: InputError[]): string | null {
  try {
    if (file === '-') return stdin();
    if (statSync(file).size > MAX_FILE_BYTES) {
      errors.push({ source: file, message: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; not checked` });
      return null;
    }
    return readFileSync(file, 'utf8');
  } catch (err: unknown) {
    errors.push({ source: file, message: `cannot read: ${describeError(err)}` });
    return null;
  }
}

function expandList(file: string, docSource: string, value: unknown, lineOf: InputObject['lineOf']): InputObject[] {
  const isList =
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'List' &&
    Array.isArray((value as { items?: unknown }).items);
  if (!isList) return [{ source: docSource, file, object: value, lineOf }];
  return ((value as { items: unknown[] }).items).map((item, i) => ({
    source: `${docSource}.items[${i}]`,
    file,
    object: item,
    lineOf: (segments) => lineOf(['items', i, ...segments]),
  }));
}

export function readInputs(targets: string[], stdin: () => string): { objects: InputObject[]; errors: InputError[] } {
  const errors: InputError[] = [];
  const objects: InputObject[] = [];
  const files = targets.flatMap((t) => (t === '-' ? ['-'] : listFiles(t, errors)));
  for (const file of files) {
    const text = readText(file, stdin, errors);
    if (text === null) continue;
    const name = file === '-' ? 'stdin' : file;
    for (const doc of parseDocuments(text)) {
      const source = `${name}#${doc.index}`;
      if (doc.error) {
        errors.push({ source, line: doc.error.line, message: `invalid YAML: ${doc.error.message}` });
      } else if (doc.value === null || doc.value === undefined) {
        continue;
      } else if (typeof doc.value !== 'object' || Array.isArray(doc.value)) {
        errors.push({ source, line: doc.line, message: 'the document is not a Kubernetes object (expected a mapping with apiVersion, kind, metadata)' });
      } else {
        objects.push(...expandList(name, source, doc.value, doc.lineOf));
      }
    }
  }
  return { objects, errors };
}
