/** Bounded edit distance for "did you mean" suggestions. */

/**
 * Names one review looks up suggestions for, per list (the arguments of one container, its
 * environment): each look-up measures the name against every option or variable of the table
 * (~0.5 ms), so 4 000 misspelt flags and 4 000 misspelt VLLM_ variables cost 7 s of CPU in one
 * admission review. Past the cap a name is reported without "did you mean"; vllm-args-valid lists 32
 * fields one by one anyway, and counts the rest.
 */
export const MAX_SUGGESTED_NAMES = 64;

/**
 * Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours) between
 * `a` and `b`, or `bound + 1` as soon as it must exceed `bound`. O(len(a) × len(b)) at worst,
 * usually far less: rows stop once every cell is over the bound.
 */
export function boundedDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      row.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > bound) return bound + 1;
    prev2 = prev;
    prev = row;
  }
  return Math.min(prev[b.length] as number, bound + 1);
}

/**
 * The candidate closest to `word` within a bound that grows with the word's length (1 edit up to
 * 5 characters, then one more per 5, at most 3), or null. Ties go to the first in `candidates`.
 */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const bound = Math.min(3, Math.max(1, Math.floor(word.length / 5)));
  let best: string | null = null;
  let bestDistance = bound + 1;
  for (const c of candidates) {
    const d = boundedDistance(word, c, Math.min(bound, bestDistance - 1));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return best;
}

/**
 * Like `closest`, but only when no other candidate is as close: the one certain correction, or
 * null (a tie between two options is a person's call, not a fix).
 */
export function closestUnique(word: string, candidates: Iterable<string>): string | null {
  const bound = Math.min(3, Math.max(1, Math.floor(word.length / 5)));
  let best: string | null = null;
  let bestDistance = bound + 1;
  let tied = false;
  for (const c of new Set(candidates)) {
    const d = boundedDistance(word, c, bestDistance);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tied = false;
    } else if (d === bestDistance && d <= bound) tied = true;
  }
  return tied ? null : best;
}
