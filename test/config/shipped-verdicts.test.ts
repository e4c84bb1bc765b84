// Each shipped config (deploy/base and the overlays) must judge every example, fixture and case exactly as
// `vllm-guard check` does with no config, once the mode is the same: a config extends, it never narrows.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject, verdictOf, type Engine } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIRS = ['examples/good', 'examples/bad', 'test/fixtures/deploy', 'test/fixtures/kinds', 'test/fixtures/cases/containers', 'test/fixtures/cases/inputs', 'test/fixtures/cases/failure-reports'];
const CONFIGS = ['deploy/base/config', 'deploy/overlays/audit', 'deploy/overlays/warn', 'deploy/overlays/enforce'];

function engineFrom(file: string | null): Engine {
  const config = loadConfig(file, { mode: 'enforce' }).engine;
  return createEngine({ config, policies: loadPolicies(null) });
}

function objects(): { name: string; object: unknown }[] {
  return DIRS.flatMap((dir) =>
    readdirSync(`${ROOT}${dir}`)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(readFileSync(`${ROOT}${dir}/${f}`, 'utf8')).map((doc, i) => ({ name: `${dir}/${f}#${i}`, object: doc.toJS() as unknown }))),
  );
}

const summary = (engine: Engine, object: unknown): string => {
  const review = reviewObject(engine, object, { now: new Date('2026-06-01T00:00:00Z') });
  const verdict = verdictOf(review);
  const failed = review.findings.filter((f) => f.outcome === 'fail').map((f) => `${f.policy}:${f.action}`).sort();
  return JSON.stringify({ vllm: review.vllm, allowed: verdict.allowed, failed });
};

const defaults = engineFrom(null);
const inputs = objects();

t.test('the inputs exist', async (t) => {
  t.ok(inputs.length > 20, `${inputs.length} objects`);
});

for (const dir of CONFIGS) {
  t.test(`${dir}/config.yaml judges like the CLI defaults`, async (t) => {
    const shipped = engineFrom(`${ROOT}${dir}/config.yaml`);
    for (const { name, object } of inputs) t.equal(summary(shipped, object), summary(defaults, object), name);
  });
}

t.test('the ROCm image is recognized with the shipped config (shared/cases/inputs/rocm-image-only.yaml)', async (t) => {
  const [doc] = parseAllDocuments(readFileSync(`${ROOT}test/fixtures/cases/inputs/rocm-image-only.yaml`, 'utf8'));
  const review = reviewObject(engineFrom(`${ROOT}deploy/base/config/config.yaml`), doc?.toJS());
  t.equal(review.vllm, true);
  t.equal(verdictOf(review).allowed, false, 'denied, as without the config (image-pinned: rocm/vllm:latest)');
  t.ok(review.findings.some((f) => f.policy === 'image-pinned' && f.outcome === 'fail' && f.action === 'deny'));
});
