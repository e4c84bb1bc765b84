// util/paths.ts: trailing slashes trimmed by a scan, never by a backtracking regex.
import t from 'tap';
import { trimTrailingSlashes } from '../../src/engine/util/paths.js';

t.test('trailing slashes go, everything else stays', async (t) => {
  const cases: [string, string][] = [['/models//', '/models'], ['/models', '/models'], ['/', ''], ['', ''], ['a/b/', 'a/b'], ['//x', '//x']];
  for (const [input, expected] of cases) t.equal(trimTrailingSlashes(input), expected, JSON.stringify(input));
  const hostile = `${'/'.repeat(100_000)}a`;
  t.equal(trimTrailingSlashes(hostile), hostile, 'a long run of slashes before another character is kept as it is');
  t.equal(trimTrailingSlashes('/'.repeat(100_000)), '', 'and a path of slashes only is empty');
});
