/**
 * "Did you mean …?" for a mistyped policy id, field or parameter: the candidates closest by edit
 * distance (Damerau–Levenshtein, optimal string alignment), or sharing the typed text as a prefix
 * or a part (`shm` → shm-mounted, shm-size-limit). Bounded: words are cut at 128 characters.
 * @module
 */

const MAX_WORD = 128;

/** Edit distance with adjacent transpositions counted as one edit ("pined" → "pinned" is 1). */
export function editDistance(a: string, b: string): number {
  const s = a.slice(0, MAX_WORD);
  const t = b.slice(0, MAX_WORD);
  let before: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[t.length] ?? 0;
}

/**
 * Up to three candidates a user probably meant, best first; empty when none is close.
 * Close = within a third of the word's length in edits (at least 2), or a part of the candidate
 * (between dashes) starting with the word or within a quarter of its length in edits.
 */
export function suggest(word: string, candidates: Iterable<string>): string[] {
  const typed = word.toLowerCase().slice(0, MAX_WORD);
  const limit = Math.max(2, Math.floor(typed.length / 3));
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    if (lower === typed) continue;
    const distance = editDistance(typed, lower);
    if (distance <= limit) {
      scored.push({ candidate, score: distance });
      continue;
    }
    // A part of the id: `shm` → shm-mounted, `pined` → image-pinned.
    if (typed.length < 3) continue;
    const partLimit = Math.max(1, Math.floor(typed.length / 4));
    const nearest = Math.min(...lower.split(/[-_.]/).map((part) => (part.startsWith(typed) ? 0 : editDistance(typed, part))));
    if (nearest <= partLimit) scored.push({ candidate, score: limit + 1 + nearest });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((s) => s.candidate);
}

/** "; did you mean a or b?" or an empty string, to append to an error message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const found = suggest(word, candidates);
  if (found.length === 0) return '';
  const list = found.length === 1 ? found[0] : `${found.slice(0, -1).join(', ')} or ${found.at(-1)}`;
  return `; did you mean ${list}?`;
}
