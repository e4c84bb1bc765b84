// Finding 5 (review budget): an object over the budget is not handed to the engine; the failure
// mode answers and says why, naming the budget and never a value.
import t from 'tap';
import { measureObjectBudget } from '../../src/admission/budget.js';
import { buildApp } from '../../src/server/app.js';
import { loadServingState, type ServingState } from '../../src/server/reload.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLogSink, FIXTURE_POLICIES, loadReview } from '../server/helpers.js';

const good = loadServingState({ configFile: null, policiesDir: FIXTURE_POLICIES });

/** The case: a legal Deployment with 32 containers, each a 44 KB `sh -c` script (1.4 MB). */
function scriptHeavyReview(): Record<string, any> {
  const review = loadReview('deployment-deny.json');
  const template = review.request.object.spec.template.spec;
  const base = template.containers[0];
  const script = `echo start; ${'python3 -m vllm.entrypoints.openai.api_server --model m --port 8000 & '.repeat(640)}wait # SECRET-CANARY-77`;
  template.containers = Array.from({ length: 32 }, (_, i) => ({ ...base, name: `c${i}`, command: ['sh', '-c'], args: [script] }));
  return review;
}

function build(failureMode: 'open' | 'closed') {
  const state: ServingState = { ...good, settings: { ...good.settings, failureMode } };
  const sink = createLogSink();
  const metrics = createMetrics({ defaultMetrics: false });
  const app = buildApp({ logger: sink.logger, metrics, getState: () => state, bodyLimit: 3 * 1024 * 1024 });
  return { app, sink, metrics };
}

t.test('measureObjectBudget counts command and args bytes anywhere, and stops at the first limit', async (t) => {
  const review = scriptHeavyReview();
  const over = measureObjectBudget(review.request.object, { maxArgvBytes: 256 * 1024 });
  t.equal(over.ok, false);
  if (!over.ok) {
    t.equal(over.exceeded, 'argv-bytes');
    t.ok(over.measure.argvBytes > 256 * 1024 && over.measure.argvBytes < 400 * 1024, 'stopped soon after the limit, not after 1.4 MB');
    t.notOk(over.message.includes('CANARY'), 'no value in the message');
  }
  const within = measureObjectBudget(loadReview('deployment-deny.json').request.object, { maxArgvBytes: 256 * 1024 });
  t.equal(within.ok, true);
  t.ok(within.measure.argvBytes > 0, 'a normal Deployment has some argv');
  const probe = measureObjectBudget({ spec: { livenessProbe: { exec: { command: ['x'.repeat(2000)] } } } }, { maxArgvBytes: 1024 });
  t.equal(probe.ok, false, 'exec probe commands count too');
});

t.test('measureObjectBudget is iterative: a 100,000-deep object is measured, not a stack overflow', async (t) => {
  let deep: unknown = 'leaf';
  for (let i = 0; i < 100_000; i += 1) deep = [deep];
  const result = measureObjectBudget({ a: deep }, { maxArgvBytes: 1024, maxDepth: 200 });
  t.equal(result.ok, false);
  if (!result.ok) t.equal(result.exceeded, 'depth');
  const nodes = measureObjectBudget({ a: Array.from({ length: 5000 }, () => 1) }, { maxArgvBytes: 1024, maxNodes: 1000 });
  t.equal(nodes.ok ? '' : nodes.exceeded, 'nodes');
});

t.test('fail-open: the 1.4 MB script-heavy Deployment is allowed with a warning that says why', async (t) => {
  const { app, sink, metrics } = build('open');
  const reply = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(scriptHeavyReview()) });
  t.equal(reply.statusCode, 200);
  const response = reply.json().response;
  t.equal(response.allowed, true);
  t.match(response.warnings?.[0], /did not check Deployment ml\/llama-70b: its commands and args total over 128 KiB \(review budget, --max-argv-bytes\); allowed unchecked because failureMode is open/);
  t.notOk(reply.body.includes('CANARY'));
  t.match(await metrics.registry.metrics(), /vllm_guard_admission_errors_total\{reason="over-budget"\} 1/);
  const line = sink.lines.find((l) => l.decision === 'fail-open');
  t.equal(line?.level, 40, 'a warning in the log, not an internal error');
  t.notOk(sink.raw.join('\n').includes('CANARY'), 'no script in the log');
  await app.close();
});

t.test('fail-closed: the same object is denied with the reason, as a too-large request', async (t) => {
  const { app } = build('closed');
  const reply = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(scriptHeavyReview()) });
  const response = reply.json().response;
  t.equal(response.allowed, false);
  t.equal(response.status.code, 413);
  t.match(response.status.message, /review budget.*denied because failureMode is closed/);
  await app.close();
});

t.test('an object with more values than the review budget is answered by the failure mode too', async (t) => {
  const { app } = build('open');
  const review = loadReview('deployment-deny.json');
  review.request.object.spec.template.spec.containers[0].env = Array.from({ length: 12_000 }, (_, i) => ({ name: `V${i}`, value: 'x' }));
  const reply = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(review) });
  t.match(reply.json().response.warnings?.[0], /holds more than 30000 values \(review budget, --max-object-values\); allowed unchecked/);
  await app.close();
});

t.test('an object within budget is reviewed as before', async (t) => {
  const { app } = build('open');
  const reply = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(loadReview('deployment-deny.json')) });
  t.equal(reply.json().response.allowed, false, 'the fixture is denied by its policies');
  await app.close();
});

t.test('a body the pre-scan proves within the budget never holds an object over it (the route skips measuring)', async (t) => {
  const { surveyJsonBody } = await import('../../src/admission/body-scan.js');
  const countValues = (bytes: Buffer, limits: { maxDepth: number; maxValues: number }): number | string => {
    const survey = surveyJsonBody(bytes, limits);
    return 'reason' in survey ? survey.reason : survey.values;
  };
  const { bodyWithinObjectBudget } = await import('../../src/admission/budget.js');
  const fc = (await import('fast-check')).default;
  const argv = fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 6 });
  let proven = 0;
  fc.assert(
    fc.property(argv, argv, fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 2_000 }), (command, args, extra, maxNodes, maxArgvBytes) => {
      const text = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', request: { object: { spec: { containers: [{ command, args, extra }] } } } });
      const bytes = Buffer.from(text, 'utf8');
      const values = countValues(bytes, { maxDepth: 1_000, maxValues: 1_000_000 });
      if (typeof values !== 'number') return false;
      const limits = { maxNodes, maxArgvBytes };
      if (!bodyWithinObjectBudget({ bytes: bytes.length, values }, limits)) return true;
      proven += 1;
      const object = (JSON.parse(bytes.toString('utf8')) as { request: { object: unknown } }).request.object;
      return measureObjectBudget(object, limits).ok;
    }),
    { numRuns: 3_000 },
  );
  t.ok(proven > 100, `${proven} bodies proven within the budget, each measured within it`);
  // Invalid UTF-8 decodes to U+FFFD, three bytes for one: the bound allows for it.
  const invalid = Buffer.concat([Buffer.from('{"request":{"object":{"command":["'), Buffer.alloc(300, 0xff), Buffer.from('"]}}}')]);
  const values = countValues(invalid, { maxDepth: 10, maxValues: 100 });
  t.equal(typeof values, 'number');
  const limits = { maxNodes: 100, maxArgvBytes: invalid.length * 3 };
  t.ok(bodyWithinObjectBudget({ bytes: invalid.length, values: values as number }, limits));
  const object = (JSON.parse(invalid.toString('utf8')) as { request: { object: unknown } }).request.object;
  t.equal(measureObjectBudget(object, limits).measure.argvBytes, 900, 'three bytes per invalid byte');
  t.ok(measureObjectBudget(object, limits).ok);
  t.notOk(bodyWithinObjectBudget({ bytes: invalid.length, values: values as number }, { ...limits, maxArgvBytes: invalid.length * 3 - 1 }), 'one byte less is not proven');
  t.notOk(bodyWithinObjectBudget({ bytes: 10, values: 1 }, { maxNodes: 100, maxArgvBytes: 100, maxDepth: 50 }), 'never with a depth limit');
});
