/**
 * The limit flags of `vllm-guard serve` (docs/limits.md): declared and parsed here, apart from
 * serve.ts, so that `check` and the other commands load none of the server's modules.
 * @module
 */
import type { Command } from 'commander';
import { DEFAULT_LIMITS, parseCountFlag, parseDurationFlag, type ServeLimits } from '../server/limits.js';

/** The limit flags as commander hands them over: strings, absent when not given. */
export interface LimitFlags {
  requestTimeout?: string;
  idleTimeout?: string;
  keepAliveTimeout?: string;
  maxConnections?: string;
  maxBodyDepth?: string;
  maxBodyValues?: string;
  maxPendingBodyBytes?: string;
  maxArgvBytes?: string;
  maxObjectValues?: string;
  reloadDebounce?: string;
}

/** Adds the limit flags to `serve` (docs/limits.md lists them with their reasons). */
export function addLimitOptions(command: Command): Command {
  const d = DEFAULT_LIMITS;
  return command
    .option('--request-timeout <duration>', `time to receive a whole request; keep it below the webhook's timeoutSeconds (default ${d.connections.requestTimeoutMs / 1000}s)`)
    .option('--idle-timeout <duration>', `close a connection that sends nothing, TLS handshake included (default ${d.connections.idleTimeoutMs / 1000}s)`)
    .option('--keep-alive-timeout <duration>', `close a kept-alive connection idle this long (default ${d.connections.keepAliveTimeoutMs / 1000}s, above the API server's 90 s)`)
    .option('--max-connections <n>', `connections served at once; more are closed (default ${d.connections.maxConnections})`)
    .option('--max-body-depth <n>', `deepest nesting in an AdmissionReview body (default ${d.body.maxDepth})`)
    .option('--max-body-values <n>', `most JSON values in an AdmissionReview body (default ${d.body.maxValues})`)
    .option('--max-pending-body-bytes <bytes>', `bytes of request bodies received at once (default ${d.body.maxPendingBytes / 1024 / 1024}Mi)`)
    .option('--max-argv-bytes <bytes>', `review budget: bytes of command and args in one object (default ${d.review.maxArgvBytes / 1024}Ki)`)
    .option('--max-object-values <n>', `review budget: values in one object (default ${d.review.maxNodes})`)
    .option('--reload-debounce <duration>', `quiet time after a policy or config file changes before reloading (default ${d.reloadDebounceMs}ms)`);
}

/** The limits from the flags over DEFAULT_LIMITS. Throws ERR_USAGE naming the flag for a bad value. */
export function parseLimitOptions(flags: LimitFlags): ServeLimits {
  const d = DEFAULT_LIMITS;
  const duration = (value: string | undefined, flag: string, fallback: number) => (value === undefined ? fallback : parseDurationFlag(value, flag));
  const count = (value: string | undefined, flag: string, fallback: number) => (value === undefined ? fallback : parseCountFlag(value, flag));
  return {
    connections: {
      requestTimeoutMs: duration(flags.requestTimeout, '--request-timeout', d.connections.requestTimeoutMs),
      idleTimeoutMs: duration(flags.idleTimeout, '--idle-timeout', d.connections.idleTimeoutMs),
      keepAliveTimeoutMs: duration(flags.keepAliveTimeout, '--keep-alive-timeout', d.connections.keepAliveTimeoutMs),
      maxConnections: count(flags.maxConnections, '--max-connections', d.connections.maxConnections),
    },
    body: {
      maxDepth: count(flags.maxBodyDepth, '--max-body-depth', d.body.maxDepth),
      maxValues: count(flags.maxBodyValues, '--max-body-values', d.body.maxValues),
      maxPendingBytes: count(flags.maxPendingBodyBytes, '--max-pending-body-bytes', d.body.maxPendingBytes),
    },
    review: {
      maxArgvBytes: count(flags.maxArgvBytes, '--max-argv-bytes', d.review.maxArgvBytes),
      maxNodes: count(flags.maxObjectValues, '--max-object-values', d.review.maxNodes),
    },
    reloadDebounceMs: duration(flags.reloadDebounce, '--reload-debounce', d.reloadDebounceMs),
  };
}

