// util/paths.ts: trailing slashes trimmed by a scan, never by a backtracking regex.
import t from 'tap';
import { normalizeAbsolutePath, trimTrailingSlashes } from '../../src/engine/util/paths.js';

t.test('trailing slashes go, everything else stays', async (t) => {
  const cases: [string, string][] = [['/models//', '/models'], ['/models', '/models'], ['/', ''], ['', ''], ['a/b/', 'a/b'], ['//x', '//x']];
  for (const [input, expected] of cases) t.equal(trimTrailingSlashes(input), expected, JSON.stringify(input));
  const hostile = `${'/'.repeat(100_000)}a`;
  t.equal(trimTrailingSlashes(hostile), hostile, 'a long run of slashes before another character is kept as it is');
  t.equal(trimTrailingSlashes('/'.repeat(100_000)), '', 'and a path of slashes only is empty');
});

t.test('an absolute path is resolved as the kernel would: //, . and .. go; a relative one stays', async (t) => {
  const cases: [string, string][] = [['/scripts//start.sh', '/scripts/start.sh'], ['/scripts/./start.sh', '/scripts/start.sh'], ['/app/../scripts/start.sh', '/scripts/start.sh'], ['/../x', '/x'], ['/', '/'], ['start.sh', 'start.sh'], ['./a/../b', './a/../b']];
  for (const [input, expected] of cases) t.equal(normalizeAbsolutePath(input), expected, JSON.stringify(input));
  t.equal(normalizeAbsolutePath(`/scripts${'/'.repeat(100_000)}start.sh`), '/scripts/start.sh', 'a long run of slashes');
});
