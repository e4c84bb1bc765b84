import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createCertificateAuthority,
  ensureDevCertificates,
  issueServingCertificate,
} from '../../src/tls/certificates.js';
import { fetchOverTls, serveOverTls } from './tls-helpers.js';

t.test('a CA is a CA and a serving certificate is not', async (t) => {
  const ca = await createCertificateAuthority({ commonName: 'test CA', days: 10 });
  const serving = await issueServingCertificate(ca, {
    dnsNames: ['vllm-guard.vllm-guard.svc'],
    ipAddresses: ['10.0.0.1'],
    days: 5,
  });
  const caCert = new X509Certificate(ca.certPem);
  const leaf = new X509Certificate(serving.certPem);
  t.equal(caCert.ca, true);
  t.equal(leaf.ca, false);
  t.match(caCert.subject, /CN=test CA/);
  t.equal(leaf.issuer, caCert.subject);
  t.ok(leaf.checkIssued(caCert) && leaf.verify(caCert.publicKey), 'signed by the CA');
  t.equal(leaf.subjectAltName, 'DNS:vllm-guard.vllm-guard.svc, IP Address:10.0.0.1');
  t.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  const lifetimeDays = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
  t.ok(lifetimeDays > 5 && lifetimeDays < 5.01, `leaf lives 5 days (+ backdating), got ${lifetimeDays}`);
});

t.test('the subject names the first SAN unless a common name is given', async (t) => {
  const ca = await createCertificateAuthority();
  const byIp = await issueServingCertificate(ca, { dnsNames: [], ipAddresses: ['127.0.0.1'] });
  t.equal(new X509Certificate(byIp.certPem).subject, 'CN=127.0.0.1');
  const named = await issueServingCertificate(ca, { dnsNames: ['a.example'], commonName: 'webhook' });
  t.equal(new X509Certificate(named.certPem).subject, 'CN=webhook');
});

t.test('a serving certificate without any name is refused', async (t) => {
  const ca = await createCertificateAuthority();
  await t.rejects(issueServingCertificate(ca, { dnsNames: [] }), /at least one DNS name or IP/);
});

t.test('Node TLS accepts the chain for the service name and rejects other names', async (t) => {
  const ca = await createCertificateAuthority();
  const serving = await issueServingCertificate(ca, {
    dnsNames: ['vllm-guard.vllm-guard.svc', 'vllm-guard.vllm-guard.svc.cluster.local'],
  });
  const server = await serveOverTls(serving);
  t.teardown(() => server.close());

  for (const servername of ['vllm-guard.vllm-guard.svc', 'vllm-guard.vllm-guard.svc.cluster.local']) {
    const body = await fetchOverTls(server.port, servername, ca.certPem);
    t.equal(body, 'ok', `verified as ${servername}`);
  }
  await t.rejects(fetchOverTls(server.port, 'other.vllm-guard.svc', ca.certPem), {
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
  });
  const stranger = await createCertificateAuthority();
  await t.rejects(fetchOverTls(server.port, 'vllm-guard.vllm-guard.svc', stranger.certPem), {
    code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  });
});

t.test('ensureDevCertificates creates, then reuses, then renews', async (t) => {
  const dir = join(t.testdir(), 'certs', 'dev');
  const first = await ensureDevCertificates(dir);
  t.equal(first.created, true, 'created on first call');
  t.same(
    [first.certFile, first.keyFile, first.caFile],
    [join(dir, 'tls.crt'), join(dir, 'tls.key'), join(dir, 'ca.crt')],
  );
  t.equal((await stat(first.keyFile)).mode & 0o777, 0o600, 'the key is private to its owner');
  const certPem = await readFile(first.certFile, 'utf8');

  const second = await ensureDevCertificates(dir);
  t.equal(second.created, false, 'reused on the second call');
  t.equal(await readFile(second.certFile, 'utf8'), certPem, 'same certificate');

  const server = await serveOverTls({
    certPem,
    keyPem: await readFile(first.keyFile, 'utf8'),
  });
  t.teardown(() => server.close());
  t.equal(await fetchOverTls(server.port, 'localhost', await readFile(first.caFile, 'utf8')), 'ok');
  t.equal(
    await fetchOverTls(server.port, undefined, await readFile(first.caFile, 'utf8'), '127.0.0.1'),
    'ok',
    'valid for 127.0.0.1 too',
  );

  const nearExpiry = new Date(Date.now() + 340 * 86_400_000);
  t.equal((await ensureDevCertificates(dir, { now: nearExpiry, renewWithinDays: 10 })).created, false,
    'kept when it outlives the renewal window');
  const third = await ensureDevCertificates(dir, { now: nearExpiry });
  t.equal(third.created, true, 'renewed when it expires within 30 days');
});

t.test('ensureDevCertificates replaces files that do not belong together', async (t) => {
  const dir = t.testdir();
  await ensureDevCertificates(dir);
  const other = await createCertificateAuthority();
  await writeFile(join(dir, 'ca.crt'), other.certPem);
  t.equal((await ensureDevCertificates(dir)).created, true, 'a foreign CA forces new files');

  await writeFile(join(dir, 'tls.key'), 'not a key');
  t.equal((await ensureDevCertificates(dir)).created, true, 'a broken key forces new files');
});
