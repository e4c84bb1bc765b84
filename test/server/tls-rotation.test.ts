/**
 * Certificate rotation and client certificates over real TLS. There is no kube-apiserver
 * binary on these machines: the tests play its part (CA-verified HTTPS POSTs over a
 * keep-alive agent) while the Secret-style mount under the server is swapped.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { issueServingCertificate } from '../../src/tls/certificates.js';
import { callWebhook, fingerprintOf, loadReview, scrapeMetrics, startTestWebhook, waitFor } from './helpers.js';

t.test('a rotated pair is served to new connections and no request fails meanwhile', async (t) => {
  const webhook = await startTestWebhook({ dir: t.testdir() });
  t.teardown(async () => {
    webhook.agent.destroy();
    await webhook.close();
  });
  const review = loadReview('deployment-warn.json');
  const first = await callWebhook(webhook.port, '/validate', review, { agent: false, ca: webhook.pki.caPem });
  const original = first.certificate;

  // Keep the API server's traffic going during the swap: 8 callers on a keep-alive agent.
  let stop = false;
  const failures: unknown[] = [];
  let answered = 0;
  const callers = Array.from({ length: 8 }, async () => {
    while (!stop) {
      try {
        const reply = await callWebhook(webhook.port, '/validate', review, { agent: webhook.agent });
        if (reply.status !== 200 || reply.body?.response?.allowed !== true) failures.push(reply.text);
        answered += 1;
      } catch (err: unknown) {
        failures.push(err);
      }
    }
  });
  await waitFor('traffic', () => answered > 50);
  const rotated = await webhook.pki.rotate();
  t.not(rotated, original, 'the new pair differs');
  await waitFor('a new connection to get the new certificate', async () => {
    const reply = await callWebhook(webhook.port, '/validate', review, { agent: false, ca: webhook.pki.caPem });
    return reply.certificate === rotated;
  });
  const before = answered;
  await waitFor('more traffic after the swap', () => answered > before + 50);
  stop = true;
  await Promise.all(callers);
  t.same(failures, [], `${answered} requests, none failed`);
  t.ok(webhook.lines.some((line) => line.msg === 'TLS key pair reloaded'), 'the reload is logged');
  const metrics = await scrapeMetrics(webhook.metricsServer.port);
  t.match(metrics, 'vllm_guard_tls_reloads_total{result="success"} 1');
});

t.test('a broken new pair keeps the last good one serving', async (t) => {
  const webhook = await startTestWebhook({ dir: t.testdir() });
  t.teardown(async () => {
    webhook.agent.destroy();
    await webhook.close();
  });
  const good = webhook.tlsWatcher.current().fingerprint;
  const served = (await callWebhook(webhook.port, '/healthz', undefined, { agent: false, ca: webhook.pki.caPem })).certificate;
  // A key from another pair: what a half-finished rotation leaves behind.
  const stranger = await issueServingCertificate(webhook.pki.ca, { dnsNames: ['other'] });
  const keyFile = path.join(webhook.pki.dir, '..data', 'tls.key');
  writeFileSync(keyFile, stranger.keyPem);
  await waitFor('the rejection', () => webhook.lines.some((line) => line.msg?.startsWith('new TLS key pair rejected')));
  const rejection = webhook.lines.find((line) => line.msg?.startsWith('new TLS key pair rejected'));
  t.match(rejection?.error, 'tls.key: unusable with', 'the log names the file');
  t.notMatch(JSON.stringify(rejection), 'PRIVATE KEY', 'never the key itself');
  t.equal(webhook.tlsWatcher.current().fingerprint, good);
  const after = await callWebhook(webhook.port, '/validate', loadReview('deployment-allow.json'), { agent: false, ca: webhook.pki.caPem });
  t.equal(after.status, 200);
  t.equal(after.certificate, served, 'still the last good certificate');
  t.match(await scrapeMetrics(webhook.metricsServer.port), 'vllm_guard_tls_reloads_total{result="error"} 1');
});

/** A client certificate (extendedKeyUsage clientAuth) signed by a new CA, made with openssl. */
function makeClientPki(dir: string, name: string): { caPem: string; certPem: string; keyPem: string } {
  const file = (suffix: string) => path.join(dir, `${name}-${suffix}`);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', `/CN=${name} CA`]);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('client.key'), '-out', file('client.csr'), '-subj', '/CN=kube-apiserver']);
  writeFileSync(file('ext'), 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n');
  run(['x509', '-req', '-in', file('client.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('client.crt'), '-days', '2', '-extfile', file('ext')]);
  return { caPem: readFileSync(file('ca.crt'), 'utf8'), certPem: readFileSync(file('client.crt'), 'utf8'), keyPem: readFileSync(file('client.key'), 'utf8') };
}

t.test('--client-ca: only callers with a certificate from that CA get an answer', async (t) => {
  const dir = t.testdir();
  const apiserver = makeClientPki(dir, 'front-proxy');
  const stranger = makeClientPki(dir, 'intruder');
  const caFile = path.join(dir, 'client-ca.crt');
  writeFileSync(caFile, apiserver.caPem);
  const webhook = await startTestWebhook({ dir, clientCaFile: caFile });
  t.teardown(async () => {
    webhook.agent.destroy();
    await webhook.close();
  });
  const review = loadReview('deployment-deny.json');
  const withCert = await callWebhook(webhook.port, '/validate', review, { agent: false, ca: webhook.pki.caPem, cert: apiserver.certPem, key: apiserver.keyPem });
  t.equal(withCert.status, 200);
  t.equal(withCert.body.response.allowed, false);
  await t.rejects(callWebhook(webhook.port, '/validate', review, { agent: false, ca: webhook.pki.caPem }), 'no client certificate: the handshake fails');
  await t.rejects(
    callWebhook(webhook.port, '/validate', review, { agent: false, ca: webhook.pki.caPem, cert: stranger.certPem, key: stranger.keyPem }),
    'a certificate from another CA: the handshake fails',
  );
});

t.test('TLS 1.1 is refused', async (t) => {
  const webhook = await startTestWebhook({ dir: t.testdir() });
  t.teardown(async () => {
    webhook.agent.destroy();
    await webhook.close();
  });
  const { connect } = await import('node:tls');
  const error = await new Promise<unknown>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: webhook.port, ca: webhook.pki.caPem, servername: 'localhost', maxVersion: 'TLSv1.1', minVersion: 'TLSv1' });
    socket.on('secureConnect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.on('error', resolve);
  });
  t.ok(error instanceof Error, `handshake refused: ${String(error)}`);
  t.ok(fingerprintOf(webhook.pki.caPem), 'CA parsed');
});
