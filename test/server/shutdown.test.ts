/**
 * SIGTERM drain, in a child process running `runServe` as `vllm-guard serve` does. There is
 * no kube-apiserver binary on these machines: the test plays its part over real TLS,
 * with a review still uploading when the kubelet's SIGTERM arrives.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createPki, FIXTURE_POLICIES, loadReview, SERVICE_NAME } from './helpers.js';
import { uninstrumentedEnv } from '../child-env.js';

const SERVE = fileURLToPath(new URL('../../src/cli/serve.ts', import.meta.url));

t.test('SIGTERM stops accepting, finishes the review in flight and exits 0', async (t) => {
  const pki = await createPki(path.join(t.testdir(), 'tls'));
  const options = { port: 0, metricsPort: 0, host: '127.0.0.1', tlsCert: pki.certFile, tlsKey: pki.keyFile, policies: FIXTURE_POLICIES };
  const script = `import { runServe } from ${JSON.stringify(SERVE)}; await runServe(${JSON.stringify(options)});`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'], env: uninstrumentedEnv() });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines: Record<string, any>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, newline)) as Record<string, any>;
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        if (line.msg === 'vllm-guard serving') resolve(line.port as number);
      }
    });
    void exited.then((code) => reject(new Error(`the server exited early (${code}): ${stderr}`)));
  });

  // A review in flight: headers and half the body sent, the rest after SIGTERM.
  const body = Buffer.from(JSON.stringify(loadReview('deployment-deny.json')));
  const socket = connect({ host: '127.0.0.1', port, ca: pki.caPem, servername: SERVICE_NAME });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  let response = '';
  socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(`POST /validate HTTP/1.1\r\nHost: ${SERVICE_NAME}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
  socket.write(body.subarray(0, 100));
  await new Promise((resolve) => setTimeout(resolve, 100));

  child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const refused = await new Promise<unknown>((resolve) => {
    const probe = connect({ host: '127.0.0.1', port, ca: pki.caPem, servername: SERVICE_NAME });
    probe.once('secureConnect', () => {
      probe.destroy();
      resolve(null);
    });
    probe.once('error', resolve);
  });
  t.match(refused, { code: 'ECONNREFUSED' }, 'new connections are refused once draining');
  t.equal(child.exitCode, null, 'still running while a review is open');

  socket.end(body.subarray(100));
  await closed;
  t.match(response, /^HTTP\/1\.1 200 OK/, 'the in-flight review is answered');
  const json = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { response: { uid: string; allowed: boolean } };
  t.same(json.response.uid, '0f3e8c4a-1d2b-4c6e-9a7f-000000000001');
  t.equal(json.response.allowed, false);
  t.equal(await exited, 0, 'exits 0 within the grace period');
  t.ok(lines.some((line) => line.msg === 'shutting down: draining in-flight reviews' && line.signal === 'SIGTERM'));
  t.ok(lines.some((line) => line.msg === 'admission reviewed' && line.decision === 'deny'), 'the drained review was logged');
  t.equal(lines.at(-1)?.msg, 'stopped');
});

t.test('a review that never finishes cannot hold the pod past the grace period', async (t) => {
  const { EventEmitter } = await import('node:events');
  const { installShutdown } = await import('../../src/server/shutdown.js');
  const { createLogSink } = await import('./helpers.js');
  const sink = createLogSink();
  const emitter = new EventEmitter();
  const codes: number[] = [];
  let exited: () => void = () => {};
  const done = new Promise<void>((resolve) => (exited = resolve));
  installShutdown({
    logger: sink.logger,
    closers: [() => new Promise<void>(() => {})],
    graceMs: 50,
    emitter: emitter as unknown as NodeJS.Process,
    exit: (code) => {
      codes.push(code);
      exited();
    },
  });
  // The grace timer is unref'd (it must not keep a finished process alive); in a server the
  // listening socket keeps the loop alive, here this interval does.
  const keepAlive = setInterval(() => {}, 1000);
  emitter.emit('SIGTERM', 'SIGTERM');
  emitter.emit('SIGTERM', 'SIGTERM');
  await done;
  clearInterval(keepAlive);
  t.same(codes, [1], 'exits 1 once the grace period is over');
  t.ok(sink.lines.some((line) => line.msg === 'grace period over; exiting with reviews still open'));
  t.equal(sink.lines.filter((line) => line.msg === 'shutting down: draining in-flight reviews').length, 1, 'one shutdown, however many signals reach the handler');
});

t.test('a closer that throws still lets the others run, and the exit code says so', async (t) => {
  const { EventEmitter } = await import('node:events');
  const { installShutdown } = await import('../../src/server/shutdown.js');
  const { createLogSink } = await import('./helpers.js');
  const sink = createLogSink();
  const ran: string[] = [];
  const codes: number[] = [];
  const shutdown = installShutdown({
    logger: sink.logger,
    closers: [
      () => {
        throw new Error('watcher already closed');
      },
      () => {
        ran.push('metrics');
      },
    ],
    emitter: new EventEmitter() as unknown as NodeJS.Process,
    exit: (code) => codes.push(code),
  });
  await shutdown();
  t.same(ran, ['metrics']);
  t.same(codes, [1]);
});
