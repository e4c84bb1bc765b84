// Finding 4: connections that send nothing are closed (TLS handshake or not), a request must
// arrive whole within a timeout under the webhook's timeoutSeconds, and connections past a cap
// are closed, while the API server's kept-alive connection is kept between reviews.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { connect as tcpConnect, type Socket } from 'node:net';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { DEFAULT_LIMITS, type ServeLimits } from '../../src/server/limits.js';
import { startWebhook, type RunningWebhook } from '../../src/server/start.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLogSink, createPki, FIXTURE_POLICIES, loadReview, SERVICE_NAME, type Pki } from '../server/helpers.js';

const CEILING_MS = 20_000;

async function start(dir: string, connections: Partial<ServeLimits['connections']>): Promise<{ webhook: RunningWebhook; pki: Pki }> {
  const pki = await createPki(path.join(dir, 'tls'));
  const webhook = await startWebhook({
    sources: { configFile: null, policiesDir: FIXTURE_POLICIES },
    tls: { certFile: pki.certFile, keyFile: pki.keyFile },
    host: '127.0.0.1',
    port: 0,
    metricsPort: 0,
    logger: createLogSink().logger,
    metrics: createMetrics({ defaultMetrics: false }),
    limits: { ...DEFAULT_LIMITS, connections: { ...DEFAULT_LIMITS.connections, ...connections } },
  });
  return { webhook, pki };
}

/** Resolves true when the socket closes within the ceiling, false if it is still open then. */
function closesWithin(socket: Socket, ms = CEILING_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

t.test('defaults: the request timeout is under the webhook timeoutSeconds; keep-alive outlives the API server idle timeout', async (t) => {
  const webhookYaml = readFileSync(path.resolve(import.meta.dirname, '../../deploy/base/webhook.yaml'), 'utf8');
  const timeouts = [...webhookYaml.matchAll(/timeoutSeconds: (\d+)/g)].map((m) => Number(m[1]));
  t.ok(timeouts.length > 0);
  for (const seconds of timeouts) t.ok(DEFAULT_LIMITS.connections.requestTimeoutMs < seconds * 1000, `request timeout under timeoutSeconds ${seconds}`);
  t.ok(DEFAULT_LIMITS.connections.keepAliveTimeoutMs > 90_000, 'above the 90 s idle timeout of the API server client');
  const { webhook } = await start(t.testdir(), {});
  t.teardown(() => webhook.close());
  const server = webhook.app.server as import('node:https').Server;
  t.equal(server.requestTimeout, DEFAULT_LIMITS.connections.requestTimeoutMs);
  t.equal(server.timeout, DEFAULT_LIMITS.connections.idleTimeoutMs);
  t.equal(server.maxConnections, DEFAULT_LIMITS.connections.maxConnections);
});

t.test('a connection that finishes the TLS handshake and sends nothing is closed', async (t) => {
  const { webhook, pki } = await start(t.testdir(), { idleTimeoutMs: 1_000 });
  t.teardown(() => webhook.close());
  const socket = tlsConnect({ host: '127.0.0.1', port: webhook.port, servername: SERVICE_NAME, ca: pki.caPem });
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('secureConnect', resolve));
  t.ok(await closesWithin(socket), 'closed by the server');
});

t.test('a TCP connection that never starts the handshake is closed', async (t) => {
  const { webhook } = await start(t.testdir(), { idleTimeoutMs: 1_000 });
  t.teardown(() => webhook.close());
  const socket = tcpConnect({ host: '127.0.0.1', port: webhook.port });
  socket.on('error', () => {});
  t.ok(await closesWithin(socket), 'closed by the server');
});

t.test('a request that never finishes arriving is cut at the request timeout', async (t) => {
  const { webhook, pki } = await start(t.testdir(), { requestTimeoutMs: 1_000 });
  t.teardown(() => webhook.close());
  const socket = tlsConnect({ host: '127.0.0.1', port: webhook.port, servername: SERVICE_NAME, ca: pki.caPem });
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('secureConnect', resolve));
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  // Headers and part of the body, then a byte every 400 ms: never idle, never complete.
  socket.write('POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
  const drip = setInterval(() => socket.write(' '), 400);
  t.teardown(() => clearInterval(drip));
  t.ok(await closesWithin(socket), 'closed by the server');
  t.match(answer, /^HTTP\/1\.1 408/, 'with 408 Request Timeout');
});

t.test('connections past the cap are closed as they arrive; the others stay', async (t) => {
  const { webhook } = await start(t.testdir(), { maxConnections: 10, idleTimeoutMs: 120_000 });
  t.teardown(() => webhook.close());
  const sockets = Array.from({ length: 25 }, () => {
    const socket = tcpConnect({ host: '127.0.0.1', port: webhook.port });
    socket.on('error', () => {});
    return socket;
  });
  t.teardown(() => sockets.forEach((s) => s.destroy()));
  const closed = await Promise.all(sockets.map((s) => closesWithin(s, 5_000)));
  const count = closed.filter(Boolean).length;
  t.equal(count, 15, '15 of 25 closed, 10 kept');
  const open = await new Promise<number>((resolve) => webhook.app.server.getConnections((_e, n) => resolve(n)));
  t.equal(open, 10);
});

t.test('idle keep-alive connections cannot fill the cap: near it they are closed, and new clients are served', async (t) => {
  const { webhook, pki } = await start(t.testdir(), { maxConnections: 10 });
  t.teardown(() => webhook.close());
  const agents: Agent[] = [];
  t.teardown(() => agents.forEach((a) => a.destroy()));
  const healthz = (agent: Agent) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: webhook.port, path: '/healthz', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  // Each agent keeps its connection open after one request, as a slot-holding client would.
  for (let i = 0; i < 15; i += 1) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: pki.caPem, servername: SERVICE_NAME });
    agents.push(agent);
    t.equal(await healthz(agent), 200, `client ${i + 1} served`);
  }
  const open = await new Promise<number>((resolve) => webhook.app.server.getConnections((_e, n) => resolve(n)));
  t.ok(open <= 10, `${open} connections open, within the cap`);
});

t.test('the API server kept-alive connection is reused past the idle timeout', async (t) => {
  const { webhook, pki } = await start(t.testdir(), { idleTimeoutMs: 500 });
  t.teardown(() => webhook.close());
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: pki.caPem, servername: SERVICE_NAME });
  t.teardown(() => agent.destroy());
  const body = JSON.stringify(loadReview('deployment-allow.json'));
  const post = () =>
    new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: webhook.port, path: '/validate', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end(body);
    });
  t.equal((await post()).status, 200);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const second = await post();
  t.equal(second.status, 200);
  t.equal(second.reused, true, 'same connection: between requests the keep-alive timeout applies, not the idle one');
});
