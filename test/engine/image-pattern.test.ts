import t from 'tap';
import { compileImagePattern } from '../../src/engine/image-pattern.js';

t.test('image patterns match like regular expressions, up to 512 characters of the image', async (t) => {
  t.ok(compileImagePattern('^a/b$').test('a/b'));
  t.ok(compileImagePattern('(?:^|/)vllm/vllm-openai(?:[:@]|$)').test('docker.io/vllm/vllm-openai:v0.11.0'));
  t.notOk(compileImagePattern('(?:^|/)vllm/vllm-openai(?:[:@]|$)').test('vllm/vllm-openai-fork:1'));
  t.notOk(compileImagePattern('b$').test(`${'a'.repeat(600)}b`), 'images are matched up to 512 characters');
});

t.test('patterns that backtrack without bound in V8 run in linear time on RE2', async (t) => {
  // The same answers as a regular expression would give; (a|a)*$ matches the empty end of the string.
  const hostile: [string, string, boolean][] = [
    ['^(a+)+$', `${'a'.repeat(500)}!`, false],
    ['(a|a)*$', `${'a'.repeat(500)}!`, true],
    ['^(a|a)*$', `${'a'.repeat(500)}!`, false],
    ['a*a*a*a*a*a*a*b', 'a'.repeat(512), false],
    ['^(\\w+\\s?)*$', `${'word '.repeat(100)}!`, false],
  ];
  for (const [source, image, want] of hostile) {
    const pattern = compileImagePattern(source);
    const start = process.hrtime.bigint();
    t.equal(pattern.test(image), want, source);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    // V8 takes minutes to years on these; RE2 takes well under a millisecond (generous bound for a loaded CI).
    t.ok(ms < 250, `${source}: ${ms.toFixed(2)} ms`);
  }
});

t.test('a pattern RE2 cannot compile is a config error that names it', async (t) => {
  const refused: [string, RegExp][] = [
    ['(', /image pattern "\(" is not an RE2 regular expression/],
    ['a)', /is not an RE2 regular expression/],
    ['(a)\\1', /is not an RE2 regular expression/],
    ['(?<=x)y', /is not an RE2 regular expression/],
    ['a'.repeat(600), /is longer than 512 characters/],
  ];
  for (const [source, want] of refused) t.throws(() => compileImagePattern(source), { code: 'ERR_CONFIG', message: want }, source.slice(0, 20));
});
