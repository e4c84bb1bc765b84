/**
 * SIGTERM drain, in a child process running the built `vllm-guard serve` (npm test builds
 * first; tsx would add seconds to the start). There is no kube-apiserver binary on these
 * machines: the test plays its part over real TLS, with a review still uploading when the
 * kubelet's SIGTERM arrives. No fixed sleeps decide the outcome: the request is known to be
 * in flight when the server answers `Expect: 100-continue` (it has parsed the headers), and
 * draining is known to have begun when new connections are refused.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { connect } from 'node:tls';
import path from 'node:path';
import { createPki, FIXTURE_POLICIES, loadReview, SERVICE_NAME } from './helpers.js';
import { uninstrumentedEnv } from '../child-env.js';

const MAIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
/** Generous bound for a state the server reaches in milliseconds; only a hang takes this long. */
const HANG_CEILING_MS = 20_000;

/** Resolves with the error of a new TLS connection, or null if it connected. */
function tryConnect(port: number, ca: string): Promise<unknown> {
  return new Promise<unknown>((resolve) => {
    const probe = connect({ host: '127.0.0.1', port, ca, servername: SERVICE_NAME });
    probe.once('secureConnect', () => {
      probe.destroy();
      resolve(null);
    });
    probe.once('error', resolve);
  });
}
t.test('SIGTERM stops accepting, finishes the review in flight and exits 0', async (t) => {
  const pki = await createPki(path.join(t.testdir(), 'tls'));
  const args = ['serve', '--host', '127.0.0.1', '--port', '0', '--metrics-port', '0', '--tls-cert', pki.certFile, '--tls-key', pki.keyFile, '--policies', FIXTURE_POLICIES];
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: uninstrumentedEnv() });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines: Record<string, any>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': the process may exit before its last stdout lines are read.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
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

  // A review in flight: headers and part of the body sent, the rest after SIGTERM.
  const body = Buffer.from(JSON.stringify(loadReview('deployment-deny.json')));
  const socket = connect({ host: '127.0.0.1', port, ca: pki.caPem, servername: SERVICE_NAME });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  let response = '';
  let accepted: () => void = () => undefined;
  const continued = new Promise<void>((resolve) => (accepted = resolve));
  socket.on('data', (chunk: Buffer) => {
    response += chunk.toString();
    // The interim answer to Expect: 100-continue: the server has parsed the headers.
    if (response.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
      response = response.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
      accepted();
    }
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(`POST /validate HTTP/1.1\r\nHost: ${SERVICE_NAME}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
  await continued;
  socket.write(body.subarray(0, 100));

  child.kill('SIGTERM');
  let refused: unknown = null;
  for (const until = Date.now() + HANG_CEILING_MS; refused === null && Date.now() < until; ) {
    refused = await tryConnect(port, pki.caPem);
    if (refused === null) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // Refused at connect (the listener is closed) or reset at once (the connection guard closes it): either way not served.
  t.match(refused, { code: /^(?:ECONNREFUSED|ECONNRESET)$/ }, 'new connections are refused once draining');
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

t.test('the exit waits for the log lines still being written, so "stopped" is the last one a reader sees', async (t) => {
  const { EventEmitter } = await import('node:events');
  const { Writable } = await import('node:stream');
  const { default: pino } = await import('pino');
  const { installShutdown } = await import('../../src/server/shutdown.js');
  // A destination that is slow to take its lines, as a pipe whose reader is busy: each write is
  // acknowledged later, and flush(cb) answers once every line was taken.
  const written: string[] = [];
  let pending = 0;
  const drained: (() => void)[] = [];
  const slow = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        pending++;
        setTimeout(() => {
          written.push(...chunk.toString().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { msg: string }).msg));
          pending--;
          callback();
          if (pending === 0) for (const cb of drained.splice(0)) cb();
        }, 30);
      },
    }),
    { flush: (cb: () => void) => (pending === 0 ? cb() : drained.push(cb)) },
  );
  const logger = pino({ level: 'info' }, slow);
  const seenAtExit: string[][] = [];
  const shutdown = installShutdown({
    logger,
    closers: [() => logger.info('admission reviewed')],
    emitter: new EventEmitter() as unknown as NodeJS.Process,
    exit: () => seenAtExit.push([...written]),
  });
  await shutdown();
  t.same(seenAtExit, [['shutting down: draining in-flight reviews', 'admission reviewed', 'stopped']], 'every line was written, in order, before exit');
});
