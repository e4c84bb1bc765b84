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
  const measured = measureJsonBody(body, limits);
  return typeof measured === 'number' ? null : measured;
}

/**
 * scanJsonBody, and within the limits the number of values counted (every object and array,
 * and one per comma). A parse of the body holds at most that many plus one values in any part
 * of it (each object or array counts itself and, per member past the first, a comma), which
 * lets a caller skip counting them again.
 */
export function measureJsonBody(body: Uint8Array, limits: BodyScanLimits): BodyScanProblem | number {
  const { maxDepth, maxValues } = limits;
  const length = body.length;
  let depth = 0;
  let values = 0;
  let i = 0;
  while (i < length) {
    const byte = body[i++];
    if (byte === QUOTE) {
      // Most of a body is inside strings: skip to the closing quote in a loop of its own. An
      // escape skips the byte after the backslash. An unterminated string ends the scan.
      while (i < length) {
        const inner = body[i++];
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) i += 1;
      }
      continue;
    }
    if (byte === COMMA) {
      values += 1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      values += 1;
      if (depth > maxDepth) {
        return { reason: 'too-deep', message: `the body nests objects and arrays deeper than ${maxDepth} levels (--max-body-depth)` };
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth -= 1;
    } else {
      continue;
    }
    if (values > maxValues) {
      return { reason: 'too-many-values', message: `the body holds more than ${maxValues} JSON values (--max-body-values)` };
    }
  }
  return values;
}
