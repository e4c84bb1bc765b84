/**
 * A set of texts for the few keys a review remembers (its findings, a policy's fields): the same
 * answers as a `Set<string>`, without hashing each text. A key built by concatenation (a finding's
 * `policy\0path\0message`, ~100–300 characters) is flattened and hashed in full by a Set; here the
 * texts are grouped by length (known without flattening) and compared in full only within a group,
 * where most groups hold one text. A group that grows past BUCKET_LIMIT becomes a Set, so a review
 * with many keys of one length costs what a Set costs, never a quadratic scan.
 */

/** Texts of one length compared one by one before the group becomes a Set. */
const BUCKET_LIMIT = 8;

export interface TextSet {
  /** True when `text` was added before; otherwise adds it and answers false. */
  seen(text: string): boolean;
}

/** An empty TextSet (one per review or per policy: never shared). */
export function createTextSet(): TextSet {
  const byLength = new Map<number, string[] | Set<string>>();
  return {
    seen(text) {
      const group = byLength.get(text.length);
      if (group === undefined) {
        byLength.set(text.length, [text]);
        return false;
      }
      if (Array.isArray(group)) {
        if (group.includes(text)) return true;
        if (group.length < BUCKET_LIMIT) group.push(text);
        else byLength.set(text.length, new Set([...group, text]));
        return false;
      }
      if (group.has(text)) return true;
      group.add(text);
      return false;
    },
  };
}
