/**
 * `vllm-guard fix PATH…`: applies the fixes the engine offers (Finding.fix, RFC 6902 patches
 * relative to each workload object) to YAML files in place, then checks them again.
 *
 * The patch is applied twice: to the plain object with fast-json-patch (which validates it and
 * gives the object the next review sees), and onto the `yaml` Document with setIn/addIn/deleteIn,
 * so comments, key order, quoting and the formatting of untouched lines survive. One fix at a time,
 * each followed by a fresh review: later patches see the earlier ones, and a fix the engine no
 * longer offers is not applied, which also makes a second run a no-op.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch, diffLines } from 'diff';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { reviewObject, type Engine, type Finding, type PatchOperation } from '../engine/api.js';
import { describeError } from '../errors.js';
import { runCheck } from './check.js';
import { gateExitCode } from './gate.js';
import { carryEdit } from './fix-merge.js';
import { readInputs } from './inputs.js';

const { applyPatch, deepClone } = fastJsonPatch;

export interface FixOptions {
  dryRun: boolean;
  /** Only these policies' fixes (empty: all). */
  policies: readonly string[];
  /** Also apply fixes that need a human choice, with their placeholder. */
  accept: boolean;
}

export interface FixIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** More rounds than any manifest has fixable findings; bounds a policy whose fix undoes another's. */
const MAX_ROUNDS = 64;
const MAX_FILE_BYTES = 32 * 1024 * 1024;
const MANIFEST = /\.(ya?ml)$/i;
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, maxAliasCount: 100 } as const;

interface Applied {
  policy: string;
  description: string;
  needs?: string;
}

function listFiles(target: string, out: string[], problems: string[]): void {
  let stat;
  try {
    stat = statSync(target);
  } catch (err: unknown) {
    problems.push(`${target}: cannot read: ${describeError(err)}`);
    return;
  }
  if (!stat.isDirectory()) {
    out.push(target);
    return;
  }
  for (const entry of readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = path.join(target, entry.name);
    if (entry.isDirectory()) listFiles(child, out, problems);
    else if (MANIFEST.test(entry.name)) out.push(child);
  }
}

/** Why a file is a Kustomize or Helm source that fix leaves alone, or null. */
function sourceKind(file: string): string | null {
  const base = path.basename(file);
  if (!MANIFEST.test(base)) return 'not a .yaml/.yml file (fix writes YAML; a JSON manifest would be rewritten as YAML)';
  if (/^kustomization\.ya?ml$/i.test(base)) return 'a Kustomize kustomization: fix the resources it lists instead';
  let dir = path.dirname(path.resolve(file));
  for (let i = 0; i < 8; i++) {
    try {
      if (statSync(path.join(dir, 'Chart.yaml')).isFile()) return 'part of a Helm chart: fix the chart values or templates by hand, or run fix on the rendered output';
    } catch {
      // not a chart directory
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
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

/** The new text of one file, with what was applied and what waits for --accept; null when nothing changed. */
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

/**
 * Runs `vllm-guard fix`: returns the exit code (0 nothing denied is left, 1 something denied is
 * still open after fixing, 2 a file could not be read). With dryRun, prints a unified diff and
 * writes nothing.
 */
export async function runFix(engine: Engine, targets: readonly string[], options: FixOptions, io: FixIo): Promise<number> {
  const files: string[] = [];
  const problems: string[] = [];
  for (const target of targets) {
    if (target === '-') problems.push('-: fix edits files in place; it cannot read stdin');
    else listFiles(target, files, problems);
  }
  const written: string[] = [];
  for (const file of files) {
    const skip = sourceKind(file);
    if (skip) {
      io.stdout(`${file}: left untouched: ${skip}\n`);
      continue;
    }
    let before: string;
    try {
      if (statSync(file).size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
      before = readFileSync(file, 'utf8');
    } catch (err: unknown) {
      problems.push(`${file}: cannot read: ${describeError(err)}`);
      continue;
    }
    const result = fixText(engine, before, options);
    for (const error of result.errors) io.stderr(`${file}: ${error}\n`);
    for (const w of result.waiting) io.stdout(`${file}: needs --accept: ${w.policy}: ${w.description} (${w.needs})\n`);
    if (result.applied.length === 0) {
      io.stdout(`${file}: nothing to fix\n`);
      continue;
    }
    const verb = options.dryRun ? 'would apply' : 'applied';
    io.stdout(`${file}: ${verb} ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'}\n`);
    for (const a of result.applied) io.stdout(`  ${a.policy}: ${a.description}${a.needs ? ` (your part: ${a.needs})` : ''}\n`);
    if (options.dryRun) {
      io.stdout(createTwoFilesPatch(file, file, before, result.text, '', '', { context: 3 }));
      continue;
    }
    try {
      writeFileSync(file, result.text);
      written.push(file);
    } catch (err: unknown) {
      problems.push(`${file}: cannot write: ${describeError(err)}`);
    }
  }
  for (const problem of problems) io.stderr(`vllm-guard: error: ${problem}\n`);
  if (options.dryRun || written.length === 0) return problems.length > 0 ? 2 : 0;
  const { objects, errors } = await readInputs(written, { readStdin: () => '', kubectl: null });
  const report = runCheck(engine, objects, errors);
  for (const result of report.results) {
    for (const f of result.findings) {
      if (f.action === 'off') continue;
      io.stdout(`still open: ${result.source}${f.line ? `:${f.line}` : ''}: ${f.action} ${f.policy}: ${f.message}\n`);
    }
  }
  return problems.length > 0 ? 2 : gateExitCode(report);
}

/** A SARIF artifactChange: one replacement of whole lines (an insertion is an empty region). */
export interface SarifArtifactChange {
  artifactLocation: { uri: string };
  replacements: { deletedRegion: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number }; insertedContent: { text: string } }[];
}

/**
 * For `check -o sarif`: the text change one finding's fix makes to its file, as a SARIF
 * artifactChange, or undefined (no certain fix, a Kustomize/Helm source, an unreadable file).
 * Applies only that finding's policy in a copy; nothing is written.
 */
export function sarifFixEdits(engine: Engine): (source: string, finding: Finding) => SarifArtifactChange | undefined {
  const texts = new Map<string, string | null>();
  return (source, finding) => {
    if (!finding.fix || finding.fix.needs !== undefined) return undefined;
    const file = source.split('#')[0] as string;
    if (!texts.has(file)) {
      let text: string | null = null;
      try {
        if (sourceKind(file) === null && statSync(file).size <= MAX_FILE_BYTES) text = readFileSync(file, 'utf8');
      } catch {
        text = null;
      }
      texts.set(file, text);
    }
    const before = texts.get(file);
    if (!before) return undefined;
    const after = fixText(engine, before, { dryRun: true, policies: [finding.policy], accept: false }).text;
    if (after === before) return undefined;
    // One replacement per changed hunk: lines between two hunks are never repeated in the report
    // (they may hold a credential the fix did not touch; SARIF files are uploaded and shared).
    const replacements: SarifArtifactChange['replacements'] = [];
    let line = 1;
    let pending: { start: number; removed: number; inserted: string } | null = null;
    const flush = (): void => {
      if (!pending) return;
      const region = pending.removed > 0
        ? { startLine: pending.start, startColumn: 1, endLine: pending.start + pending.removed, endColumn: 1 }
        : { startLine: pending.start, startColumn: 1, endColumn: 1 };
      replacements.push({ deletedRegion: region, insertedContent: { text: pending.inserted } });
      pending = null;
    };
    for (const part of diffLines(before, after)) {
      const count = part.count ?? part.value.split('\n').length - 1;
      if (!part.added && !part.removed) {
        flush();
        line += count;
      } else {
        pending ??= { start: line, removed: 0, inserted: '' };
        if (part.removed) {
          pending.removed += count;
          line += count;
        } else pending.inserted += part.value;
      }
    }
    flush();
    return replacements.length > 0 ? { artifactLocation: { uri: file }, replacements } : undefined;
  };
}
