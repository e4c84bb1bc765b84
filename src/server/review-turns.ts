/**
 * Reviews in turns: the review routes queue each request they accept, and once per event-loop
 * turn (`setImmediate`) everything queued is reviewed back to back, then answered and recorded
 * in arrival order.
 *
 * Why: in the server the engine's review of a vLLM Deployment cost about twice its CPU in a loop
 * of reviews (bench/insitu.ts; bench/PROFILE.md, steps W4–W6). A review runs ~360 distinct
 * functions and a request's HTTP, TLS and Fastify code ~350 others; run one after the other, each
 * finds the core's caches filled by the other. When several connections are busy, several
 * requests arrive in one turn, and their reviews then follow one another. Not young-generation GC:
 * scavenges cost ~10 µs per request and a larger young generation changed nothing.
 *
 * A request waits at most for the reviews of the requests that arrived in the same turn; the
 * queue holds only requests already read and parsed (bounded by the in-flight body budget).
 * Answering a turn later has two consequences the app handles: a client that half-closes after
 * its request must still get the answer (app.ts: allowHalfOpen), and on SIGTERM the queued
 * reviews are answered before Node closes the idle connections (start.ts waits a turn).
 * @module
 */

/** Queues work for the next turn; `add` never runs anything itself. */
export interface ReviewTurns<T> {
  add(item: T): void;
}

/**
 * A queue drained once per event-loop turn: `run` gets every item added since the last drain,
 * in the order they were added, and must not throw (it runs from `setImmediate`, where a throw
 * would end the process). Items added while `run` runs wait for the next turn.
 */
export function createReviewTurns<T>(run: (items: readonly T[]) => void): ReviewTurns<T> {
  let queued: T[] = [];
  let scheduled = false;
  const drain = (): void => {
    scheduled = false;
    const items = queued;
    queued = [];
    run(items);
  };
  return {
    add(item: T): void {
      queued.push(item);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    },
  };
}
