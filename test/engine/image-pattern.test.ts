import t from 'tap';
import { compileImagePattern } from '../../src/engine/vllm/image-pattern.js';
import { HANG_CEILING_MS } from '../hang-ceiling.js';

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
    // V8 takes minutes to years on these; RE2 well under a millisecond. The ceiling only tells a hang.
    t.ok(ms < HANG_CEILING_MS, `${source}: ${ms.toFixed(2)} ms`);
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

t.test('the built-in patterns run on V8 but are valid RE2 and answer the same on both engines', async (t) => {
  const { DEFAULT_VLLM_IMAGES } = await import('../../src/engine/vllm/detection-config.js');
  const { DEFAULT_ENTRYPOINTS } = await import('../../src/engine/command/argv.js');
  const images = [
    'vllm/vllm-openai:v0.11.0', 'docker.io/vllm/vllm-openai@sha256:abc', 'vllm/vllm-openai-rocm:v0.9', 'rocm/vllm-dev:nightly',
    'ghcr.io/llm-d/llm-d-cuda:v0.3.0', 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.2.0', 'kserve/huggingfaceserver:v0.15.0-gpu',
    'nginx:1.27', 'myvllm/vllm-openai-fork:1', `${'a'.repeat(600)}vllm/vllm-openai:1`,
  ];
  for (const source of [...DEFAULT_VLLM_IMAGES, ...DEFAULT_ENTRYPOINTS.map((e) => e.image)]) {
    const fast = compileImagePattern(source, true);
    const safe = compileImagePattern(source);
    for (const image of images) t.equal(fast.test(image), safe.test(image), `${source} on ${image.slice(0, 40)}`);
  }
});
