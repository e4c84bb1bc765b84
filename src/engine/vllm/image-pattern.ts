/**
 * Image patterns, ours and the config's, run on RE2 (re2js): matching is linear in the image
 * length whatever the pattern, so a pattern like `(a|a)*$` from a ConfigMap cannot stall the webhook.
 * V8's backtracking RegExp can, and no static check catches every such pattern.
 */
import { RE2JS } from 're2js';
import { AppError, describeError } from '../../errors.js';

/** Images are matched only up to this length. */
export const MAX_IMAGE_LENGTH = 512;
const MAX_PATTERN_LENGTH = 512;

export interface ImagePattern {
  readonly source: string;
  test(image: string): boolean;
}

/**
 * `builtIn` marks our own default patterns: they are RE2-compatible too (test/engine/image-pattern.test.ts
 * compiles each with RE2 and compares the answers) and free of nested or overlapping repetition, so
 * V8's RegExp, about 20 times faster than re2js, runs them, and they are not compiled with RE2 at all
 * (that compile was a tenth of a CLI start). Anything that came from a config runs on RE2.
 */
export function compileImagePattern(source: string, builtIn = false): ImagePattern {
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new AppError('ERR_CONFIG', `image pattern ${JSON.stringify(source.slice(0, 80))}… is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  const cap = (image: string) => (image.length > MAX_IMAGE_LENGTH ? image.slice(0, MAX_IMAGE_LENGTH) : image);
  if (builtIn) {
    const v8 = new RegExp(source);
    return { source, test: (image) => v8.test(cap(image)) };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (err: unknown) {
    throw new AppError('ERR_CONFIG', `image pattern ${JSON.stringify(source.slice(0, 80))} is not an RE2 regular expression (${describeError(err)})`, { cause: err });
  }
  return { source, test: (image) => re.matcher(cap(image)).find() };
}
