// Kinds of faults found by running `check` over a second set of public failure reports (issue threads and
// pull requests of vllm-project/vllm, ai-dynamo/dynamo, …): each fixture under test/fixtures/public-reports-2/
// names the report it is modeled on. What a user of `check` sees.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { byName, engine } from './recognition-fixtures.js';

/** Reviews every document of a fixture under test/fixtures/public-reports-2/ as `check` does. */
function reviewReport(name: string, edit: (text: string) => string = (s) => s): WorkloadReview[] {
  const text = edit(readFileSync(fileURLToPath(new URL(`../fixtures/public-reports-2/${name}`, import.meta.url)), 'utf8'));
  const objects = parseDocuments(text).map((d) => d.value);
  const related = createRelatedSet(objects, { scope: 'the input set' });
  return objects.map((o) => reviewObject(engine, o, { related }));
}

const argFinding = (r: WorkloadReview | undefined) => r?.findings.find((f) => f.policy === 'vllm-args-valid' && f.outcome === 'fail');

t.test('a flag vLLM removed is reported when the image may run a release without it (ai-dynamo/dynamo#8693)', async (t) => {
  // vllm-runtime:1.1.0-rc5: a release candidate no public table pins; its pods exited on --disable-log-requests.
  const rc = argFinding(byName(reviewReport('dynamo-8693-disable-log-requests.yaml'), 'agg-8xtp2'));
  t.equal(rc?.action, 'warn', 'the release is not known: a warning, never a denial');
  t.equal(rc?.path, 'spec.services.VllmDecodeWorker.extraPodSpec.mainContainer.args[4]');
  t.match(rc?.message, /^--disable-log-requests was removed in vLLM v0\.17\.0 \(last in v0\.16\.0\) \(container main\): vLLM v0\.17\.0 and later exit: "unrecognized arguments: --disable-log-requests"\. Checked against any vLLM release v0\.6\.0–v[0-9.]+ \(the image does not name its vLLM version\); version from tag 1\.1\.0-rc5 of nvcr\.io\/nvidia\/ai-dynamo\/vllm-runtime/);
  t.equal(rc?.remediation, 'remove --disable-log-requests');

  // The same manifest on a floating tag of vLLM's own image, and on a release before the removal.
  const onImage = (image: string) =>
    argFinding(byName(reviewReport('dynamo-8693-disable-log-requests.yaml', (s) => s.replaceAll('nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.1.0-rc5', image)), 'agg-8xtp2'));
  t.equal(onImage('vllm/vllm-openai:latest')?.action, 'warn', ':latest (today past v0.17.0) is warned');
  t.match(onImage('vllm/vllm-openai:v0.19.0')?.message, /^--disable-log-requests was removed in vLLM v0\.17\.0 \(last in v0\.16\.0\) \(container main\): vLLM v0\.19\.0 exits/);
  t.equal(onImage('vllm/vllm-openai:v0.19.0')?.action, 'deny', 'a release past the removal: settled');
  t.match(onImage('vllm/vllm-openai:v0.16.0')?.message, /is deprecated in vLLM v0\.16\.0/, 'the last release with it: deprecated only');
  t.notOk(onImage('vllm/vllm-openai:v0.5.4')?.message.includes('removed'), 'an image older than the table predates the removal');
});

t.test('VLLM_TRACE_FUNCTION is named as the cause of a start-up the probes kill (vllm-project/vllm#17386)', async (t) => {
  const [r] = reviewReport('vllm-17386-trace-function-startup.yaml');
  const env = r?.findings.find((f) => f.policy === 'vllm-env' && f.outcome === 'fail');
  t.equal(env?.action, 'warn');
  t.equal(env?.path, 'spec.template.spec.containers[0].env[0]');
  t.equal(env?.message, 'VLLM_TRACE_FUNCTION=1 is a debug switch that slows vLLM down in container vllm: start-up so slow that probes kill it, generation over 100x slower (vLLM docs)');
  // The 150 s startup budget is reported too.
  const startup = r?.findings.find((f) => f.policy === 'startup-probe-budget' && f.outcome === 'fail');
  t.match(startup?.message, /^startupProbe of container vllm gives up after 150 s/);
});
