// shared/cases/admission: containers outside spec.containers reach the decision (test/fixtures/cases/README.md).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decideAdmission } from '../../src/admission/handler.js';
import { parseAdmissionReview, type AdmissionRequest } from '../../src/admission/review.js';
import { loadEngine } from '../../src/load-engine.js';

const CASES = fileURLToPath(new URL('../fixtures/cases/admission/', import.meta.url));
function requestOf(name: string): AdmissionRequest {
  const parsed = parseAdmissionReview(JSON.parse(readFileSync(`${CASES}${name}`, 'utf8')));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.review.request;
}
const loaded = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });
const ctx = { engine: loaded.engine, settings: loaded.config.server };

t.test('native-sidecar-vllm.json: vLLM as a native sidecar of a Deployment is a server and is denied', async (t) => {
  const outcome = decideAdmission(requestOf('native-sidecar-vllm.json'), ctx);
  t.equal(outcome.response.allowed, false);
  const sidecar = outcome.findings.filter((f) => f.path?.includes('initContainers[0]'));
  t.ok(sidecar.some((f) => f.policy === 'image-pinned' && f.action === 'deny'), ':latest on the sidecar');
  t.ok(sidecar.some((f) => f.policy === 'gpu-count-matches-parallelism' || f.policy === 'gpu-resource-present'), 'TP 8 without GPUs on the sidecar');
});

t.test('ephemeral-container.json: a pods/ephemeralcontainers update adding a :latest debug container is reviewed', async (t) => {
  const outcome = decideAdmission(requestOf('ephemeral-container.json'), ctx);
  t.not(outcome.decision, 'skip');
  const debug = outcome.findings.filter((f) => f.path?.includes('ephemeralContainers[0]'));
  t.ok(debug.some((f) => f.policy === 'image-pinned'), 'the :latest debug image');
  t.ok(debug.some((f) => f.policy === 'no-literal-secrets' && f.action === 'deny'), 'its literal HF_TOKEN and --api-key');
  for (const f of outcome.findings) t.notMatch(f.message, /EPHEMERALSECRET|EPHEMERALTOKEN/, 'no secret in any message');
});
