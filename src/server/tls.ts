/**
 * The serving certificate: read and check the key pair, build the HTTPS options, and swap
 * in a new pair when the files change (cert-manager rewrites a Secret, a Secret mount swaps
 * its ..data symlink) without a restart. New handshakes get the new pair, open connections
 * keep theirs, and a broken new pair keeps the last good one.
 * @module
 */
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import type { ServerOptions as HttpsOptions } from 'node:https';
import path from 'node:path';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { AppError, describeError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { readBoundedFile } from './source-files.js';
import { watchDirectories } from './watch.js';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** CA bundle for client certificates; set = only callers with a certificate it signed. */
  readonly clientCaFile?: string;
}

export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly clientCa?: Buffer;
  readonly notAfter: Date;
  /** Hash of the files, to skip reloads that change nothing. */
  readonly fingerprint: string;
}

export const MIN_TLS_VERSION = 'TLSv1.2';

function readFile(file: string, what: string): Buffer {
  try {
    // Regular files only, bounded: a FIFO or /dev/zero in the Secret's place must not hang the server.
    return readBoundedFile(file);
  } catch (err: unknown) {
    throw new AppError('ERR_TLS', `${file}: cannot read the ${what} (${describeError(err)})`, { cause: err });
  }
}

/** Reads and checks the pair (parsable, key matches, usable by TLS). Throws ERR_TLS naming the file. */
export function readTlsMaterial(files: TlsFiles): TlsMaterial {
  const cert = readFile(files.certFile, 'certificate');
  const key = readFile(files.keyFile, 'private key');
  const clientCa = files.clientCaFile !== undefined ? readFile(files.clientCaFile, 'client CA') : undefined;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err: unknown) {
    throw new AppError('ERR_TLS', `${files.certFile}: not a PEM certificate (${describeError(err)})`, { cause: err });
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error('the key does not match the certificate');
    createSecureContext(secureContextOptions({ cert, key, clientCa }));
  } catch (err: unknown) {
    throw new AppError('ERR_TLS', `${files.keyFile}: unusable with ${files.certFile} (${describeError(err)})`, { cause: err });
  }
  const fingerprint = createHash('sha256').update(cert).update(key).update(clientCa ?? '').digest('hex');
  return { cert, key, ...(clientCa ? { clientCa } : {}), notAfter: new Date(x509.validTo), fingerprint };
}

function secureContextOptions(material: { cert: Buffer; key: Buffer; clientCa?: Buffer | undefined }): SecureContextOptions {
  return { cert: material.cert, key: material.key, minVersion: MIN_TLS_VERSION, ...(material.clientCa ? { ca: material.clientCa } : {}) };
}

/** Options for https.createServer / Fastify's `https`. */
export function buildHttpsOptions(material: TlsMaterial): HttpsOptions {
  return {
    ...secureContextOptions(material),
    ...(material.clientCa ? { requestCert: true, rejectUnauthorized: true } : {}),
  };
}

/** The part of https.Server the watcher needs. */
export interface SecureContextTarget {
  setSecureContext(options: SecureContextOptions): void;
}

export interface TlsWatcherOptions {
  readonly files: TlsFiles;
  readonly initial: TlsMaterial;
  readonly server: SecureContextTarget;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Quiet time after the last file event (default 500 ms: cert-manager writes several keys). */
  readonly debounceMs?: number;
  /** Fallback check for missed events (default 60 s). */
  readonly pollMs?: number;
}

export interface TlsWatcher {
  current(): TlsMaterial;
  /** Reloads if the files changed; true when a new pair was installed. */
  check(): boolean;
  close(): void;
}

function watchedDirs(files: TlsFiles): string[] {
  const all = [files.certFile, files.keyFile, ...(files.clientCaFile ? [files.clientCaFile] : [])];
  return [...new Set(all.map((file) => path.dirname(path.resolve(file))))];
}

/**
 * Watches the directories of the certificate, key and client CA (debounceMs, default 500 ms; a poll
 * every pollMs, default 60 s) and installs a changed, usable pair on `server`; a bad pair is logged
 * once per distinct problem and the last good one keeps serving. Sets the expiry gauge (Unix seconds).
 * Throws RangeError (from watchDirectories) only when debounceMs or pollMs is outside Node's timer range.
 */
export function watchTlsFiles(opts: TlsWatcherOptions): TlsWatcher {
  const { files, server, logger, metrics } = opts;
  let current = opts.initial;
  let lastError = '';
  let closed = false;
  metrics.tlsExpiry.set(Math.floor(current.notAfter.getTime() / 1000));

  function check(): boolean {
    if (closed) return false;
    let next: TlsMaterial;
    try {
      next = readTlsMaterial(files);
    } catch (err: unknown) {
      const error = describeError(err);
      // Half-written rotations retry on the next event; log each distinct problem once.
      if (error !== lastError) {
        lastError = error;
        metrics.tlsReloads.inc({ result: 'error' });
        logger.error({ error, notAfter: current.notAfter.toISOString() }, 'new TLS key pair rejected; the last good one keeps serving');
      }
      return false;
    }
    lastError = '';
    if (next.fingerprint === current.fingerprint) return false;
    server.setSecureContext(secureContextOptions(next));
    current = next;
    metrics.tlsReloads.inc({ result: 'success' });
    metrics.tlsExpiry.set(Math.floor(next.notAfter.getTime() / 1000));
    logger.info({ notAfter: next.notAfter.toISOString() }, 'TLS key pair reloaded');
    return true;
  }

  const watcher = watchDirectories({ dirs: watchedDirs(files), onChange: check, debounceMs: opts.debounceMs ?? 500, pollMs: opts.pollMs ?? 60_000, logger });

  return {
    current: () => current,
    check,
    close() {
      closed = true;
      watcher.close();
    },
  };
}
