import t from 'tap';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { loadConfig, parseConfig, DEFAULT_ACCELERATORS } from '../../src/config/load.js';
import { DEFAULT_VLLM_IMAGES } from '../../src/engine/vllm/detection-config.js';

t.test('without a file the embedded defaults apply', async (t) => {
  const config = loadConfig(null);
  t.equal(config.engine.mode, 'enforce');
  t.same(config.engine.detection.images, DEFAULT_VLLM_IMAGES);
  t.same(config.engine.acceleratorResources, DEFAULT_ACCELERATORS);
  t.same(config.server, { failureMode: 'open', maxBodyBytes: 3 * 1024 * 1024, passOwnedPods: true, lookups: false });
  t.equal(config.file, null);
  t.ok(Object.isFrozen(config.engine.detection), 'the config is frozen');
  t.equal(loadConfig(null, { mode: 'audit' }).engine.mode, 'audit', 'the --mode flag overrides');
});

t.test('a file sets overrides, namespaces and waivers', async (t) => {
  const dir = t.testdir({
    'config.yaml': `mode: warn
failureMode: closed
detection: { labels: { vllm-guard.io/check: "true" }, allPods: true }
policies:
  image-pinned: { action: warn, namespaces: { prod: deny } }
namespaces: { sandbox: { mode: audit } }
waivers:
  - policies: [shm-mounted]
    namespaces: [research-*]
    reason: "single-GPU experiments, INC-123"
    expires: 2027-01-31
`,
  });
  const config = loadConfig(path.join(dir, 'config.yaml'));
  t.equal(config.engine.mode, 'warn');
  t.equal(config.server.failureMode, 'closed');
  t.same(config.engine.detection.labels, { 'vllm-guard.io/check': 'true' });
  t.equal(config.engine.detection.allPods, true);
  t.same(config.engine.policies['image-pinned'], { action: 'warn', namespaces: { prod: 'deny' } });
  t.same(config.engine.waivers, [
    { policies: ['shm-mounted'], namespaces: ['research-*'], names: ['*'], reason: 'single-GPU experiments, INC-123', expires: '2027-01-31', source: 'config' },
  ]);
  t.equal(loadConfig(path.join(dir, 'config.yaml'), { mode: 'enforce' }).engine.mode, 'enforce');
});

const bad: [string, string, RegExp][] = [
  ['an unknown mode', 'mode: strict\n', /c\.yaml:1: mode must be one of enforce, warn, audit/],
  ['a typo in a field', 'mode: warn\nfailurMode: open\n', /c\.yaml:2: failurMode is not a known field/],
  ['a bad action deep inside', 'policies:\n  image-pinned:\n    namespaces:\n      prod: block\n', /c\.yaml:4: policies\.image-pinned\.namespaces\.prod must be one of deny, warn, audit, off/],
  ['a waiver without policies', 'waivers:\n  - reason: x\n', /c\.yaml:2: waivers\[0\]\.policies is required/],
  ['invalid YAML', 'mode: [warn\n', /c\.yaml:\d+: /],
  ['two documents', 'mode: warn\n---\nmode: audit\n', /expected one YAML document, found 2/],
  ['a scalar', 'just text\n', /c\.yaml:1: \(top level\) must be object/],
];

t.test('a bad config is one clear error naming the file, line and field', async (t) => {
  for (const [name, text, want] of bad) t.throws(() => parseConfig(text, 'c.yaml'), { code: 'ERR_CONFIG', message: want }, name);
});

t.test('an unreadable file says so', async (t) => {
  t.throws(() => loadConfig('/nonexistent/config.yaml'), { code: 'ERR_CONFIG', message: /\/nonexistent\/config\.yaml: cannot read the config file/ });
});

t.test('an empty file is the defaults', async (t) => {
  const dir = t.testdir({});
  writeFileSync(path.join(dir, 'empty.yaml'), '');
  t.equal(loadConfig(path.join(dir, 'empty.yaml')).engine.mode, 'enforce');
});

t.test('image patterns are compiled at load: a bad one names its field; a hostile one is harmless on RE2', async (t) => {
  t.throws(() => parseConfig('detection:\n  images: ["ok", "(?<=x)y"]\n', 'c.yaml'), {
    code: 'ERR_CONFIG',
    message: /^c\.yaml: detection\.images\[1\]: image pattern "\(\?<=x\)y" is not an RE2 regular expression/,
  });
  t.throws(() => parseConfig('detection:\n  entrypoints: [{ image: "(", command: [vllm] }]\n', 'c.yaml'), {
    message: /detection\.entrypoints\[0\]\.image: image pattern "\(" is not an RE2/,
  });
  t.ok(parseConfig('detection:\n  images: ["(a|a)*$"]\n', 'c.yaml').engine.detection.images.includes('(a|a)*$'));
});
