/**
 * Argv edits of a fix (`setFlag`, `renameFlag` in policy.schema.json), rendered as RFC 6902
 * operations on the container's argv list, so a JSON Patch library applies them like any other.
 *
 * An edit is offered only when the token to change is plainly there: a string in a list (`args`
 * or `command`), spelled as the flag (`--dtype`, `--max_model_len`, `--dtype=bfloat16`), whose
 * value is literal text. A shell script (`sh -c "…"`: the field is one string), a value that
 * Kubernetes expands (`$(DTYPE)`), a list with `--` (what follows is positional) or a flag given
 * several values where one is wanted get no edit: changing them is a guess.
 */
import type { PatchOperation } from '../types.js';

/** Reads the object (with the fix's earlier writes) at pointer tokens. */
export type ReadAt = (tokens: readonly string[]) => { found: boolean; value: unknown };

/** A `setFlag` or `renameFlag` with its templates filled. */
export type ArgvEdit =
  | { op: 'setFlag'; flag: string; value: string; single: boolean }
  | { op: 'renameFlag'; at: string; flag: string; to: string };

/** Bounds the argv lists an edit scans (a vLLM command line is tens of tokens). */
const MAX_ARGV = 512;

/** `args[3]` → `{ field: 'args', index: 3 }`; `args` → index null; anything else null. */
function parseField(field: string): { field: 'args' | 'command'; index: number | null } | null {
  const match = /^(args|command)(?:\[(\d{1,4})\])?$/.exec(field);
  if (!match) return null;
  return { field: match[1] as 'args' | 'command', index: match[2] === undefined ? null : Number(match[2]) };
}

/** The option a long flag token names, as vLLM normalises it (`--max_model_len=4` → `max-model-len`), or null. */
function flagName(token: string): string | null {
  if (!token.startsWith('--') || token.length < 3) return null;
  const eq = token.indexOf('=');
  return (eq === -1 ? token.slice(2) : token.slice(2, eq)).replaceAll('_', '-');
}

const expands = (text: string): boolean => text.includes('$');

function stringList(read: ReadAt, tokens: readonly string[]): string[] | null {
  const node = read(tokens);
  if (!node.found || !Array.isArray(node.value) || node.value.length > MAX_ARGV) return null;
  return node.value.every((v) => typeof v === 'string') ? node.value : null;
}

/**
 * One token replaced. No `test` of the old token: it may be the literal credential the fix removes,
 * and the patch is printed, sent in SARIF and named by the webhook.
 */
function replaceToken(pointer: string, next: string): PatchOperation[] {
  return [{ op: 'replace', path: pointer, value: next }];
}

function setFlag(edit: Extract<ArgvEdit, { op: 'setFlag' }>, container: readonly string[], at: string, read: ReadAt, pointer: (tokens: readonly string[]) => string): PatchOperation[] | null {
  const where = parseField(at);
  if (!where) return null;
  const list = stringList(read, [...container, where.field]);
  if (!list || list.includes('--')) return null;
  if (where.index === null) {
    // Absent: appended to the list that holds the vLLM arguments (`command` only when there is no `args`).
    if (list.some((t) => flagName(t) === edit.flag)) return null;
    if (where.field === 'command' && read([...container, 'args']).found) return null;
    const end = pointer([...container, where.field, '-']);
    return [
      { op: 'add', path: end, value: `--${edit.flag}` },
      { op: 'add', path: end, value: edit.value },
    ];
  }
  const token = list[where.index];
  if (token === undefined || flagName(token) !== edit.flag) return null;
  const eq = token.indexOf('=');
  if (eq !== -1) {
    if (expands(token)) return null;
    return replaceToken(pointer([...container, where.field, String(where.index)]), `${token.slice(0, eq)}=${edit.value}`);
  }
  const value = list[where.index + 1];
  if (value === undefined || value.startsWith('-') || expands(value)) return null;
  const after = list[where.index + 2];
  if (edit.single && after !== undefined && !after.startsWith('-')) return null;
  return replaceToken(pointer([...container, where.field, String(where.index + 1)]), edit.value);
}

function renameFlag(edit: Extract<ArgvEdit, { op: 'renameFlag' }>, container: readonly string[], read: ReadAt, pointer: (tokens: readonly string[]) => string): PatchOperation[] | null {
  const where = parseField(edit.at);
  if (!where || where.index === null || !edit.flag.startsWith('-') || !/^--[A-Za-z0-9][A-Za-z0-9._-]*$/.test(edit.to)) return null;
  const list = stringList(read, [...container, where.field]);
  const token = list?.[where.index];
  if (!list || token === undefined) return null;
  let next: string;
  if (token === edit.flag) next = edit.to;
  else if (token.startsWith(`${edit.flag}=`) && !expands(token)) next = edit.to + token.slice(edit.flag.length);
  else return null;
  // The new name already given elsewhere: which value was meant is a person's call.
  const target = flagName(edit.to);
  if (list.some((t) => flagName(t) === target)) return null;
  return replaceToken(pointer([...container, where.field, String(where.index)]), next);
}

/**
 * The RFC 6902 operations of one argv edit for the container at pointer tokens `container`, or
 * null when the edit is not certain (see the file comment). `locate` maps an option name to its
 * container field (the `vllm.at` fact); `pointer` turns tokens into a JSON Pointer.
 */
export function argvOperations(
  edit: ArgvEdit,
  container: readonly string[],
  locate: Readonly<Record<string, string>>,
  read: ReadAt,
  pointer: (tokens: readonly string[]) => string,
): PatchOperation[] | null {
  if (edit.op === 'renameFlag') return renameFlag(edit, container, read, pointer);
  const at = Object.hasOwn(locate, edit.flag) ? locate[edit.flag] : undefined;
  if (at === undefined || edit.value === '' || edit.value.startsWith('-')) return null;
  return setFlag(edit, container, at, read, pointer);
}
