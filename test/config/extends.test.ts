import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ACCELERATORS, DEFAULT_SECRET_ENV, loadConfig, parseConfig } from '../../src/config/load.js';
import { DEFAULT_ENTRYPOINTS, DEFAULT_VLLM_IMAGES } from '../../src/engine/api.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

t.test('configured lists add to the built-in ones', async (t) => {
  const config = parseConfig(
    [
      'detection:',
      '  images: ["^registry\\\\.example\\\\.com/inference/server(?:[:@]|$)"]',
      '  entrypoints: [{ image: "^registry\\\\.example\\\\.com/inference/server", command: [vllm, serve] }]',
      'acceleratorResources: [example.com/npu]',
      'secretEnv: [MY_TOKEN]',
    ].join('\n'),
    'c.yaml',
  );
  const { detection, acceleratorResources, secretEnv } = config.engine;
  t.same([...detection.images].sort(), ['^registry\\.example\\.com/inference/server(?:[:@]|$)', ...DEFAULT_VLLM_IMAGES].sort());
  t.equal(detection.entrypoints.length, DEFAULT_ENTRYPOINTS.length + 1, 'a configured ENTRYPOINT rule comes first, the built-ins stay');
  t.same([...acceleratorResources].sort(), ['example.com/npu', ...DEFAULT_ACCELERATORS].sort());
  t.same([...secretEnv].sort(), ['MY_TOKEN', ...DEFAULT_SECRET_ENV].sort());
});

t.test('an empty list keeps the built-ins; only exclude removes one', async (t) => {
  const kept = parseConfig('detection: { images: [] }\nacceleratorResources: []\nsecretEnv: []\n', 'c.yaml').engine;
  t.same(kept.detection.images, DEFAULT_VLLM_IMAGES);
  t.same(kept.acceleratorResources, DEFAULT_ACCELERATORS);
  t.same(kept.secretEnv, DEFAULT_SECRET_ENV);
  const first = DEFAULT_VLLM_IMAGES[0] as string;
  const excluded = parseConfig(
    `exclude: { images: [${JSON.stringify(first)}], acceleratorResources: [nvidia.com/gpu.shared], secretEnv: [WANDB_API_KEY] }\n`,
    'c.yaml',
  ).engine;
  t.notOk(excluded.detection.images.includes(first));
  t.equal(excluded.detection.images.length, DEFAULT_VLLM_IMAGES.length - 1);
  t.notOk(excluded.acceleratorResources.includes('nvidia.com/gpu.shared'));
  t.notOk(excluded.secretEnv.includes('WANDB_API_KEY'));
  t.throws(() => parseConfig('exclude: { policies: [x] }\n', 'c.yaml'), { code: 'ERR_CONFIG', message: /exclude\.policies is not a known field/ });
});

t.test('the shipped configs recognize what the CLI defaults recognize', async (t) => {
  const defaults = loadConfig(null).engine;
  for (const dir of ['deploy/base/config', 'deploy/overlays/audit', 'deploy/overlays/warn', 'deploy/overlays/enforce']) {
    const file = `${ROOT}${dir}/config.yaml`;
    const shipped = loadConfig(file).engine;
    t.same(shipped.detection, defaults.detection, `${dir}: detection`);
    t.same(shipped.acceleratorResources, defaults.acceleratorResources, `${dir}: accelerators`);
    t.same(shipped.secretEnv, defaults.secretEnv, `${dir}: secret env`);
    t.notMatch(readFileSync(file, 'utf8'), /images: \[\]/, `${dir}: no list that reads as "no images"`);
  }
});
