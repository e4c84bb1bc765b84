// Kinds of faults found by running `check` over manifests from public failure reports (issue threads
// of vllm-project/vllm, castai/helm-charts, …): each fixture under test/fixtures/recognition/ names
// the report it is modeled on. What a user of `check` sees.
import t from 'tap';
import { byName, reviewAll } from './recognition-fixtures.js';
import type { WorkloadReview } from '../../src/engine/api.js';

const launchFinding = (r: WorkloadReview | undefined) =>
  r?.findings.find((f) => f.policy === 'vllm-args-valid' && f.outcome === 'fail' && /without the serve subco|whole command line/.test(f.message));

t.test('a vLLM image whose command never starts the server is denied, not "could not be verified"', async (t) => {
  const reviews = reviewAll('command-starts-no-server.yaml');

  const oneString = launchFinding(byName(reviews, 'vllm-one-string'));
  t.equal(oneString?.action, 'deny', 'vllm-project/vllm#4462: the whole command line as one command item');
  t.equal(oneString?.path, 'spec.template.spec.containers[0].command[0]');
  t.match(oneString?.message, /^command\[0\] is a whole command line in one item \(container vllm\): "python3 -m vllm\.entrypoints\.openai\.api_server .*: the kubelet runs it, without a shell, as one program name: "no such file"$/);
  t.match(oneString?.remediation, /one word per item: \["python3", "-m", …\]/);

  const shC = launchFinding(byName(reviews, 'castai-sh-c'));
  t.equal(shC?.action, 'deny', 'castai/helm-charts PR #729: sh -c vllm serve, the args after the script');
  t.equal(shC?.path, 'spec.template.spec.containers[0].command[2]');
  t.match(shC?.message, /^command\[2\] runs `vllm` without the serve subcommand \(container vllm\): the words after the sh -c script become its \$0, \$1, … and are lost: serve meta-/);
  t.match(shC?.remediation, /put the whole line in the script/);

  const optionFirst = launchFinding(byName(reviews, 'vllm-option-first'));
  t.equal(optionFirst?.action, 'deny');
  t.match(optionFirst?.message, /runs `vllm --model Qwen\/Qwen2\.5-7B-Instruct` without the serve subco/);

  // The other vLLM facts of such a container stay unknown, and say why.
  const dtype = byName(reviews, 'castai-sh-c')?.findings.find((f) => f.policy === 'dtype-explicit');
  t.equal(dtype?.outcome, 'unknown');
  t.match(dtype?.message, /could not be verified \(the command never starts the vLLM server: command\[2\] runs `vllm` without the serve subcommand\)/);
});

t.test('commands that start the server, or that vllm-guard cannot read to the end, get no launch fault', async (t) => {
  const reviews = reviewAll('command-starts-no-server.yaml');
  for (const name of ['sh-c-whole-line', 'path-with-space', 'vllm-version-from-env']) {
    const r = byName(reviews, name);
    t.equal(r?.vllm, true, name);
    t.notOk(launchFinding(r), `${name}: no launch finding`);
  }
  // A program name with a space that is no known launcher may be a real file: still "could not be verified".
  const path = byName(reviews, 'path-with-space')?.findings.find((f) => f.policy === 'dtype-explicit');
  t.equal(path?.outcome, 'unknown');
  t.match(path?.message, /a wrapper script\?/);
});

t.test('--compilation-config with a bare level is denied on the releases that parse it as a JSON object only', async (t) => {
  const reviews = reviewAll('compilation-config-bare-level.yaml');
  const argFinding = (name: string) => byName(reviews, name)?.findings.find((f) => f.policy === 'vllm-args-valid' && f.outcome === 'fail');
  const gie = argFinding('gie-v0-11-0');
  t.equal(gie?.action, 'deny', 'gateway-api-inference-extension#2243 on vLLM v0.11.0');
  t.equal(gie?.path, 'spec.template.spec.containers[0].args[4]');
  t.equal(gie?.message, '--compilation-config 3 is a bare level, not a JSON object (container vllm): vLLM exits: "1 validation error for CompilationConfig: Input should be an object". Checked against vLLM v0.11.0; version from tag v0.11.0 of vllm/vllm-openai, vLLM\'s own image');
  t.equal(gie?.remediation, `write a JSON object, --compilation-config '{"level": 3}', or -O3`);
  t.notOk(argFinding('level-on-v0-9-1'), 'v0.9.1: CompilationConfig.from_cli took "0".."3"');
  t.notOk(argFinding('dash-o-3'), '-O 3 is rewritten to -O.level=3 before parsing; a JSON object parses');
  t.notOk(argFinding('latest-tag'), 'release unknown: no verdict');
});

t.test('a probe of a /v1 route without an Authorization header, while vLLM requires an API key, is reported', async (t) => {
  const reviews = reviewAll('probe-v1-with-api-key.yaml');
  const probeFinding = (name: string) => byName(reviews, name)?.findings.find((f) => f.policy === 'probe-port-host');

  const liveness = probeFinding('key-flag-liveness');
  t.equal(liveness?.action, 'deny', '--api-key given: the liveness probe gets 401 for certain');
  t.equal(liveness?.path, 'spec.template.spec.containers[0].livenessProbe.httpGet.path');
  t.equal(liveness?.message, "livenessProbe of container vllm checks /v1/models without an Authorization header, but --api-key sets vLLM's API key, which every /v1 route requires: the probe gets 401 and the container is restarted over and over");
  t.same(liveness?.fix?.patch, [{ op: 'replace', path: '/spec/template/spec/containers/0/livenessProbe/httpGet/path', value: '/health' }]);

  const secret = probeFinding('key-from-secret');
  t.equal(secret?.action, 'warn', 'VLLM_API_KEY from a Secret: an empty value would set no key, so no denial');
  t.equal(secret?.message, "readinessProbe of container vllm checks /v1/models without an Authorization header, but VLLM_API_KEY (secretKeyRef) sets vLLM's API key (unless that value is empty), which every /v1 route requires: the probe gets 401 and the pod never becomes Ready");
  t.equal(secret?.remediation, 'probe /health, which the key does not cover (an httpHeaders Authorization value would put the key in the manifest)');

  for (const name of ['header-sent', 'no-key']) t.notOk(probeFinding(name), `${name}: no finding`);
  t.notOk(byName(reviews, 'key-flag-liveness')?.findings.some((f) => f.policy === 'probe-port-host' && f.path.includes('readinessProbe')), '/health is not covered by the key');
});

t.test('a platform label that routes by model name must name a model vLLM answers to (AIBrix)', async (t) => {
  const reviews = reviewAll('platform-label-served-name.yaml');
  const routing = (name: string) => byName(reviews, name)?.findings.find((f) => f.policy === 'model-reference' && /routes requests/.test(f.message));
  const mismatch = routing('mismatch');
  t.equal(mismatch?.action, 'warn', 'vllm-project/aibrix#1405');
  t.equal(mismatch?.path, 'spec.template.metadata.labels');
  t.equal(mismatch?.message, 'pods of Deployment mismatch carry model.aibrix.ai/name: deepseek-r1-distill-llama-8b, through which AIBrix routes requests for deepseek-r1-distill-llama-8b, but vLLM in container vllm-openai answers to meta-llama: requests routed by that label get 404');
  t.equal(mismatch?.remediation, 'make --served-model-name (or the model) and the model.aibrix.ai/name label of the pod template the same name');
  for (const name of ['matching', 'model-name-matches', 'no-label']) t.notOk(routing(name), `${name}: no finding`);
});

t.test("KServe's CPU vLLM build (quay.io/pierdipi/vllm-cpu) is not denied for lacking a GPU", async (t) => {
  const [r] = reviewAll('llmisvc-cpu-build-no-gpu.yaml');
  t.equal(r?.vllm, true, 'kserve/kserve#5035: an LLMInferenceService on the CPU build');
  t.notOk(r?.findings.some((f) => f.policy === 'gpu-resource-present'), 'a CPU build: no "vLLM finds no GPU"');
  t.same([...new Set(r?.findings.filter((f) => f.action === 'deny').map((f) => f.policy))], ['image-pinned'], ':latest is still denied');
});
