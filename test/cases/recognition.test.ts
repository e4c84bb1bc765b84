// shared/cases (copied to test/fixtures/cases/) with the verdicts of its README, as a user of `check` and
// of the webhook sees them.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject, verdictOf, type Engine, type WorkloadReview } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';

const CASES = fileURLToPath(new URL('../fixtures/cases/', import.meta.url));
function engineWith(allPods = false): Engine {
  const base = loadConfig(null, { mode: 'enforce' }).engine;
  const config = { ...base, detection: { ...base.detection, allPods } };
  return createEngine({ config, policies: loadPolicies(null) });
}
const review = (file: string, allPods = false): WorkloadReview => reviewObject(engineWith(allPods), parse(readFileSync(`${CASES}${file}`, 'utf8')));
const failed = (r: WorkloadReview, action = 'deny'): string[] => [...new Set(r.findings.filter((f) => f.outcome === 'fail' && f.action === action).map((f) => f.policy))].sort();

t.test('failure-reports/02: 8 nvidia.com/vgpu count as accelerators; only the missing /dev/shm is denied for the GPUs', async (t) => {
  const r = review('failure-reports/02-vgpu-tp8-no-shm.yaml');
  t.equal(r.vllm, true);
  t.ok(failed(r).includes('shm-mounted'), 'shm-mounted denied');
  t.notOk(failed(r).includes('gpu-resource-present'), 'no "no GPU, add nvidia.com/gpu"');
  t.notOk(failed(r).includes('gpu-count-matches-parallelism'), 'TP 8 on 8 vGPUs fits');
});

t.test('inputs/env-launcher.yaml: command ["$(LAUNCHER)", "serve", …] with LAUNCHER=vllm is reviewed: 5 denials', async (t) => {
  const r = review('inputs/env-launcher.yaml');
  t.equal(r.vllm, true);
  t.same(failed(r), ['gpu-resource-present', 'image-pinned', 'no-literal-secrets', 'readiness-model-aware', 'shm-mounted']);
});

t.test('failure-reports/10: opea/vllm:latest started by its own ENTRYPOINT is vLLM and denied by image-pinned', async (t) => {
  const r = review('failure-reports/10-opea-latest-nonroot.yaml');
  t.equal(r.vllm, true);
  t.ok(failed(r).includes('image-pinned'));
  t.same(r.detection?.map((d) => [d.container, d.signals.map((s) => `${s.kind}:${s.strength}`), d.family]), [
    ['spec.template.spec.containers[0]', ['image:strong'], 'cpu'],
  ], 'detection says why: the opea/vllm image, a CPU build');
});

t.test('containers/init-generic.yaml (allPods): the privileged root :latest init container is reported', async (t) => {
  const r = review('containers/init-generic.yaml', true);
  t.ok(failed(r).includes('image-pinned'));
  t.ok(r.findings.some((f) => f.policy === 'non-root' && f.outcome === 'fail' && f.path?.includes('initContainers[0]')));
});

t.test('containers/eph.yaml (allPods): the ephemeral debug container is reported', async (t) => {
  const r = review('containers/eph.yaml', true);
  t.ok(failed(r).includes('image-pinned'));
  t.ok(r.findings.some((f) => f.policy === 'non-root' && f.outcome === 'fail' && f.path?.includes('ephemeralContainers[0]')));
});

t.test('containers/vllm-init-secret.yaml: the download init container’s literal HF_TOKEN is denied', async (t) => {
  const r = review('containers/vllm-init-secret.yaml');
  t.ok(r.findings.some((f) => f.policy === 'no-literal-secrets' && f.outcome === 'fail' && f.action === 'deny' && f.path?.includes('initContainers[0]')));
});

t.test('containers/vllm-native-sidecar.yaml: vLLM as a native sidecar is a server: TP 4 on 2 GPUs and :latest denied', async (t) => {
  const r = review('containers/vllm-native-sidecar.yaml');
  t.equal(r.vllm, true);
  t.ok(failed(r).includes('gpu-count-matches-parallelism'));
  t.ok(failed(r).includes('image-pinned'));
  t.equal(verdictOf(r).allowed, false);
});

t.test('KAITO vLLM preset (python3 /workspace/vllm/inference_api.py): a vLLM server; its --kaito-* flags are its own', async (t) => {
  const text = readFileSync(fileURLToPath(new URL('../fixtures/recognition/kaito-preset.yaml', import.meta.url)), 'utf8');
  /** The fixture with the shell script of its container changed. */
  const withScript = (edit: (script: string) => string): WorkloadReview => {
    const object = parse(text) as { spec: { template: { spec: { containers: { command: string[] }[] } } } };
    const command = object.spec.template.spec.containers[0]?.command as string[];
    command[2] = edit(command[2] as string);
    return reviewObject(engineWith(), object);
  };
  const withConfig = withScript((s) => s);
  t.equal(withConfig.vllm, true, 'the kaito-base image alone says nothing; the wrapper command does');
  t.same(withConfig.detection?.[0]?.signals.map((s) => `${s.kind}:${s.strength}`), ['argv:strong', 'engine-flags:strong']);
  t.match(withConfig.detection?.[0]?.signals[0]?.detail, /^runs python3 \/workspace\/vllm\/inference_api\.py/);
  t.notOk(withConfig.findings.some((f) => f.policy === 'vllm-args-valid' && f.outcome === 'fail'), '--kaito-config-file is not taken for an unknown vLLM flag');
  const gpu = withConfig.findings.find((f) => f.policy === 'gpu-count-matches-parallelism');
  t.match(gpu, { outcome: 'unknown', message: /could not be verified \(the KAITO vLLM preset appends vLLM arguments from the file named by --kaito-config-file/ }, 'the config file may override TP: never a deny');
  t.same(failed(withConfig), ['readiness-model-aware'], 'only what the file cannot change is denied');

  const direct = withScript((s) => s.replace(' --kaito-config-file=/mnt/config/inference_config.yaml', ''));
  t.same(failed(direct), ['gpu-count-matches-parallelism', 'readiness-model-aware', 'shm-mounted'], 'without a config file the arguments are known: TP 2 on one GPU is denied');
  t.notOk(direct.findings.some((f) => f.policy === 'metrics-exposed' && f.outcome === 'fail'), 'KAITO serves on port 5000, which the pod declares');

  const transformers = withScript(() => 'accelerate launch /workspace/tfs/inference_api.py --pipeline=text-generation --torch_dtype=bfloat16');
  t.equal(transformers.vllm, false, "KAITO's transformers runtime is not vLLM");
});
