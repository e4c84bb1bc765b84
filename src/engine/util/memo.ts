/**
 * A bounded memo for pure lookups the engine repeats on every review with the same few strings
 * (an image reference, a model id): built inside createEngine, never at module level, so two engines
 * (a reload's old and new) share nothing. Results must be treated as read-only by every caller.
 */

/** Distinct keys kept per memo: a cluster runs a few dozen images and models, not thousands. */
export const MEMO_CAPACITY = 256;

export interface Memo<V> {
  /** The cached answer for `key`, else `compute()` stored under it. Deterministic when `compute` is. */
  get(key: string, compute: () => V): V;
}

/**
 * A memo holding at most `capacity` keys (default MEMO_CAPACITY). When full it is cleared before the
 * next key is stored: an attacker sending ever-new strings costs one compute per request, as without
 * the memo, and memory stays bounded. Keys longer than `maxKeyLength` (default 1 024) are computed
 * and not stored.
 */
export function createMemo<V>(capacity = MEMO_CAPACITY, maxKeyLength = 1024): Memo<V> {
  const entries = new Map<string, V>();
  return {
    get(key, compute) {
      const hit = entries.get(key);
      if (hit !== undefined || entries.has(key)) return hit as V;
      const value = compute();
      if (key.length > maxKeyLength) return value;
      if (entries.size >= capacity) entries.clear();
      entries.set(key, value);
      return value;
    },
  };
}
