/**
 * A rule's `fix` (policy.schema.json) compiled once per engine (plan.ts): its templates parsed, the
 * facts it reads listed, and whether it reads `pointers` or `derived`. Rendering a compiled fix for
 * one failing rule is fix.ts; this file is the once-per-engine half.
 */
import { compileTemplate, soleValuePath, templateReads, type CompiledTemplate } from './render.js';
import { schemaCheckOf, type SchemaCheck } from './schema-check.js';
import { mayRead } from './fix-scope.js';
import { pointerTokens } from './json-pointer.js';
import { planPath, type PathPlan } from './fix-path.js';
import type { PatchOperation, RuleFix } from '../types.js';

export type CompiledValue =
  | { kind: 'sole'; path: readonly string[] }
  | { kind: 'text'; template: CompiledTemplate }
  | { kind: 'array'; items: CompiledValue[] }
  | { kind: 'object'; entries: [string, CompiledValue][] }
  | { kind: 'literal'; value: unknown };

export type CompiledOperation =
  | {
      op: PatchOperation['op'];
      path: CompiledTemplate;
      /**
       * A path without placeholders (`/spec/strategy/rollingUpdate/maxSurge`, most of the catalogue's):
       * its text and its JSON Pointer tokens, split once here instead of on every review. Null otherwise.
       */
      constant: { readonly text: string; readonly tokens: readonly string[] } | null;
      /** A path with placeholders, as tokens to fill (fix-path.ts); null when constant or of another shape. */
      plan: PathPlan | null;
      value: CompiledValue | null;
      onlyIf: 'present' | 'absent' | null;
    }
  | { op: 'setFlag'; flag: CompiledTemplate; value: CompiledTemplate; single: boolean }
  | { op: 'renameFlag'; at: CompiledTemplate; flag: CompiledTemplate; to: CompiledTemplate };

/** A rule's fix with its templates parsed (plan.ts, once per engine). */
export interface CompiledFix {
  description: CompiledTemplate;
  needs: CompiledTemplate | null;
  when: RuleFix['when'];
  /** `when`'s plain check (schema-check.ts), null when ajv answers. */
  whenCheck: SchemaCheck | null;
  /**
   * Whether the fix may read `pointers` or `derived` (its templates, its `when`, an argv edit's
   * container pointer): a fix that reads neither is rendered without spelling them out.
   */
  readsPointers: boolean;
  readsDerived: boolean;
  operations: readonly CompiledOperation[];
  /** Dotted fact paths the fix reads: when one is unknown, no fix. */
  reads: readonly string[];
}

/** Bounds a hostile policy's value nesting. */
const MAX_DEPTH = 32;

function compileValue(value: unknown, reads: Set<string>, asText: boolean, depth = 0): CompiledValue {
  if (depth > MAX_DEPTH) return { kind: 'literal', value: null };
  if (typeof value === 'string') {
    const template = compileTemplate(value);
    templateReads(template, reads);
    const path = asText ? null : soleValuePath(template);
    return path ? { kind: 'sole', path } : { kind: 'text', template };
  }
  if (Array.isArray(value)) return { kind: 'array', items: value.map((v) => compileValue(v, reads, asText, depth + 1)) };
  if (typeof value === 'object' && value !== null) {
    return { kind: 'object', entries: Object.entries(value).map(([k, v]) => [k, compileValue(v, reads, asText, depth + 1)]) };
  }
  return { kind: 'literal', value };
}

/**
 * A patch path template made of text only, with its tokens (not frozen: V8 reads frozen arrays
 * slowly, bench/PROFILE.md F5; nothing writes to them); null when it has a placeholder or an
 * optional part, or is not a JSON Pointer (renderWithScope refuses those as before).
 */
function constantPath(template: CompiledTemplate): { text: string; tokens: readonly string[] } | null {
  let text = '';
  for (const part of template.parts) {
    if (part.kind !== 'text') return null;
    text += part.text;
  }
  if (text !== '' && !text.startsWith('/')) return null;
  return { text, tokens: pointerTokens(text) };
}

/** Compiles a rule's fix; null for a rule without one. */
export function compileFix(fix: RuleFix | null): CompiledFix | null {
  if (!fix) return null;
  const reads = new Set<string>();
  const description = compileTemplate(fix.description);
  const text = (template: string): CompiledTemplate => {
    const compiled = compileTemplate(template);
    templateReads(compiled, reads);
    return compiled;
  };
  const operations = fix.patch.map((op): CompiledOperation => {
    if (op.op === 'setFlag' || op.op === 'renameFlag') {
      return op.op === 'setFlag'
        ? { op: 'setFlag', flag: text(op.flag), value: text(op.value), single: op.single === true }
        : { op: 'renameFlag', at: text(op.at), flag: text(op.flag), to: text(op.to) };
    }
    const path = compileTemplate(op.path);
    templateReads(path, reads);
    const constant = constantPath(path);
    return { op: op.op, path, constant, plan: constant ? null : planPath(path), value: 'value' in op ? compileValue(op.value, reads, op.asText === true) : null, onlyIf: op.onlyIf ?? null };
  });
  // A fix that is not certain needs a person's look even when the policy says no more.
  const needsText = fix.needs ?? (fix.certain === false ? 'review the change before applying it' : null);
  const needs = needsText === null ? null : compileTemplate(needsText);
  // Everything the fix may read, for the two flags below (`reads` keeps its meaning: what makes a fix unknown).
  const everything = new Set(reads);
  templateReads(description, everything);
  if (needs) templateReads(needs, everything);
  const mentions = (word: string): boolean => mayRead(word, everything, fix.when);
  return {
    description,
    needs,
    when: fix.when ?? null,
    whenCheck: fix.when ? schemaCheckOf(fix.when) : null,
    readsPointers: operations.some((op) => op.op === 'setFlag' || op.op === 'renameFlag') || mentions('pointers'),
    readsDerived: mentions('derived'),
    operations,
    reads: [...reads].filter((r) => !r.startsWith('params.')),
  };
}
