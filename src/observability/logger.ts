/**
 * The JSON logger: pino, made by the composition root and passed down, never imported as a singleton.
 * @module
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';
import { createLineBatch } from './line-batch.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** pino level (default info). */
  level?: string;
  /** Where lines go (default stdout); tests pass a sink stream. */
  destination?: DestinationStream;
  /**
   * Stdout only (no `destination`): gather lines into writes of about LOG_BUFFER_BYTES, written at
   * the latest LOG_FLUSH_MS after the line and when the process exits (`serve`: one decision
   * line per request would otherwise cost one write, handed to a libuv thread, per request).
   */
  buffered?: boolean;
}

/** Bytes gathered before a buffered logger writes (below sonic-boom's 16 KiB write limit). */
export const LOG_BUFFER_BYTES = 8 * 1024;
/** Longest a line waits in the buffer, in milliseconds. */
export const LOG_FLUSH_MS = 200;

/**
 * Keys that may carry object contents. Decision lines never include them; the redaction is
 * the second line of defence for a debug statement or an error that drags one along.
 */
export const REDACT_PATHS = [
  'object',
  'oldObject',
  'body',
  'request.object',
  'request.oldObject',
  '*.object',
  '*.oldObject',
  '*.body',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.env',
  '*.args',
  '*.annotations',
];

/**
 * pino's `isoTime` (`,"time":"2026-11-29T21:30:00.123Z"`), with the date and time up to the
 * second formatted once per second instead of a `Date` and `toISOString` per line. Same text.
 */
export function createIsoTime(now: () => number = Date.now): () => string {
  let second = Number.NaN;
  let prefix = '';
  return () => {
    const ms = now();
    const whole = Math.floor(ms / 1000);
    if (whole !== second) {
      second = whole;
      // "YYYY-MM-DDTHH:MM:SS." (toISOString always has the milliseconds, so 20 characters up to the dot).
      prefix = `,"time":"${new Date(whole * 1000).toISOString().slice(0, 20)}`;
    }
    const rest = ms - whole * 1000;
    return `${prefix}${rest < 10 ? '00' : rest < 100 ? '0' : ''}${rest}Z"`;
  };
}

/** A pino logger writing one JSON object per line, with object contents redacted. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const options: PinoOptions = {
    level: opts.level ?? 'info',
    base: { service: 'vllm-guard' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: createIsoTime(),
  };
  if (opts.destination) return pino(options, opts.destination);
  if (opts.buffered) return pino(options, bufferedStdout());
  return pino(options);
}

/**
 * Stdout through a line batch (line-batch.ts) into pino's asynchronous destination, which writes
 * each chunk as it comes. On exit the batch goes first: its listeners are put ahead of the
 * destination's own (pino flushes that synchronously on exit, process.exit included), so the
 * last lines are handed over before it writes. One pair of listeners per buffered logger
 * (`serve` makes one).
 */
function bufferedStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false });
  const batch = createLineBatch(destination, { chunkChars: LOG_BUFFER_BYTES, flushMs: LOG_FLUSH_MS });
  process.prependOnceListener('beforeExit', () => batch.flush());
  process.prependOnceListener('exit', () => {
    try {
      batch.flushSync();
    } catch {
      // Stdout is gone (a closed pipe): nothing left to write to.
    }
  });
  return batch;
}

/**
 * The logger for the one line per decision. Those lines hold only identity and policy ids (see
 * src/server/record.ts), so they skip the redaction scan, which costs about 13 µs a line with
 * the wildcard paths above, as much as the whole engine review. Errors keep the redacting logger.
 */
export function createDecisionLogger(logger: Logger): Logger {
  return logger.child({}, { redact: { paths: [] } });
}
