/**
 * Certificate authority and serving certificates for the webhook (PEM in, PEM out),
 * and the development pair `npm start` uses when no certificate is given.
 * Built on @peculiar/x509 with Node's WebCrypto: no hand-rolled ASN.1.
 * @module
 */
// @peculiar/x509 v2 resolves its ASN.1 serializers through tsyringe, which needs a
// Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** ECDSA P-256: small, fast to generate, accepted by Node and by the kube-apiserver's Go TLS. */
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Clocks across a cluster drift; a certificate valid from "now" can look not-yet-valid elsewhere. */
const BACKDATE_MS = 5 * 60 * 1000;

/** PEM text ends with a newline, so bundles can be made by concatenation. */
export interface PemPair {
  /** The certificate, PEM. */
  readonly certPem: string;
  /** The private key, PKCS#8 PEM. */
  readonly keyPem: string;
}

/** A CA that can sign serving certificates. */
export type CertificateAuthority = PemPair;

export interface CertificateAuthorityOptions {
  readonly commonName?: string;
  /** Validity in days (default 3650). */
  readonly days?: number;
  readonly now?: Date;
}

export interface ServingCertificateOptions {
  readonly dnsNames: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** Validity in days (default 365). */
  readonly days?: number;
  readonly commonName?: string;
  readonly now?: Date;
}

export interface DevCertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  /** True when new files were written, false when valid ones were reused. */
  readonly created: boolean;
}

export interface DevCertificateOptions {
  /** Renew when the serving certificate expires within this many days (default 30). */
  readonly renewWithinDays?: number;
  readonly now?: Date;
}

x509.cryptoProvider.set(webcrypto);

/** Creates a self-signed CA allowed to sign end-entity certificates only (path length 0). */
export async function createCertificateAuthority(
  opts: CertificateAuthorityOptions = {},
): Promise<CertificateAuthority> {
  const now = opts.now ?? new Date();
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: generateSerialNumber(),
    name: [{ CN: [opts.commonName ?? 'vllm-guard CA'] }],
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + (opts.days ?? 3650) * DAY_MS),
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: await exportKeyPem(keys.privateKey) };
}

/** Issues a TLS server certificate for the given DNS names and IP addresses, signed by `ca`. */
export async function issueServingCertificate(
  ca: CertificateAuthority,
  opts: ServingCertificateOptions,
): Promise<PemPair> {
  const names = [
    ...opts.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const [firstName] = names;
  if (firstName === undefined) {
    throw new TypeError('issueServingCertificate needs at least one DNS name or IP address');
  }
  const now = opts.now ?? new Date();
  const caCert = new x509.X509Certificate(ca.certPem);
  const signingKey = await importPrivateKey(ca.keyPem);
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: generateSerialNumber(),
    subject: [{ CN: [opts.commonName ?? firstName.value] }],
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + (opts.days ?? 365) * DAY_MS),
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: await exportKeyPem(keys.privateKey) };
}

/**
 * Makes sure `dir` holds `ca.crt`, `tls.crt` and `tls.key` for localhost and 127.0.0.1:
 * reuses them while they are valid, match and are not about to expire; otherwise writes a
 * new CA and serving pair. Each file is written to a temporary name and renamed, so a
 * watcher never reads half a file.
 */
export async function ensureDevCertificates(
  dir: string,
  opts: DevCertificateOptions = {},
): Promise<DevCertificateFiles> {
  const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), caFile: join(dir, 'ca.crt') };
  const now = opts.now ?? new Date();
  const renewBefore = new Date(now.getTime() + (opts.renewWithinDays ?? 30) * DAY_MS);
  if (await isUsableDevPair(files, now, renewBefore)) return { ...files, created: false };

  const ca = await createCertificateAuthority({ commonName: 'vllm-guard development CA', now });
  const serving = await issueServingCertificate(ca, {
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
    now,
  });
  await mkdir(dir, { recursive: true });
  await writeFileAtomically(files.caFile, ca.certPem, 0o644);
  await writeFileAtomically(files.keyFile, serving.keyPem, 0o600);
  await writeFileAtomically(files.certFile, serving.certPem, 0o644);
  return { ...files, created: true };
}

async function isUsableDevPair(
  files: { certFile: string; keyFile: string; caFile: string },
  now: Date,
  renewBefore: Date,
): Promise<boolean> {
  try {
    const [certPem, keyPem, caPem] = await Promise.all([
      readFile(files.certFile, 'utf8'),
      readFile(files.keyFile, 'utf8'),
      readFile(files.caFile, 'utf8'),
    ]);
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    return (
      new Date(cert.validFrom) <= now &&
      new Date(cert.validTo) > renewBefore &&
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      cert.checkPrivateKey(createPrivateKey(keyPem))
    );
  } catch {
    // Missing, unreadable or unparsable files all mean the same thing here: make new ones.
    return false;
  }
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

async function exportKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

async function importPrivateKey(keyPem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']);
}

/** 16 random bytes with the top bit clear, so the DER INTEGER stays positive (RFC 5280 4.1.2.2). */
function generateSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes.writeUInt8(bytes.readUInt8(0) & 0x7f, 0);
  return bytes.toString('hex');
}

async function writeFileAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, file);
}
