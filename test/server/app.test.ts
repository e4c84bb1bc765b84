/**
 * The app without a socket (Fastify inject): failure modes on an internal error, and the
 * JSON errors. The real-TLS tests sit beside this file.
 */
import t from 'tap';
import { buildApp } from '../../src/server/app.js';
import { loadServingState, type ServingState } from '../../src/server/reload.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLogSink, FIXTURE_POLICIES, loadReview, SECRET_CANARIES } from './helpers.js';

const good = loadServingState({ configFile: null, policiesDir: FIXTURE_POLICIES });

/** An engine whose compiled plan is corrupt: evaluating a vLLM workload throws inside the engine. */
function brokenState(failureMode: 'open' | 'closed'): ServingState {
  const plan = { ...good.engine.plan, server: null as unknown as [] };
  return { ...good, engine: { ...good.engine, plan, planWithoutRelated: plan }, settings: { ...good.settings, failureMode } };
}

function build(state: ServingState, ready = true) {
  const sink = createLogSink();
  const metrics = createMetrics({ defaultMetrics: false });
  const app = buildApp({ logger: sink.logger, metrics, getState: () => state, bodyLimit: 64 * 1024, readiness: () => ({ ready, checks: { policies: 'x' } }) });
  return { app, sink, metrics };
}

const inject = (app: ReturnType<typeof build>['app'], payload: unknown, url = '/validate') =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

t.test('fail-open: an internal error allows the request with a warning, logged and counted', async (t) => {
  const { app, sink, metrics } = build(brokenState('open'));
  const reply = await inject(app, loadReview('deployment-deny.json'));
  t.equal(reply.statusCode, 200);
  t.same(reply.json().response, {
    uid: '0f3e8c4a-1d2b-4c6e-9a7f-000000000001',
    allowed: true,
    warnings: ['vllm-guard could not check Deployment ml/llama-70b (internal error); allowed because failureMode is open'],
  });
  const line = sink.lines.find((l) => l.decision === 'fail-open');
  t.equal(line?.level, 50, 'logged as an error');
  t.type(line?.err?.message, 'string', 'with the error');
  t.match(await metrics.registry.getSingleMetricAsString('vllm_guard_admission_errors_total'), 'reason="internal"} 1');
  t.match(await metrics.registry.getSingleMetricAsString('vllm_guard_admission_requests_total'), 'decision="fail-open"');
  for (const canary of SECRET_CANARIES) t.notOk(sink.raw.some((l) => l.includes(canary)), `no ${canary} in the error log`);
});

t.test('fail-closed: an internal error denies with a message that is not about the manifest', async (t) => {
  const { app } = build(brokenState('closed'));
  const response = (await inject(app, loadReview('deployment-deny.json'))).json().response;
  t.equal(response.allowed, false);
  t.equal(response.status.code, 500);
  t.match(response.status.message, 'failureMode is closed');
  t.match(response.status.message, 'not a problem in the manifest');
  t.notMatch(response.status.message, /TypeError|\.ts:\d/, 'no internals in what kubectl prints');
});

t.test('fail-closed never blocks an update that leaves the pod template alone', async (t) => {
  const { app } = build(brokenState('closed'));
  const response = (await inject(app, loadReview('update-replicas-only.json'))).json().response;
  t.equal(response.allowed, true);
  t.equal(response.warnings.length, 1);
});

t.test('readiness reports 503 with its checks when not ready', async (t) => {
  const { app } = build(good, false);
  const reply = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(reply.statusCode, 503);
  t.same(reply.json(), { status: 'not ready', checks: { policies: 'x' } });
});

t.test('an unexpected error inside the route is a JSON 500 without a stack', async (t) => {
  const state = new Proxy(good, {
    get() {
      throw new Error('boom at /secret/path.ts:1:2');
    },
  });
  const { app, sink } = build(state);
  const reply = await inject(app, loadReview('deployment-deny.json'));
  t.equal(reply.statusCode, 500);
  t.same(reply.json(), { error: 'ERR_INTERNAL', message: 'internal error; see the vllm-guard logs' });
  t.ok(sink.lines.some((l) => l.msg === 'request failed' && l.err?.message.startsWith('boom')), 'the cause is in the log');
});
