/**
 * Steady load for the drills: a few callers posting AdmissionReviews in a loop, each with its own
 * uid, recording every answer and every transport error until stopped.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:https';
import path from 'node:path';
import { callWebhook, REPO, type Reply } from './child-server.js';

/** The checked-in examples: what `kubectl apply` of a bad and a so-so vLLM Deployment sends. */
export function readExampleReview(name: 'deny' | 'warn'): Record<string, any> {
  return JSON.parse(readFileSync(path.join(REPO, 'examples/admission', `${name}.json`), 'utf8')) as Record<string, any>;
}

export function withUid(review: Record<string, any>, uid = randomUUID()): Record<string, any> {
  return { ...review, request: { ...review.request, uid } };
}

export interface LoadStats {
  readonly sent: number;
  readonly replies: Reply[];
  /** uid of each reply, in the order the replies arrived. */
  readonly uids: string[];
  /** Transport errors (code or message), e.g. ECONNRESET. */
  readonly errors: string[];
  /** Replies that `check` refused, with why. */
  readonly wrong: string[];
}

export interface LoadOptions {
  readonly port: number;
  readonly ca: string;
  readonly review: Record<string, any>;
  readonly concurrency: number;
  /** keep-alive agent (the API server's way), or false for a new TLS handshake per call. */
  readonly agent: Agent | false;
  /** Returns why a reply is wrong, or null. */
  readonly check?: (reply: Reply, uid: string) => string | null;
  /** Pause between calls of one caller (ms). */
  readonly pauseMs?: number;
}

export function startLoad(opts: LoadOptions): { stats: LoadStats; stop(): Promise<LoadStats> } {
  const stats = { sent: 0, replies: [] as Reply[], uids: [] as string[], errors: [] as string[], wrong: [] as string[] };
  let running = true;
  async function caller(): Promise<void> {
    while (running) {
      const uid = randomUUID();
      stats.sent++;
      try {
        const reply = await callWebhook(opts.port, withUid(opts.review, uid), { ca: opts.ca, agent: opts.agent });
        stats.replies.push(reply);
        stats.uids.push(String(reply.body?.response?.uid));
        const why = opts.check?.(reply, uid) ?? null;
        if (why !== null) stats.wrong.push(why);
      } catch (err: unknown) {
        stats.errors.push((err as NodeJS.ErrnoException).code ?? (err as Error).message);
      }
      if (opts.pauseMs) await new Promise((resolve) => setTimeout(resolve, opts.pauseMs));
    }
  }
  const callers = Array.from({ length: opts.concurrency }, () => caller());
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(callers);
      return stats;
    },
  };
}

/** A check that the reply is the AdmissionReview answer for `uid` with the expected decision. */
export function expectDecision(allowed: boolean): (reply: Reply, uid: string) => string | null {
  return (reply, uid) => {
    if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.text.slice(0, 200)}`;
    if (reply.body?.response?.uid !== uid) return `uid ${String(reply.body?.response?.uid)} for ${uid}`;
    if (reply.body?.response?.allowed !== allowed) return `allowed=${String(reply.body?.response?.allowed)}, expected ${allowed}`;
    return null;
  };
}
