/**
 * A cheap pass over a raw JSON body before it is parsed: nesting depth and the number of
 * values. Parsing is what costs memory (an empty array is 2 bytes of JSON and tens of bytes
 * of heap: a 3 MB body of nested arrays held about 70 MB), and deep nesting breaks every
 * recursive reader after the parser; both are known from the bytes alone, in one pass and
 * without allocating. Not a validator: malformed JSON is left to the parser.
 * @module
 */

export interface BodyScanLimits {
  /** Deepest nesting of objects and arrays. */
  readonly maxDepth: number;
  /** Most values: every object, array and comma-separated member or element counts one. */
  readonly maxValues: number;
}

export interface BodyScanProblem {
  /** Stable, for metrics and programs. */
  readonly reason: 'too-deep' | 'too-many-values';
  readonly message: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * Scans UTF-8 JSON bytes; returns the first limit passed, or null. Linear in the body length,
 * stops at the first byte over a limit. Bytes inside strings (escapes included) never count.
 */
export function scanJsonBody(body: Uint8Array, limits: BodyScanLimits): BodyScanProblem | null {
  let depth = 0;
  let values = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < body.length; i += 1) {
    const byte = body[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    switch (byte) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        depth += 1;
        values += 1;
        if (depth > limits.maxDepth) {
          return { reason: 'too-deep', message: `the body nests objects and arrays deeper than ${limits.maxDepth} levels (--max-body-depth)` };
        }
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        depth -= 1;
        break;
      case COMMA:
        values += 1;
        break;
      default:
        continue;
    }
    if (values > limits.maxValues) {
      return { reason: 'too-many-values', message: `the body holds more than ${limits.maxValues} JSON values (--max-body-values)` };
    }
  }
  return null;
}
