// The metrics port answers Prometheus on GET /metrics; anything else is a 404 that says what the
// port serves and where the probes are, not a text that names a path the user did not ask for.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startMetricsServer } from '../../src/server/metrics-server.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLogSink } from '../server/helpers.js';

async function get(port: number, pathname: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { method });
  return { status: res.status, body: await res.text() };
}

t.test('GET /metrics answers; /healthz on the metrics port says where the probes are', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const server = await startMetricsServer({ registry: metrics.registry, logger: createLogSink().logger, port: 0, host: '127.0.0.1' });
  t.teardown(() => server.close());
  const ok = await get(server.port, '/metrics?x=1');
  t.equal(ok.status, 200);
  t.match(ok.body, /^# HELP vllm_guard_/m);
  for (const [pathname, method] of [['/healthz', 'GET'], ['/', 'GET'], ['/metrics', 'POST']] as const) {
    const res = await get(server.port, pathname, method);
    t.equal(res.status, 404, `${method} ${pathname}`);
    t.equal(res.body, 'not found: this port serves only GET /metrics; /healthz and /readyz are on the webhook (HTTPS) port\n', `${method} ${pathname}`);
  }
});

t.test('README.md and docs/install.md name every vllm_guard_ metric the server registers', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name).filter((name) => name.startsWith('vllm_guard_'));
  t.ok(names.length >= 9, names.join(', '));
  for (const doc of ['README.md', 'docs/install.md']) {
    const text = readFileSync(resolve(import.meta.dirname, '../..', doc), 'utf8');
    for (const name of names) t.ok(text.includes(`\`${name}`), `${doc} names ${name}`);
  }
});
