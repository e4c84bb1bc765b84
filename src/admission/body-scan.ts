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

/** surveyJsonBody's answer without the survey: the first limit passed, or null. */
export function scanJsonBody(body: Uint8Array, limits: BodyScanLimits): BodyScanProblem | null {
  const survey = surveyJsonBody(body, limits);
  return 'reason' in survey ? survey : null;
}

/** What surveyJsonBody found in a body within the limits. */
export interface BodySurvey {
  /**
   * Every object and array, and one per comma. A parse of the body holds at most that many plus
   * one values in any part of it (each object or array counts itself and, per member past the
   * first, a comma), which lets a caller skip counting them again.
   */
  readonly values: number;
  /**
   * False when no string in the body can decode to `__proto__` or `constructor`: then the parse
   * of the body holds no such key, and a prototype-poisoning filter has nothing to remove.
   * True when one might (such a string, or a short one with escapes): the caller filters.
   */
  readonly prototypeKeys: boolean;
}

/**
 * Scans UTF-8 JSON bytes: the first limit passed, or else the values counted and whether a string
 * of the body may name a prototype key (BodySurvey), in one pass. Linear in the body length, stops
 * at the first byte over a limit; bytes inside strings (escapes included) never count. A string
 * decodes to `__proto__` (9 characters) or `constructor` (11) only from 9 or 11 plain bytes, or
 * from 9 to 66 bytes with escapes (`\u005f` is 6 bytes for one character); only those strings are
 * looked at again, and any such string with an escape counts as one, without decoding it.
 */
export function surveyJsonBody(body: Uint8Array, limits: BodyScanLimits): BodyScanProblem | BodySurvey {
  const { maxDepth, maxValues } = limits;
  const length = body.length;
  let depth = 0;
  let values = 0;
  let prototypeKeys = false;
  // Four bytes at a time inside strings when the body starts on a 4-byte boundary (Fastify's
  // buffers do): a word with no quote and no backslash is passed over whole.
  const words = body.byteOffset % 4 === 0 ? new Int32Array(body.buffer, body.byteOffset, length >> 2) : undefined;
  const wordsEnd = words === undefined ? 0 : words.length * 4;
  let i = 0;
  while (i < length) {
    const byte = body[i++];
    if (byte === QUOTE) {
      // Most of a body is inside strings: skip to the closing quote in a loop of its own. An
      // escape skips the byte after the backslash. An unterminated string ends the scan.
      const start = i;
      let escaped = false;
      while (i < length) {
        if ((i & 3) === 0 && i < wordsEnd && !holdsQuoteOrBackslash((words as Int32Array)[i >> 2] as number)) {
          i += 4;
          continue;
        }
        const inner = body[i++];
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) {
          i += 1;
          escaped = true;
        }
      }
      const size = i - 1 - start;
      if (!prototypeKeys && size >= PROTO.length && size <= MAX_ESCAPED_KEY_BYTES) prototypeKeys = mayNamePrototypeKey(body, start, size, escaped);
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
  return { values, prototypeKeys };
}

/**
 * True when one of the four bytes of `word` is a quote or a backslash: the classic test for a
 * zero byte, `(x - 0x01010101) & ~x & 0x80808080`, on the word XOR each byte repeated. Exact
 * for "some byte is zero" (a borrow only passes a zero byte), so never a false negative.
 */
function holdsQuoteOrBackslash(word: number): boolean {
  const quotes = word ^ 0x22222222;
  const backslashes = word ^ 0x5c5c5c5c;
  return ((((quotes - 0x01010101) & ~quotes) | ((backslashes - 0x01010101) & ~backslashes)) & 0x80808080) !== 0;
}

/** The keys a prototype-poisoning filter removes, as bytes (secure-json-parse 4.1.1, index.js). */
const PROTO = Buffer.from('__proto__');
const CONSTRUCTOR = Buffer.from('constructor');
/** `constructor` with every character written as a six-byte `\uXXXX` escape. */
const MAX_ESCAPED_KEY_BYTES = CONSTRUCTOR.length * 6;

/** The `size` raw bytes of a string from `start` may decode to a prototype key (escaped: any escape in them). */
function mayNamePrototypeKey(body: Uint8Array, start: number, size: number, escaped: boolean): boolean {
  if (escaped) return true;
  const key = size === PROTO.length ? PROTO : size === CONSTRUCTOR.length ? CONSTRUCTOR : undefined;
  if (key === undefined) return false;
  for (let k = 0; k < size; k += 1) if (body[start + k] !== key[k]) return false;
  return true;
}
