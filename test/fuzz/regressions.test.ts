/**
 * Fixed cases from fuzzing and the drills: each is the input that once failed (or that the
 * fuzzers found over the time target), kept as a named test. The slow ones were fixed by bounds in
 * the engine (test/resilience/pathological-cases.ts, BOUNDED_CASES); each test asserts its bound.
 */
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject } from '../../src/engine/api.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { buildApp } from '../../src/server/app.js';
import { loadServingState } from '../../src/server/reload.js';
import { loadPolicies } from '../../src/policy/load.js';
import { Writable } from 'node:stream';
import { readExampleReview } from '../resilience/load.js';
import { BOUNDED_CASES } from '../resilience/pathological-cases.js';
import { assertUnpolluted, prototypeSnapshot } from './arbitraries.js';

const config = loadConfig(null);
const engine = createEngine({ config: config.engine, policies: loadPolicies(null) });

t.test('own __proto__ and constructor keys, as JSON.parse makes them, pollute nothing in the engine', (t) => {
  const before = prototypeSnapshot();
  const text = JSON.stringify(readExampleReview('deny').request.object)
    .replace('"containers":[', '"__proto__":{"polluted":"spec"},"containers":[')
    .replace('"env":[', '"constructor":{"prototype":{"polluted":"ctor"}},"env":[{"__proto__":{"name":"HF_TOKEN","value":"x"}},')
    .replace('"labels":{', '"labels":{"__proto__":{"polluted":"label"},');
  const object = JSON.parse(text) as unknown;
  const review = reviewObject(engine, object);
  t.equal(review.kind, 'Deployment', 'reviewed as the Deployment it is');
  t.ok(review.vllm, 'still seen as vLLM');
  t.doesNotThrow(() => assertUnpolluted(before), 'no prototype gained a property');
  t.equal(({} as Record<string, unknown>).polluted, undefined, '({}).polluted is undefined');
  t.end();
});

t.test('an AdmissionReview with __proto__ and constructor keys at every level: reviewed, nothing polluted', async (t) => {
  const before = prototypeSnapshot();
  const state = loadServingState({ configFile: null, policiesDir: null });
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = buildApp({ logger: createLogger({ destination: discard }), metrics: createMetrics({ defaultMetrics: false }), getState: () => state, bodyLimit: state.settings.maxBodyBytes });
  t.teardown(() => app.close());
  const review = readExampleReview('deny');
  const body = JSON.stringify(review)
    .replace('{"apiVersion"', '{"__proto__":{"polluted":"root"},"apiVersion"')
    .replace('"request":{', '"request":{"constructor":{"prototype":{"polluted":"request"}},')
    .replace('"metadata":{', '"metadata":{"__proto__":{"polluted":"metadata"},');
  const res = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: body });
  t.equal(res.statusCode, 200, 'answered 200 (the poisoned keys are dropped, not fatal)');
  const json = res.json<{ response: { uid: string; allowed: boolean } }>();
  t.equal(json.response.uid, review.request.uid, 'for the request uid');
  t.equal(json.response.allowed, false, 'with the same denial as without the keys');
  t.doesNotThrow(() => assertUnpolluted(before), 'no prototype gained a property');
});

// The slow inputs are kept as regressions of the bounds that fixed them: the review must show the
// bound (the part not read, or the containers not checked), which a change that removed the bound
// would lose. Their time against the 100 ms target is a figure of `npm run bench:pathological`.
for (const { name, bound, mutate } of BOUNDED_CASES) {
  t.test(`${name}: reviewed, within the engine's bounds`, (t) => {
    const object = structuredClone(readExampleReview('deny').request.object) as Record<string, any>;
    const spec = object.spec.template.spec as Record<string, any>;
    mutate(spec.containers[0] as Record<string, any>, spec, object);
    const review = reviewObject(engine, object);
    t.ok(review.vllm, 'reviewed as vLLM');
    t.match(JSON.stringify({ findings: review.findings, notes: review.notes }), bound, `the review says what was not read (${String(bound)})`);
    t.end();
  });
}
