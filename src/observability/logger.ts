/**
 * The JSON logger: pino, made by the composition root and passed down, never imported as a singleton.
 * @module
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** pino level (default info). */
  level?: string;
  /** Where lines go (default stdout); tests pass a sink stream. */
  destination?: DestinationStream;
}

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

/** A pino logger writing one JSON object per line, with object contents redacted. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const options: PinoOptions = {
    level: opts.level ?? 'info',
    base: { service: 'vllm-guard' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/**
 * The logger for the one line per decision. Those lines hold only identity and policy ids (see
 * src/server/record.ts), so they skip the redaction scan, which costs about 13 µs a line with
 * the wildcard paths above, as much as the whole engine review. Errors keep the redacting logger.
 */
export function createDecisionLogger(logger: Logger): Logger {
  return logger.child({}, { redact: { paths: [] } });
}
