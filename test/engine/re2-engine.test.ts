// The RE2 engine handed to ajv (util/re2.ts): answers as RE2 does, whether a text is answered from
// memory (short texts seen before) or tested again, and refuses what is not RE2 or too long.
import t from 'tap';
import { createRe2Engine, MAX_PATTERN_LENGTH } from '../../src/engine/util/re2.js';

t.test('remembered answers are RE2\'s answers, for repeated, changing and long texts', async (t) => {
  const engine = createRe2Engine();
  const floating = engine('^(latest|main|nightly|stable)$', 'u');
  const texts = ['latest', 'v0.10.1.1', 'main', 'latest', 'v0.10.1.1', 'nightly', 'Latest', '', `${'a'.repeat(200)}latest`, 'stable'];
  // Twice over, and more distinct texts than are remembered, so answers are given from memory, after a clear, and without memory.
  for (let round = 0; round < 2; round++) {
    for (const text of texts) t.equal(floating.test(text), /^(latest|main|nightly|stable)$/.test(text), `round ${round}: ${JSON.stringify(text.slice(0, 20))}`);
  }
  for (let i = 0; i < 300; i++) t.equal(floating.test(i % 3 === 0 ? 'main' : `v${i}`), i % 3 === 0, `text ${i}`);
  t.equal(engine('^(latest|main|nightly|stable)$', 'u'), floating, 'a pattern is compiled once per engine');
  t.equal(String(floating), '/^(latest|main|nightly|stable)$/', 'ajv deduplicates by the pattern text');
});

t.test('a backtracking pattern stays linear, and bad patterns are refused', async (t) => {
  const engine = createRe2Engine();
  const redos = engine('^(a+)+$', 'u');
  t.equal(redos.test(`${'a'.repeat(40)}!`), false, '40 × a then ! answers at once');
  t.equal(redos.test('aaaa'), true);
  t.throws(() => engine('(?<=x)y', 'u'), 'lookbehind is not RE2');
  t.throws(() => engine('a'.repeat(MAX_PATTERN_LENGTH + 1), 'u'), /longer than/);
});
