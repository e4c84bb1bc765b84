/**
 * Every bound of the webhook in one place: connection and request timeouts, body limits,
 * the per-review budget and the reload timings, with their defaults, their flags and the
 * checks that refuse a value outside its range. docs/limits.md lists them for people.
 * @module
 */
import { AppError } from '../errors.js';

/** Node's timers hold a signed 32-bit millisecond count; a longer delay fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ConnectionLimits {
  /** Whole request (headers and body) must arrive within this; below the webhook's timeoutSeconds. */
  readonly requestTimeoutMs: number;
  /** A connection that sends nothing (TLS handshake unfinished, or no request yet) is closed after this. */
  readonly idleTimeoutMs: number;
  /** An idle keep-alive connection between requests is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** TCP connections beyond this are closed as they arrive. */
  readonly maxConnections: number;
}

export interface BodyLimits {
  /** Deepest nesting of objects and arrays in an AdmissionReview body. */
  readonly maxDepth: number;
  /** Most JSON values (objects, arrays, members) in one body. */
  readonly maxValues: number;
  /** Bytes of request bodies being received at once, all connections together. */
  readonly maxPendingBytes: number;
}

export interface ReviewBudget {
  /** Bytes of container command and args strings in one object. */
  readonly maxArgvBytes: number;
  /** Values (objects, arrays, scalars) in one object. */
  readonly maxNodes: number;
}

export interface ServeLimits {
  readonly connections: ConnectionLimits;
  readonly body: BodyLimits;
  readonly review: ReviewBudget;
  /** Quiet time after the last file event before a reload. */
  readonly reloadDebounceMs: number;
}

/**
 * Defaults. The request timeout stays under deploy/base/webhook.yaml's timeoutSeconds (3 s):
 * the API server gives up then, so work on a request still open is wasted. The keep-alive
 * timeout stays above the 90 s idle timeout of the API server's Go HTTP client (client-go
 * transport defaults): the API server does not retry a webhook POST whose keep-alive connection
 * was closed under it (kubernetes/kubernetes#127335), so the client must be the one to close.
 * The connection cap bounds what idle connections can hold (about 30 KB each with TLS).
 * The review budget keeps one review's synchronous work short (the engine cannot be stopped
 * half-way): 128 KiB of argv is Linux's MAX_ARG_STRLEN, the longest single argument execve(2)
 * accepts, so one container's `sh -c` script at the kernel's limit still fits; 30,000 values
 * is several times a large real Deployment with managedFields (a few thousand).
 */
export const DEFAULT_LIMITS: ServeLimits = {
  connections: { requestTimeoutMs: 2_000, idleTimeoutMs: 5_000, keepAliveTimeoutMs: 120_000, maxConnections: 1_000 },
  body: { maxDepth: 100, maxValues: 100_000, maxPendingBytes: 64 * 1024 * 1024 },
  review: { maxArgvBytes: 128 * 1024, maxNodes: 30_000 },
  reloadDebounceMs: 300,
};

interface Range {
  readonly min: number;
  readonly max: number;
}

/** Bounds per flag: sensible values, and never past Node's timer range. */
export const DURATION_RANGES: Readonly<Record<string, Range>> = {
  '--request-timeout': { min: 100, max: 30_000 },
  '--idle-timeout': { min: 100, max: 300_000 },
  '--keep-alive-timeout': { min: 1_000, max: 600_000 },
  '--reload-debounce': { min: 0, max: 60_000 },
};

export const COUNT_RANGES: Readonly<Record<string, Range>> = {
  '--max-connections': { min: 1, max: 1_000_000 },
  '--max-body-depth': { min: 16, max: 10_000 },
  '--max-body-values': { min: 1_000, max: 50_000_000 },
  '--max-pending-body-bytes': { min: 1024 * 1024, max: 4 * 1024 * 1024 * 1024 },
  '--max-argv-bytes': { min: 1024, max: 64 * 1024 * 1024 },
  '--max-object-values': { min: 1_000, max: 50_000_000 },
};

/** Seconds between background audits: 0 (off), else 10 s up to Node's timer range (24.8 days). */
export const AUDIT_INTERVAL_RANGE: Range = { min: 10, max: Math.floor(MAX_TIMER_MS / 1000) };

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

function describeMs(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function usage(flag: string, expected: string, value: string): AppError {
  // The value is a flag the operator typed, not a secret; still, never at length.
  const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return new AppError('ERR_USAGE', `${flag} must be ${expected}, got ${JSON.stringify(shown)}`);
}

/**
 * A duration flag: `2s`, `500ms`, `1.5s`, `2m`, `1h`, or a bare number of seconds.
 * Returns milliseconds; throws ERR_USAGE naming the flag when malformed or out of range.
 */
export function parseDurationFlag(value: string, flag: string, range: Range = DURATION_RANGES[flag] ?? { min: 0, max: MAX_TIMER_MS }): number {
  // Anchored, no nested quantifiers: linear on any input.
  const match = /^(\d{1,9}(?:\.\d{1,3})?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw usage(flag, 'a duration such as 2s or 500ms', value);
  const ms = Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000));
  return checkRange(ms, flag, range, value, describeMs);
}

/** A count or byte-size flag: an integer, optionally with Ki, Mi or Gi. Throws ERR_USAGE naming the flag. */
export function parseCountFlag(value: string, flag: string, range: Range = COUNT_RANGES[flag] ?? { min: 0, max: Number.MAX_SAFE_INTEGER }): number {
  const match = /^(\d{1,12})(Ki|Mi|Gi)?$/.exec(value.trim());
  if (!match) throw usage(flag, 'a whole number (bytes may end in Ki, Mi or Gi)', value);
  const count = Number(match[1]) * (BYTE_UNITS[match[2] ?? ''] ?? 1);
  return checkRange(count, flag, range, value, String);
}

function checkRange(amount: number, flag: string, range: Range, value: string, show: (n: number) => string): number {
  if (!Number.isSafeInteger(amount) || amount < range.min || amount > range.max) {
    throw usage(flag, `between ${show(range.min)} and ${show(range.max)}`, value);
  }
  return amount;
}

/**
 * The background audit interval in seconds, from --audit-interval or the config's
 * audit.interval (`source` names which, for the message). 0 turns the audit off; anything
 * else must fit Node's timer, which otherwise fires every millisecond (a full cluster audit
 * each time). Throws ERR_USAGE or ERR_CONFIG naming the source.
 */
export function checkAuditInterval(seconds: number, source: { flag: string } | { configFile: string }): number {
  if (seconds === 0) return 0;
  const { min, max } = AUDIT_INTERVAL_RANGE;
  if (Number.isInteger(seconds) && seconds >= min && seconds <= max) return seconds;
  const expected = `0 (off) or between ${min} and ${max} seconds (Node's timer range is 24.8 days), got ${seconds}`;
  if ('flag' in source) throw new AppError('ERR_USAGE', `${source.flag} must be ${expected}`);
  throw new AppError('ERR_CONFIG', `${source.configFile}: audit.interval must be ${expected}`);
}

/**
 * A duration given in code (options of createReloader, watchDirectories): milliseconds within
 * [0, MAX_TIMER_MS]. Throws RangeError naming the option.
 */
export function checkTimerMs(ms: number, name: string): number {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_TIMER_MS) {
    throw new RangeError(`${name} must be between 0 and ${MAX_TIMER_MS} ms (Node's timer range), got ${ms}`);
  }
  return ms;
}
