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
export function createMemo<V>(capacity = MEMO_CAPACITY, maxKeyLength = 1024, options: MemoOptions = {}): Memo<V> {
  const entries = new Map<string, V>();
  const seen = options.storeOnSecondSight ? new Set<number>() : null;
  return {
    get(key, compute) {
      const hit = entries.get(key);
      if (hit !== undefined || entries.has(key)) return hit as V;
      const value = compute();
      if (key.length > maxKeyLength) return value;
      if (seen) {
        const hash = hashText(key);
        if (!seen.has(hash)) {
          if (seen.size >= SEEN_CAPACITY) seen.clear();
          seen.add(hash);
          return value;
        }
      }
      if (entries.size >= capacity) entries.clear();
      entries.set(key, value);
      return value;
    },
  };
}

export interface MemoOptions {
  /**
   * Store an answer only when its key comes a second time (a hash of the key is kept on the first).
   * For answers that are large graphs with keys that are often new (a container's argv): keeping
   * every first answer made the garbage collector copy and promote it, which cost a review that
   * never repeats more than the memo saved. A hash collision only stores an answer early.
   */
  storeOnSecondSight?: boolean;
}

/**
 * Hashes of keys seen once, at most: "again" means within the last few hundred new keys (a
 * Deployment, its ReplicaSet and its pods arrive within seconds), not within the process's life.
 */
const SEEN_CAPACITY = MEMO_CAPACITY;

/** FNV-1a over UTF-16 code units: a cheap 32-bit fingerprint, not a key (collisions are harmless here). */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Freezes a value and everything it holds (an answer a memo hands to every later caller). */
export function freezeDeep<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value as Record<string, unknown>)) freezeDeep(child);
    Object.freeze(value);
  }
  return value;
}
