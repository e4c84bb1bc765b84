/**
 * Machine-applicable fixes: a rule's `fix` (policy.schema.json) compiled once per engine, rendered
 * for one failing rule into an RFC 6902 JSON Patch relative to the workload object.
 *
 * - Templates are the message templates (render.ts). A string value that is exactly one placeholder
 *   (`{{vllm.port}}`) yields the fact's JSON value (a number stays a number); placeholders in a
 *   path are escaped as JSON Pointer tokens (`nvidia.com/gpu` → `nvidia.com~1gpu`), except
 *   `pointers.*`, which are pointers already.
 * - No fix is offered when a placeholder is missing, when it reads an unknown fact, or when the
 *   patch does not apply to the object as written: a guess is worse than no fix.
 * - RFC 6902 `add` needs the parent to exist. The engine picks: an `add` under a missing parent
 *   becomes an `add` of the outermost missing member holding the value (`/volumes` = `[volume]`
 *   when the pod has no volumes, `/volumes/-` when it has).
 */
import { compileTemplate, fillExact, soleValue, soleValuePath, templateReads, type CompiledTemplate } from './render.js';
import { argvOperations, type ArgvEdit } from './fix-argv.js';
import { pathsOverlap } from './rule-reads.js';
import type { Facts, FindingFix, PatchOperation, RuleFix, UnknownFact } from '../types.js';

type CompiledValue =
  | { kind: 'sole'; path: readonly string[] }
  | { kind: 'text'; template: CompiledTemplate }
  | { kind: 'array'; items: CompiledValue[] }
  | { kind: 'object'; entries: [string, CompiledValue][] }
  | { kind: 'literal'; value: unknown };

type CompiledOperation =
  | { op: PatchOperation['op']; path: CompiledTemplate; value: CompiledValue | null; onlyIf: 'present' | 'absent' | null }
  | { op: 'setFlag'; flag: CompiledTemplate; value: CompiledTemplate; single: boolean }
  | { op: 'renameFlag'; at: CompiledTemplate; flag: CompiledTemplate; to: CompiledTemplate };

/** A rule's fix with its templates parsed (plan.ts, once per engine). */
export interface CompiledFix {
  description: CompiledTemplate;
  needs: CompiledTemplate | null;
  when: RuleFix['when'];
  operations: readonly CompiledOperation[];
  /** Dotted fact paths the fix reads: when one is unknown, no fix. */
  reads: readonly string[];
}

/**
 * Fixes rendered per review, at most: bounded work for a pod with 64 vLLM containers. Later
 * findings carry no fix; `vllm-guard fix` reviews again after each fix, so it still gets to them.
 */
export const MAX_FIXES_PER_REVIEW = 32;

/** What rendering fixes needs during one review: the object as written and the fixes left to render. */
export interface FixContext {
  object: unknown;
  left: number;
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
    return { op: op.op, path, value: 'value' in op ? compileValue(op.value, reads, op.asText === true) : null, onlyIf: op.onlyIf ?? null };
  });
  // A fix that is not certain needs a person's look even when the policy says no more.
  const needsText = fix.needs ?? (fix.certain === false ? 'review the change before applying it' : null);
  return { description, needs: needsText === null ? null : compileTemplate(needsText), when: fix.when ?? null, operations, reads: [...reads].filter((r) => !r.startsWith('params.')) };
}

const MISSING = Symbol('missing');

function renderValue(value: CompiledValue, scope: unknown): unknown {
  switch (value.kind) {
    case 'sole': {
      const v = soleValue(value.path, scope);
      return v === undefined ? MISSING : v;
    }
    case 'text': {
      const filled = fillExact(value.template, scope, (text) => text);
      return filled.complete ? filled.text : MISSING;
    }
    case 'array': {
      const out: unknown[] = [];
      for (const item of value.items) {
        const v = renderValue(item, scope);
        if (v === MISSING) return MISSING;
        out.push(v);
      }
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, item] of value.entries) {
        const v = renderValue(item, scope);
        if (v === MISSING) return MISSING;
        out[key] = v;
      }
      return out;
    }
    default:
      return value.value;
  }
}

function escapeToken(text: string): string {
  return text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text;
}

/** Splits a JSON Pointer into unescaped tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function pointerOf(tokens: readonly string[]): string {
  return tokens.map((t) => `/${escapeToken(t)}`).join('');
}

/** A dotted path with indexes (`spec.template.spec.containers[0]`) as a JSON Pointer. */
export function dottedToPointer(dotted: string): string {
  if (dotted === '') return '';
  return pointerOf(dotted.split('.').flatMap((segment) => segment.split(/\[(\d+)\]/).filter((s) => s !== '')));
}

function childOf(node: unknown, token: string): { found: boolean; value: unknown } {
  if (Array.isArray(node)) {
    if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= node.length) return { found: false, value: undefined };
    return { found: true, value: node[Number(token)] };
  }
  if (typeof node === 'object' && node !== null && Object.prototype.hasOwnProperty.call(node, token)) {
    return { found: true, value: (node as Record<string, unknown>)[token] };
  }
  return { found: false, value: undefined };
}

/**
 * An `add` whose parent may be missing: the operation that creates the outermost missing member
 * with the value nested inside it, or null when an existing ancestor is not a container.
 */
function resolveAdd(document: Overlay, tokens: readonly string[], value: unknown): PatchOperation | null {
  for (let i = 1; i < tokens.length; i++) {
    if (document.at(tokens.slice(0, i)).found) continue;
    const holder = document.at(tokens.slice(0, i - 1)).value;
    if (Array.isArray(holder) || typeof holder !== 'object' || holder === null) return null;
    let nested = value;
    for (let j = tokens.length - 1; j >= i; j--) nested = tokens[j] === '-' || /^\d+$/.test(tokens[j] as string) ? [nested] : { [tokens[j] as string]: nested };
    return { op: 'add', path: pointerOf(tokens.slice(0, i)), value: nested };
  }
  const parent = document.at(tokens.slice(0, -1)).value;
  if (typeof parent !== 'object' || parent === null) return null;
  return { op: 'add', path: pointerOf(tokens), value };
}

function targetPresent(document: Overlay, tokens: readonly string[]): boolean {
  if (tokens[tokens.length - 1] === '-') return Array.isArray(document.at(tokens.slice(0, -1)).value);
  return document.at(tokens).found;
}

/** Equality for `test` values, bounded in depth (policy values are small; a deeper target is not equal). */
function sameValue(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_DEPTH || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1));
}

/** A small JSON value written by a policy, copied so later operations never change an emitted one. */
function copyValue(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => copyValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: copyValue(v, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * The object as written plus what earlier operations of the same fix wrote (pointer → our own copy
 * of the value). Checking a patch this way costs the length of its paths: the workload object, which
 * may be megabytes with thousands of containers, is never copied.
 */
class Overlay {
  private readonly written = new Map<string, unknown>();
  constructor(private readonly root: unknown) {}

  /** The node at tokens: from the deepest written ancestor when there is one, else from the object. */
  at(tokens: readonly string[]): { found: boolean; value: unknown; owned: boolean } {
    // Most fixes write once; only then are the prefixes worth spelling out.
    const keys: string[] = [];
    if (this.written.size > 0) {
      let key = '';
      keys.push(key);
      for (const token of tokens) keys.push((key += `/${escapeToken(token)}`));
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      if (!this.written.has(key)) continue;
      let node = this.written.get(key);
      for (const token of tokens.slice(i)) {
        const child = childOf(node, token);
        if (!child.found) return { found: false, value: undefined, owned: true };
        node = child.value;
      }
      return { found: true, value: node, owned: true };
    }
    let node = this.root;
    for (const token of tokens) {
      const child = childOf(node, token);
      if (!child.found) return { found: false, value: undefined, owned: false };
      node = child.value;
    }
    return { found: true, value: node, owned: false };
  }

  /** Applies one RFC 6902 operation; false when it does not apply. */
  apply(op: PatchOperation): boolean {
    const tokens = pointerTokens(op.path);
    if (tokens.length === 0) return op.op === 'test' && sameValue(this.root, op.value);
    const last = tokens[tokens.length - 1] as string;
    const parent = this.at(tokens.slice(0, -1));
    if (!parent.found || typeof parent.value !== 'object' || parent.value === null) return false;
    const target = childOf(parent.value, last);
    if (op.op === 'test') return target.found && sameValue(target.value, op.value);
    if (op.op !== 'add' && !target.found) return false;
    const isArray = Array.isArray(parent.value);
    const index = !isArray ? -1 : last === '-' ? (parent.value as unknown[]).length : /^(0|[1-9]\d*)$/.test(last) ? Number(last) : -1;
    if (isArray && (index < 0 || index > (parent.value as unknown[]).length)) return false;
    if (parent.owned) {
      // Our own copy: change it in place.
      if (isArray) {
        const list = parent.value as unknown[];
        if (op.op === 'add') list.splice(index, 0, copyValue(op.value));
        else if (op.op === 'replace') list[index] = copyValue(op.value);
        else list.splice(index, 1);
      } else if (op.op === 'remove') delete (parent.value as Record<string, unknown>)[last];
      else Object.defineProperty(parent.value, last, { value: copyValue(op.value), enumerable: true, writable: true, configurable: true });
      return true;
    }
    // Under the object as written: record the write (a removal is recorded as nothing there).
    const key = pointerOf([...tokens.slice(0, -1), isArray ? String(index) : last]);
    if (op.op === 'remove') this.written.delete(key);
    else this.written.set(key, copyValue(op.value));
    return true;
  }
}

function firstUnknown(reads: readonly string[], unknowns: readonly UnknownFact[]): boolean {
  return unknowns.some((u) => reads.some((r) => pathsOverlap(r, u.path)));
}

/** startup-probe-budget's defaults (policies/startup-probe-budget.yaml params), used when a policy has no such param. */
const STARTUP_FLOOR_SECONDS = 600;
const COLD_START_FACTOR = 1.5;
const PROBE_PERIOD_SECONDS = 10;

/**
 * Values a fix may need that no single fact holds (`{{derived.…}}`): a startup probe window is
 * max(floor, coldStartFactor × the cold-start-seconds annotation), the floor being the policy's
 * `minSeconds` or `loadFloorSeconds` param; `startupFailureThreshold` covers it at a 10 s period.
 */
function derivedValues(facts: Facts): Record<string, number> {
  const params = facts.params as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
  const floor = Math.max(num(params.minSeconds) ?? STARTUP_FLOOR_SECONDS, num(params.loadFloorSeconds) ?? STARTUP_FLOOR_SECONDS);
  const coldStart = num((facts.intent as Record<string, unknown> | undefined)?.coldStartSeconds);
  const factor = num(params.coldStartFactor) ?? COLD_START_FACTOR;
  const window = Math.max(floor, coldStart === null ? 0 : factor * coldStart);
  // Bounded: a 24 h window is already far beyond any documented cold start.
  const threshold = Math.min(Math.ceil(window / PROBE_PERIOD_SECONDS), 8640);
  return { startupWindowSeconds: threshold * PROBE_PERIOD_SECONDS, startupFailureThreshold: threshold, probePeriodSeconds: PROBE_PERIOD_SECONDS };
}

/** An argv edit (fix-argv.ts) for the checked container, or null when a value is missing or the edit is not certain. */
function renderArgvEdit(op: Extract<CompiledOperation, { op: 'setFlag' | 'renameFlag' }>, scope: Record<string, unknown>, working: Overlay): PatchOperation[] | null {
  const fill = (template: CompiledTemplate): string | null => {
    const filled = fillExact(template, scope, (t) => t);
    return filled.complete ? filled.text : null;
  };
  const flag = fill(op.flag);
  let edit: ArgvEdit | null = null;
  if (op.op === 'setFlag') {
    const value = fill(op.value);
    if (flag !== null && value !== null) edit = { op: 'setFlag', flag, value, single: op.single };
  } else {
    const at = fill(op.at);
    const to = fill(op.to);
    if (flag !== null && at !== null && to !== null) edit = { op: 'renameFlag', at, flag, to };
  }
  const container = (scope.pointers as Record<string, string> | undefined)?.container;
  const vllm = scope.vllm as { at?: Record<string, string> } | undefined;
  if (!edit || container === undefined) return null;
  return argvOperations(edit, pointerTokens(container), vllm?.at ?? {}, (tokens) => working.at(tokens), pointerOf);
}

/**
 * The fix of one failing rule for one workload `object` (as written), or null when it cannot be
 * offered: a needed value is missing or unknown, the fix's `when` does not hold, or the patch does
 * not apply. The templates also read `pointers` (JSON Pointers of `paths`) and `derived` (above).
 */
export function renderFix(fix: CompiledFix, facts: Facts, object: unknown): FindingFix | null {
  if (firstUnknown(fix.reads, facts.unknowns)) return null;
  const paths = (facts.paths ?? {}) as Record<string, string>;
  const scope = { ...facts, pointers: Object.fromEntries(Object.entries(paths).map(([k, v]) => [k, dottedToPointer(v)])), derived: derivedValues(facts) };
  const whenHolds: ((data: unknown) => boolean) | null = fix.when ?? null;
  if (whenHolds && !whenHolds(scope)) return null;
  const description = fillExact(fix.description, scope, (t) => t);
  if (!description.complete) return null;
  const working = new Overlay(object);
  const patch: PatchOperation[] = [];
  for (const op of fix.operations) {
    if (op.op === 'setFlag' || op.op === 'renameFlag') {
      const ops = renderArgvEdit(op, scope, working);
      if (!ops) return null;
      for (const resolved of ops) {
        if (!working.apply(resolved)) return null;
        patch.push(resolved);
      }
      continue;
    }
    const path = fillExact(op.path, scope, (text, at) => (at[0] === 'pointers' ? text : escapeToken(text)));
    if (!path.complete || (path.text !== '' && !path.text.startsWith('/'))) return null;
    const tokens = pointerTokens(path.text);
    if (op.onlyIf && targetPresent(working, tokens) !== (op.onlyIf === 'present')) continue;
    const value = op.value ? renderValue(op.value, scope) : undefined;
    if (value === MISSING) return null;
    const resolved = op.op === 'add' ? resolveAdd(working, tokens, value) : { op: op.op, path: path.text, ...(op.op === 'remove' ? {} : { value }) };
    if (!resolved) return null;
    if (!working.apply(resolved)) return null;
    patch.push(resolved);
  }
  if (patch.length === 0) return null;
  const out: FindingFix = { description: description.text, patch };
  if (fix.needs) {
    const needs = fillExact(fix.needs, scope, (t) => t);
    out.needs = needs.text;
  }
  return out;
}
