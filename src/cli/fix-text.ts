/**
 * The text rewriting of `vllm-guard fix`: applies the fixes the engine offers (Finding.fix, RFC 6902
 * patches relative to each workload object) to one YAML file's text.
 *
 * The patch is applied twice: to the plain object with fast-json-patch (which validates it and
 * gives the object the next review sees), and onto the `yaml` Document with setIn/addIn/deleteIn,
 * so comments, key order, quoting and the formatting of untouched lines survive. One fix at a time,
 * each followed by a fresh review: later patches see the earlier ones, and a fix the engine no
 * longer offers is not applied, which also makes a second run a no-op.
 */
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { reviewObject, type Engine, type Finding, type PatchOperation } from '../engine/api.js';
import { carryEdit } from './fix-merge.js';
import { withKubectlOctal } from '../io/yaml.js';

const { applyPatch, deepClone } = fastJsonPatch;

/** What `vllm-guard fix` applies: --dry-run, --policy, --accept. */
export interface FixOptions {
  dryRun: boolean;
  /** Only these policies' fixes (empty: all). */
  policies: readonly string[];
  /** Also apply fixes that need a human choice, with their placeholder. */
  accept: boolean;
}

/** More rounds than any manifest has fixable findings; bounds a policy whose fix undoes another's. */
const MAX_ROUNDS = 64;
// `defaultMode: 0755` is octal, as kubectl and `check` read it (io/yaml.ts).
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, maxAliasCount: 100, customTags: withKubectlOctal } as const;

/** One fix applied (or waiting for --accept): its policy, what it does, and the human choice it needs. */
export interface Applied {
  policy: string;
  description: string;
  needs?: string;
}

/** The Document path of a patch pointer under `prefix`, with sequence indexes as numbers. */
function documentPath(doc: Document, prefix: readonly (string | number)[], tokens: readonly string[]): (string | number)[] {
  const out = [...prefix];
  for (const token of tokens) {
    const parent = out.length === 0 ? doc.contents : doc.getIn(out, true);
    out.push(isSeq(parent) && /^\d+$/.test(token) ? Number(token) : token);
  }
  return out;
}

function tokensOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Maps one JSON Patch operation onto the YAML Document, so untouched nodes keep their form. */
function applyToDocument(doc: Document, prefix: readonly (string | number)[], op: PatchOperation): void {
  const tokens = tokensOf(op.path);
  const last = tokens[tokens.length - 1];
  if (op.op === 'test') return;
  if (op.op === 'remove') {
    doc.deleteIn(documentPath(doc, prefix, tokens));
    return;
  }
  const parentPath = documentPath(doc, prefix, tokens.slice(0, -1));
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  const old = op.op === 'replace' || op.op === 'add' ? doc.getIn([...parentPath, isSeq(parent) ? Number(last) : (last)], true) : undefined;
  // A scalar replaced by a scalar changes in place: its quoting and its comment (`- bfloat16  # why`)
  // stay; the yaml package quotes a plain value that would read back as another type ("40960").
  if (op.op === 'replace' && isScalar(old) && ['string', 'number', 'boolean'].includes(typeof op.value)) {
    old.value = typeof old.value === 'string' && typeof op.value === 'number' ? String(op.value) : op.value;
    return;
  }
  const node = doc.createNode(op.value);
  // A quantity written as a quoted string ("2") stays a quoted string ("4").
  if (isScalar(old) && typeof old.value === 'string' && typeof op.value === 'number' && isScalar(node)) {
    node.value = String(op.value);
    node.type = old.type;
  }
  if (isSeq(parent) && last === '-') parent.items.push(node);
  else if (isSeq(parent) && op.op === 'add') parent.items.splice(Number(last), 0, node);
  else doc.setIn([...parentPath, isSeq(parent) ? Number(last) : (last)], node);
}

function wanted(finding: Finding, options: FixOptions): boolean {
  if (!finding.fix) return false;
  if (options.policies.length > 0 && !options.policies.includes(finding.policy)) return false;
  return finding.fix.needs === undefined || options.accept;
}

/** Applies the offered fixes to one object of a document, one at a time with a review after each. */
function fixObject(engine: Engine, doc: Document, prefix: readonly (string | number)[], start: unknown, options: FixOptions, applied: Applied[], waiting: Applied[]): void {
  let object = start;
  const tried = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const findings = reviewObject(engine, object).findings;
    const next = findings.find((f) => wanted(f, options) && !tried.has(`${f.policy}\u0000${f.path}\u0000${f.fix?.description}`));
    if (!next?.fix) {
      for (const f of findings) {
        if (f.fix?.needs !== undefined && !options.accept && (options.policies.length === 0 || options.policies.includes(f.policy))) {
          waiting.push({ policy: f.policy, description: f.fix.description, needs: f.fix.needs });
        }
      }
      return;
    }
    tried.add(`${next.policy}\u0000${next.path}\u0000${next.fix.description}`);
    try {
      object = applyPatch(deepClone(object), deepClone(next.fix.patch) as Operation[], true, false).newDocument;
    } catch {
      continue; // The engine checked it against the same object; skip rather than half-apply.
    }
    for (const op of next.fix.patch) applyToDocument(doc, prefix, op);
    applied.push({ policy: next.policy, description: next.fix.description, ...(next.fix.needs ? { needs: next.fix.needs } : {}) });
  }
}

/** The file's own style where the yaml package would otherwise impose its defaults. */
function styleOf(text: string): { lineWidth: number; indentSeq: boolean; flowCollectionPadding: boolean } {
  return {
    lineWidth: 0,
    // One setting for the whole file: follow the majority of block sequences (a file may mix both styles).
    indentSeq: (text.match(/^( *)[^\s#-][^\n]*:[ \t]*\n\1 +- /gm) ?? []).length >= (text.match(/^( *)[^\s#-][^\n]*:[ \t]*\n\1- /gm) ?? []).length,
    // The yaml package has one setting for the whole file: follow the majority of flow collections.
    flowCollectionPadding: (text.match(/[[{] \S/g) ?? []).length > (text.match(/[[{][^\s\]}]/g) ?? []).length,
  };
}

/** The new text of one file (the text itself when nothing changed), with what was applied, what waits for --accept, and documents left as they are. */
export function fixText(engine: Engine, text: string, options: FixOptions): { text: string; applied: Applied[]; waiting: Applied[]; errors: string[] } {
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  const applied: Applied[] = [];
  const waiting: Applied[] = [];
  const errors: string[] = [];
  for (const [i, doc] of (Array.isArray(docs) ? docs : []).entries()) {
    if (doc.errors.length > 0) {
      errors.push(`document ${i + 1}: invalid YAML, left as it is: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const items = (value as { kind?: unknown; items?: unknown }).kind === 'List' ? (value as { items?: unknown }).items : null;
    if (Array.isArray(items)) items.forEach((item, j) => fixObject(engine, doc, ['items', j], item, options, applied, waiting));
    else fixObject(engine, doc, [], value, options, applied, waiting);
  }
  if (applied.length === 0 || !Array.isArray(docs)) return { text, applied, waiting, errors };
  const style = styleOf(text);
  const plain = parseAllDocuments(text, PARSE_OPTIONS);
  const plainText = (Array.isArray(plain) ? plain : []).map((d) => d.toString(style)).join('');
  return { text: carryEdit(text, plainText, docs.map((d) => d.toString(style)).join('')), applied, waiting, errors };
}
