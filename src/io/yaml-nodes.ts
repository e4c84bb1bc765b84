/**
 * The node table behind yaml-fast.ts: js-yaml's `listener` option reports each node it composes
 * ("open" where it starts reading, "close" with its kind and value); compose() keeps them in
 * parallel arrays, and linkChildren() checks that they pair with the keys, values and items of the
 * values built, so that a position found through the table is the position of that value.
 * @module
 */
import jsyaml from 'js-yaml';
import { YAML_CORE_SCHEMA } from './yaml-core-schema.js';

/** What js-yaml's State holds when it calls the listener (the typings list fewer fields). */
interface ComposeState {
  position: number;
  kind: string | null;
  result: unknown;
  anchor: string | null;
}

export const EMPTY = 0;
export const SCALAR = 1;
export const MAPPING = 2;
export const SEQUENCE = 3;

/** Longest key (source characters to its value) left to the fast path; the `yaml` package's limit is 1024. */
const MAX_KEY_SPAN = 1000;

/** js-yaml's default, stated: deeper files go to the `yaml` package, which reports MAX_YAML_DEPTH. */
const MAX_DEPTH = 100;

/** The nodes of one file in the order js-yaml opened them (parallel arrays: one entry per node). */
export interface Nodes {
  /** Where the composer was when it opened the node (separation space may follow). */
  start: number[];
  /** Where it was when it closed the node. */
  end: number[];
  parent: number[];
  kind: number[];
  result: unknown[];
  /** Children of mappings and sequences, without a trailing failed key attempt. */
  children: (number[] | undefined)[];
  /** Collections whose children do not pair with their value (positions asked of the slow path). */
  unsure: Set<number>;
}

function kindCode(kind: string | null): number {
  if (kind === 'scalar') return SCALAR;
  if (kind === 'mapping') return MAPPING;
  if (kind === 'sequence') return SEQUENCE;
  return EMPTY;
}

/** Records every composed node through js-yaml's listener; null when js-yaml rejects the text or it carries an anchor. */
export function compose(text: string): { values: unknown[]; nodes: Nodes } | null {
  const nodes: Nodes = { start: [], end: [], parent: [], kind: [], result: [], children: [], unsure: new Set() };
  const stack: number[] = [];
  let anchored = false;
  const listener = (event: 'open' | 'close', state: ComposeState): void => {
    if (event === 'open') {
      stack.push(nodes.start.length);
      nodes.start.push(state.position);
      nodes.end.push(state.position);
      nodes.parent.push(stack.length > 1 ? (stack[stack.length - 2] as number) : -1);
      nodes.kind.push(EMPTY);
      nodes.result.push(undefined);
      return;
    }
    const id = stack.pop() as number;
    nodes.end[id] = state.position;
    nodes.kind[id] = kindCode(state.kind);
    nodes.result[id] = state.result;
    if (state.anchor !== null) anchored = true;
  };
  // Handed to js-yaml as it is (no wrapper): it is called twice per node.
  const options = { schema: YAML_CORE_SCHEMA, maxDepth: MAX_DEPTH, listener } as unknown as jsyaml.LoadOptions;
  let values: unknown[];
  try {
    values = jsyaml.loadAll(text, null, options);
  } catch {
    return null;
  }
  return anchored ? null : { values, nodes };
}

/** The property name js-yaml (and the `yaml` package) give a scalar key; null for a null key. */
export function keyName(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

/** A collection whose only child is itself (js-yaml composed it inside a failed key attempt). */
export function isWrapper(nodes: Nodes, id: number, children: number[]): boolean {
  return children.length === 1 && nodes.result[children[0] as number] === nodes.result[id];
}

/**
 * Whether a collection written in flow style (`[…]`, `{…}`) inside a block collection spans lines:
 * the `yaml` package then requires every line to be indented past the block (js-yaml does not),
 * so such files are left to it. A document that is one flow collection (JSON) is not affected.
 */
function multilineFlowInBlock(text: string, nodes: Nodes, id: number): boolean {
  const p = nodes.parent[id] as number;
  if (p === -1) return false;
  const first = text.charCodeAt(skipSeparation(text, nodes.start[id] as number));
  if (first !== 0x5b && first !== 0x7b) return false;
  const parentFirst = text.charCodeAt(skipSeparation(text, nodes.start[p] as number));
  if (parentFirst === 0x5b || parentFirst === 0x7b) return false;
  const newline = text.indexOf('\n', skipSeparation(text, nodes.start[id] as number));
  return newline !== -1 && newline < (nodes.end[id] as number);
}

/**
 * Groups children under their collections and checks that they are the collection's keys, values
 * and items. False when a node has a tag; when a key is `<<` (a merge for the `yaml` package, not
 * for this schema), `__proto__`, null or a collection (named differently by the two parsers); when
 * the pairs or a flow sequence's items cannot be matched with nodes; or when the file has a
 * multi-line flow collection in a block one (multilineFlowInBlock). A block sequence with an empty
 * entry is marked unsure (its positions are asked of the `yaml` package).
 */
export function linkChildren(text: string, nodes: Nodes): boolean {
  const { parent, kind, result, children } = nodes;
  for (let id = 0; id < parent.length; id++) {
    const p = parent[id] as number;
    if (p >= 0 && (kind[p] === MAPPING || kind[p] === SEQUENCE)) (children[p] ??= []).push(id);
  }
  for (let id = 0; id < kind.length; id++) {
    // A tag is the first thing a node holds (a plain scalar cannot start with `!`).
    if (text.charCodeAt(skipSeparation(text, nodes.start[id] as number)) === 0x21) return false;
    const list = children[id] ?? [];
    if ((kind[id] === MAPPING || kind[id] === SEQUENCE) && multilineFlowInBlock(text, nodes, id)) return false;
    if (kind[id] === MAPPING) {
      // A failed attempt at one more key (at a `---` or a dedent) leaves an empty node last.
      if (list.length % 2 === 1 && kind[list[list.length - 1] as number] === EMPTY) list.pop();
      if (isWrapper(nodes, id, list)) continue;
      if (list.length !== 2 * Object.keys(result[id] as object).length) return false;
      const map = result[id] as Record<string, unknown>;
      for (let i = 0; i < list.length; i += 2) {
        const key = list[i] as number;
        const name = keyName(result[key]);
        if (kind[key] !== SCALAR || name === null || name === '<<' || name === '__proto__') return false;
        if (!Object.is(map[name], result[list[i + 1] as number])) return false;
        // The `yaml` package refuses an implicit key whose `:` is more than 1024 characters on.
        if ((nodes.start[list[i + 1] as number] as number) - (nodes.start[key] as number) > MAX_KEY_SPAN) return false;
      }
    } else if (kind[id] === SEQUENCE && !isWrapper(nodes, id, list)) {
      const items = result[id] as unknown[];
      if (list.length === items.length && list.every((child, i) => Object.is(result[child], items[i]))) continue;
      // A flow sequence may hold `key: value` pairs (maps js-yaml builds without a node), whose
      // keys are not checked; a block sequence, only empty entries (null for both parsers).
      if (text.charCodeAt(skipSeparation(text, nodes.start[id] as number)) === 0x5b) return false;
      nodes.unsure.add(id);
    }
  }
  return true;
}

/** The first offset at or after `offset` that is not a space or tab. */
export function skipSpaces(text: string, offset: number): number {
  let i = offset;
  while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i += 1;
  return i;
}

/** The first offset at or after `offset` that is not space, a line break or a comment. */
export function skipSeparation(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) i += 1;
    else if (ch === 0x23) {
      const end = text.indexOf('\n', i);
      if (end === -1) return text.length;
      i = end + 1;
    } else return i;
  }
}
