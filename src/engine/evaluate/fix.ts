/**
 * Machine-applicable fixes: a rule's `fix` (compiled once per engine, fix-compile.ts) rendered for
 * one failing rule into an RFC 6902 JSON Patch relative to the workload object.
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
import { fillExact, fillExactOrNull, soleValue, type CompiledTemplate, type Encoder } from './render.js';
import type { CompiledFix, CompiledOperation, CompiledValue } from './fix-compile.js';
import { argvOperations, type ArgvEdit } from './fix-argv.js';
import { Overlay, resolveAdd, targetPresent } from './fix-overlay.js';
import { escapeToken, pointerOf, pointersOf, pointerTokens, type PointerMemo } from './json-pointer.js';
import { pathsOverlap } from './rule-reads.js';
import { derivedValues } from './fix-scope.js';
import { fillPath } from './fix-path.js';
import type { Facts, FindingFix, PatchOperation, UnknownFact } from '../types.js';

/**
 * Fixes rendered per review, at most: bounded work for a pod with 64 vLLM containers. Later
 * findings carry no fix; `vllm-guard fix` reviews again after each fix, so it still gets to them.
 */
export const MAX_FIXES_PER_REVIEW = 32;

/** What rendering fixes needs during one review: the object as written and the fixes left to render. */
export interface FixContext {
  object: unknown;
  left: number;
  /**
   * `pointers` of the last facts' `paths` (same paths object → same pointers): a container's
   * fixes share them, so they are spelled out once per container instead of once per fix.
   */
  pointers?: { paths: object; value: Readonly<Record<string, string>> };
  /**
   * The engine's memo of `pointers` by the text of `paths` (createEngine): every review of a
   * Deployment has the same paths, and spelling them out was a third of a fix's cost.
   */
  pointerMemo?: PointerMemo;
}

const MISSING = Symbol('missing');

/** A patch path's placeholder: escaped as a JSON Pointer token, except `pointers.*`, which are pointers already. */
const pathToken: Encoder = (text, at) => (at[0] === 'pointers' ? text : escapeToken(text));

function renderValue(value: CompiledValue, scope: unknown): unknown {
  switch (value.kind) {
    case 'sole': {
      const v = soleValue(value.path, scope);
      return v === undefined ? MISSING : v;
    }
    case 'text': {
      return fillExactOrNull(value.template, scope) ?? MISSING;
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

function firstUnknown(reads: readonly string[], unknowns: readonly UnknownFact[]): boolean {
  return unknowns.some((u) => reads.some((r) => pathsOverlap(r, u.path)));
}

/** An argv edit (fix-argv.ts) for the checked container, or null when a value is missing or the edit is not certain. */
function renderArgvEdit(op: Extract<CompiledOperation, { op: 'setFlag' | 'renameFlag' }>, scope: Record<string, unknown>, working: Overlay): PatchOperation[] | null {
  const fill = (template: CompiledTemplate): string | null => fillExactOrNull(template, scope);
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
 * `context` (the review's FixContext) keeps the pointers for the next fix of the same facts.
 */
export function renderFix(fix: CompiledFix, facts: Facts, object: unknown, context?: FixContext): FindingFix | null {
  if (firstUnknown(fix.reads, facts.unknowns)) return null;
  // Most fixes read neither `pointers` nor `derived` (rollout-strategy's, a passing Deployment's one
  // fix): the facts are then the scope as they are (bench/PROFILE.md step E5).
  if (!fix.readsPointers && !fix.readsDerived) return renderWithScope(fix, facts, object);
  const paths = (facts.paths ?? {}) as Record<string, string>;
  let pointers = context?.pointers?.paths === paths ? context.pointers.value : undefined;
  if (!pointers) {
    pointers = pointersOf(paths, context?.pointerMemo);
    if (context) context.pointers = { paths, value: pointers };
  }
  // The scope is the facts plus `pointers` and `derived`, set on the facts document for the call and
  // removed after (last in, first out, so the object keeps its shape): a copy of the ~30 facts was a
  // quarter of a fix's cost. The facts schema has neither key.
  const scope = facts as Facts & { pointers?: Readonly<Record<string, string>>; derived?: Record<string, number> };
  scope.pointers = pointers;
  scope.derived = derivedValues(facts);
  try {
    return renderWithScope(fix, scope, object);
  } finally {
    delete scope.derived;
    delete scope.pointers;
  }
}

function renderWithScope(fix: CompiledFix, scope: Record<string, unknown>, object: unknown): FindingFix | null {
  const whenHolds: ((data: unknown) => boolean) | null = fix.whenCheck ?? fix.when ?? null;
  if (whenHolds && !whenHolds(scope)) return null;
  const description = fillExactOrNull(fix.description, scope);
  if (description === null) return null;
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
    // A constant path was split when the fix was compiled, and most others are filled as tokens (fix-path.ts).
    let path: string | null;
    let tokens: readonly string[];
    if (op.constant) ({ text: path, tokens } = op.constant);
    else if (op.plan) {
      const filled = fillPath(op.plan, scope);
      if (filled === null) return null;
      ({ path, tokens } = filled);
    } else {
      path = fillExactOrNull(op.path, scope, pathToken);
      if (path === null || (path !== '' && !path.startsWith('/'))) return null;
      tokens = pointerTokens(path);
    }
    if (op.onlyIf && targetPresent(working, tokens) !== (op.onlyIf === 'present')) continue;
    const value = op.value ? renderValue(op.value, scope) : undefined;
    if (value === MISSING) return null;
    const resolved = op.op === 'add' ? resolveAdd(working, tokens, value, path) : { operation: { op: op.op, path, ...(op.op === 'remove' ? {} : { value }) }, tokens };
    if (!resolved) return null;
    if (!working.apply(resolved.operation, resolved.tokens)) return null;
    patch.push(resolved.operation);
  }
  if (patch.length === 0) return null;
  const out: FindingFix = { description, patch };
  if (fix.needs) out.needs = fillExact(fix.needs, scope).text;
  return out;
}
