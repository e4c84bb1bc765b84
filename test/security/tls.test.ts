/**
 * Transport security of the webhook port, against the real `vllm-guard serve`: only TLS 1.2 and
 * newer, no plain HTTP, and with --client-ca only callers holding a certificate from that CA
 * (the API server's --admission-control-config-file client certificate).
 */
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { connect, type SecureVersion } from 'node:tls';
import t from 'tap';
import { createCertificateAuthority } from '../../src/tls/certificates.js';
import { callWebhook, SERVICE_NAME, startChildServer } from '../resilience/child-server.js';
import { readExampleReview, withUid } from '../resilience/load.js';
import { issueClientCertificate } from './client-certificate.js';

/** Handshakes with exactly one protocol version; resolves with the negotiated one or the error code. */
function handshake(port: number, ca: string, version: SecureVersion): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: SERVICE_NAME,
      ca,
      minVersion: version,
      maxVersion: version,
      // OpenSSL 3 refuses TLS 1.0/1.1 on the client side at its default level; lower it so that
      // a refusal can only come from the server.
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    socket.once('secureConnect', () => {
      resolve(socket.getProtocol() ?? 'unknown');
      socket.end();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

t.test('TLS versions and plain HTTP on the webhook port', async (t) => {
  const server = await startChildServer({ dir: t.testdir() });
  t.teardown(() => server.stop('SIGKILL'));
  const ca = server.pki.ca.certPem;
  for (const version of ['TLSv1', 'TLSv1.1'] as const) {
    const result = await handshake(server.port, ca, version);
    t.match(result, /PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|WRONG_VERSION/, `${version} is refused (${result})`);
  }
  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    t.equal(await handshake(server.port, ca, version), version, `${version} is accepted`);
  }

  const plain = await new Promise<string>((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/validate', method: 'POST', headers: { 'content-type': 'application/json' }, timeout: 5000 }, (res) => {
      res.resume();
      resolve(`HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end(JSON.stringify(withUid(readExampleReview('deny'))));
  });
  t.match(plain, /^(ECONNRESET|EPIPE|HPE_|socket hang up)/, `plain HTTP gets no answer, the connection is dropped (${plain})`);
  const after = await callWebhook(server.port, withUid(readExampleReview('deny')), { ca, agent: false });
  t.equal(after.status, 200, 'the server is unharmed and still answers over TLS');
});

t.test('--client-ca: only callers with a certificate from that CA get through', async (t) => {
  const dir = t.testdir();
  const apiServerCa = await createCertificateAuthority({ commonName: 'front-proxy CA' });
  const otherCa = await createCertificateAuthority({ commonName: 'someone else' });
  const clientCaFile = path.join(dir, 'client-ca.crt');
  writeFileSync(clientCaFile, apiServerCa.certPem);
  const server = await startChildServer({ dir, args: ['--client-ca', clientCaFile] });
  t.teardown(() => server.stop('SIGKILL'));
  const ca = server.pki.ca.certPem;
  const review = readExampleReview('deny');
  const attempt = (opts: { cert?: string; key?: string }) =>
    callWebhook(server.port, withUid(review), { ca, agent: false, ...opts, timeoutMs: 5000 }).then(
      (reply) => `HTTP ${reply.status}`,
      (err: NodeJS.ErrnoException) => err.code ?? err.message,
    );

  const without = await attempt({});
  t.notMatch(without, /^HTTP/, `no client certificate: refused at the handshake (${without})`);
  const stranger = await issueClientCertificate(otherCa, 'kube-apiserver');
  const wrong = await attempt({ cert: stranger.certPem, key: stranger.keyPem });
  t.notMatch(wrong, /^HTTP/, `a certificate from another CA: refused (${wrong})`);
  const apiServer = await issueClientCertificate(apiServerCa, 'kube-apiserver');
  t.equal(await attempt({ cert: apiServer.certPem, key: apiServer.keyPem }), 'HTTP 200', 'the API server certificate: reviewed');
});
