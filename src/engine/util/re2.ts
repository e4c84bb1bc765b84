/**
 * The regular-expression engine the policy compiler hands ajv (`code.regExp`): RE2 (re2js), so a
 * `pattern` in a policy file, or a pattern-valued param set through a ConfigMap, runs in time
 * linear in the input. V8's backtracking RegExp freezes the event loop on `^(a+)+$` against
 * 40 × `a` + `!` (../shared/cases/inputs/redos-tag.yaml). Compiled patterns are kept per ajv
 * instance (so per policy set), bounded, because `$data` patterns are compiled at evaluation time.
 */
import { RE2JS } from 're2js';

/** Longest pattern accepted; policy patterns are short. */
export const MAX_PATTERN_LENGTH = 1024;
const MAX_CACHED = 256;

interface RegExpLike {
  test(text: string): boolean;
  /** ajv deduplicates compiled patterns by `toString()`, so it must name the pattern. */
  toString(): string;
}

/** ajv's RegExpEngine shape: a function with a `code` string (used only for standalone code). */
export type RegExpEngine = ((pattern: string, flags: string) => RegExpLike) & { code: string };

/** Compiles a pattern with RE2 or throws an Error whose message says why (too long, not RE2). */
export function compileRe2(pattern: string): RegExpLike {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`the pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  const re = RE2JS.compile(pattern);
  return { test: (text: string) => re.matcher(text).find(), toString: () => `/${pattern}/` };
}

/** Answers remembered per pattern, and the longest text remembered: tags and names, not documents. */
const MAX_ANSWERS = 128;
const MAX_ANSWERED_TEXT = 128;

/**
 * A compiled pattern that remembers its answers for short texts (bounded, cleared when full). A
 * `$data` pattern (image-pinned's deniedTagPattern) is tested against the same few image tags on
 * every review, and re2js builds a matcher per test: that was most of the rule's cost.
 */
function answering(re: RegExpLike): RegExpLike {
  const answers = new Map<string, boolean>();
  return {
    test(text: string): boolean {
      if (text.length > MAX_ANSWERED_TEXT) return re.test(text);
      let answer = answers.get(text);
      if (answer === undefined) {
        answer = re.test(text);
        if (answers.size >= MAX_ANSWERS) answers.clear();
        answers.set(text, answer);
      }
      return answer;
    },
    toString: () => re.toString(),
  };
}

/**
 * A fresh RE2 engine for one ajv instance, with its own bounded cache of compiled patterns (each
 * remembering its answers for short texts). Throws as compileRe2 does.
 */
export function createRe2Engine(): RegExpEngine {
  const cache = new Map<string, RegExpLike>();
  const engine = (pattern: string): RegExpLike => {
    let re = cache.get(pattern);
    if (!re) {
      re = answering(compileRe2(pattern));
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(pattern, re);
    }
    return re;
  };
  return Object.assign(engine, { code: 'RE2JS' });
}
