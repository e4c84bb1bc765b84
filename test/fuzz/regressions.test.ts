/**
 * Fixed cases from fuzzing and the drills: each is the input that once failed (or that the
 * fuzzers found over the time bound), kept as a named test. The slow ones were fixed by bounds in
 * the engine: sh -c scripts and $-expanded values over 64 KiB are not read (unknown), and at most 64
 * containers per pod template are checked.
 */
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { reviewObject } from '../../src/engine/engine.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { buildApp } from '../../src/server/app.js';
import { loadServingState } from '../../src/server/reload.js';
import { loadPolicies } from '../../src/policy/load.js';
import { createEngine } from '../../src/engine/api.js';
import { Writable } from 'node:stream';
import { readExampleReview } from '../drills/load.js';
import { assertUnpolluted, prototypeSnapshot } from './arbitraries.js';

const config = loadConfig(null);
const engine = createEngine({ config: config.engine, policies: loadPolicies(null) });
const BUDGET_MS = 100;

/** The denied example's object with its vLLM container changed. */
function objectWith(change: (container: Record<string, any>, spec: Record<string, any>) => void): Record<string, any> {
  const object = structuredClone(readExampleReview('deny').request.object) as Record<string, any>;
  change(object.spec.template.spec.containers[0] as Record<string, any>, object.spec.template.spec as Record<string, any>);
  return object;
}

function timeReview(object: unknown): { ms: number; vllm: boolean } {
  reviewObject(engine, objectWith(() => undefined));
  const started = performance.now();
  const review = reviewObject(engine, object);
  return { ms: performance.now() - started, vllm: review.vllm };
}

t.test('own __proto__ and constructor keys, as JSON.parse makes them, pollute nothing in the engine', (t) => {
  const before = prototypeSnapshot();
  const text = JSON.stringify(objectWith(() => undefined))
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
  const json = res.json() as { response: { uid: string; allowed: boolean } };
  t.equal(json.response.uid, review.request.uid, 'for the request uid');
  t.equal(json.response.allowed, false, 'with the same denial as without the keys');
  t.doesNotThrow(() => assertUnpolluted(before), 'no prototype gained a property');
});

const SLOW: ReadonlyArray<readonly [string, (c: Record<string, any>, s: Record<string, any>) => void]> = [
  // Found by the engine fuzz: 637–1042 ms in-process.
  ['an sh -c script of 357 143 " --tp 4" words (2.5 MB)', (c) => {
    c.command = ['sh', '-c', `${' --tp 4'.repeat(357_143)} && vllm serve m --max-model-len 4096`];
    delete c.args;
  }],
  // Found by the engine fuzz: 659 ms.
  ['an sh -c script of 1 250 000 "$(" (2.5 MB)', (c) => {
    c.command = ['sh', '-c', `${'$('.repeat(1_250_000)} && vllm serve m`];
    delete c.args;
  }],
  // Found by the engine fuzz: 399 ms.
  ['an env value of 1 250 000 "$(" referenced from the args (2.5 MB)', (c) => {
    c.env = [{ name: 'HF_TOKEN', value: '$('.repeat(1_250_000) }, { name: 'VLLM_ARGS', value: '$(HF_TOKEN)' }];
    c.args.push('$(VLLM_ARGS)');
  }],
  // Found by the pathological drill: 164–218 ms in the server.
  ['an sh -c script of 60 000 chained commands (0.9 MB)', (c) => {
    c.command = ['sh', '-c', `${'echo "a;b" && '.repeat(60_000)}vllm serve m --max-model-len 4096`];
    delete c.args;
  }],
  // Found by the pathological drill: 318–438 ms in the server.
  ['2 000 vLLM containers (3 MB)', (c, s) => {
    s.containers = Array.from({ length: 2000 }, (_, i) => ({ ...c, name: `vllm-${i}` }));
  }],
];

for (const [name, change] of SLOW) {
  t.test(`${name}: reviewed within ${BUDGET_MS} ms`, (t) => {
    const { ms, vllm } = timeReview(objectWith(change));
    t.ok(vllm, 'reviewed as vLLM');
    t.ok(ms <= BUDGET_MS, `took ${ms.toFixed(0)} ms`);
    t.end();
  });
}
