/** Small statistics the benchmarks share. */

/** The upper median of `values` (the middle one of an odd count); NaN for none. Does not reorder `values`. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
