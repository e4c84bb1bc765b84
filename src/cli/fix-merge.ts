/**
 * Keeps untouched lines byte for byte. The `yaml` package re-serialises a whole document: it keeps
 * comments, key order and quoting, but normalises some formatting (the spaces before a `#`
 * comment, a multi-line quoted scalar). So the edit is carried over as a three-way merge of lines:
 * `before` (the file), `plain` (the parsed file serialised with no change) and `edited` (serialised
 * after the fixes). Lines the fixes did not touch come from `before`; a block that the serialiser
 * reformatted keeps its original lines unless a fix changed something inside it.
 */
import { diffArrays } from 'diff';

function linesOf(text: string): string[] {
  return text.split(/(?<=\n)/);
}

/** Merges the change plain → edited onto before (see above). Pure. */
export function carryEdit(before: string, plain: string, edited: string): string {
  const original = linesOf(before);
  const base = linesOf(plain);
  const next = linesOf(edited);
  // For each base line: whether edited keeps it, and the edited lines inserted after it (index -1: at the top).
  const kept = new Array<boolean>(base.length).fill(true);
  const inserted = new Map<number, string[]>();
  let b = 0;
  for (const part of diffArrays(base, next)) {
    if (part.removed) {
      for (let i = 0; i < part.value.length; i++) kept[b + i] = false;
      b += part.value.length;
    } else if (part.added) {
      const at = b - 1;
      inserted.set(at, [...(inserted.get(at) ?? []), ...part.value]);
    } else b += part.value.length;
  }
  const out: string[] = [...(inserted.get(-1) ?? [])];
  const emitBase = (i: number): void => {
    if (kept[i]) out.push(base[i] as string);
    out.push(...(inserted.get(i) ?? []));
  };
  b = 0;
  const parts = diffArrays(base, original);
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    if (!part.added && !part.removed) {
      // Same line in both: take the file's own text when the edit keeps it.
      for (let i = 0; i < part.value.length; i++) {
        if (kept[b + i]) out.push(part.value[i] as string);
        out.push(...(inserted.get(b + i) ?? []));
      }
      b += part.value.length;
      continue;
    }
    // A reformatted block: base lines (removed) against the file's lines (added), in either order.
    const removed = part.removed ? part : null;
    const nextPart = parts[p + 1];
    const added = part.added ? part : nextPart?.added ? nextPart : null;
    if (removed && added === nextPart) p++;
    const count = removed ? removed.value.length : 0;
    let untouched = true;
    for (let i = 0; i < count; i++) if (!kept[b + i] || (i < count - 1 && inserted.has(b + i))) untouched = false;
    if (!untouched && added && count === added.value.length && ![...Array(count - 1).keys()].some((i) => inserted.has(b + i))) {
      // Line for line: each line the fixes kept comes from the file, each changed line from the edit.
      for (let i = 0; i < count; i++) {
        if (kept[b + i]) out.push(added.value[i] as string);
        out.push(...(inserted.get(b + i) ?? []));
      }
    } else if (untouched) {
      out.push(...(added ? added.value : []));
      if (count > 0) out.push(...(inserted.get(b + count - 1) ?? []));
    } else for (let i = 0; i < count; i++) emitBase(b + i);
    b += count;
  }
  return out.join('');
}
