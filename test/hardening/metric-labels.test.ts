// Finding 6: label values come from closed sets, so a caller cannot mint series.
import t from 'tap';
import { buildApp } from '../../src/server/app.js';
import { loadServingState } from '../../src/server/reload.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { kindLabel, operationLabel } from '../../src/observability/labels.js';
import { createLogSink, FIXTURE_POLICIES, loadReview } from '../server/helpers.js';

const state = loadServingState({ configFile: null, policiesDir: FIXTURE_POLICIES });

t.test('200 distinct request kinds make one `other` series, not 200', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = buildApp({ logger: createLogSink().logger, metrics, getState: () => state, bodyLimit: 1024 * 1024 });
  const review = loadReview('deployment-allow.json');
  for (let i = 0; i < 200; i += 1) {
    const body = structuredClone(review);
    body.request.uid = `uid-${i}`;
    body.request.kind = { group: 'example.com', version: 'v1', kind: `Kind${i}x` };
    const reply = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    t.equal(reply.statusCode, 200, 'answered');
  }
  const known = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(review) });
  t.equal(known.statusCode, 200);
  const text = await metrics.registry.metrics();
  const series = text.split('\n').filter((line) => line.startsWith('vllm_guard_admission_requests_total{'));
  t.notOk(series.some((line) => /Kind\d+x/.test(line)), 'no request-supplied kind in any label');
  t.ok(series.some((line) => line.includes('kind="other"')), 'unknown kinds are counted as other');
  t.ok(series.some((line) => line.includes('kind="Deployment"')), 'known kinds keep their name');
  t.ok(series.length <= 4, `a handful of series (${series.length}), not one per kind`);
  await app.close();
});

t.test('kind and operation labels: known values kept, anything else is other', async (t) => {
  for (const kind of ['Pod', 'Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'LeaderWorkerSet']) {
    t.equal(kindLabel(kind), kind);
  }
  t.equal(kindLabel('deployment'), 'other', 'case matters, as in Kubernetes');
  t.equal(kindLabel('x'.repeat(10_000)), 'other');
  t.equal(operationLabel('CREATE'), 'CREATE');
  t.equal(operationLabel('PATCH'), 'other');
});
