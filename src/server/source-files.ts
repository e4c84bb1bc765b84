/**
 * What the webhook reads from disk at start and on every reload, checked before a byte is
 * read: only regular files (a FIFO never ends, a device such as /dev/zero never stops), and
 * sizes that keep a reload's parse short. Symlinks are followed (ConfigMap and Secret mounts
 * are symlinks into ..data), so the check is on the file they lead to.
 * @module
 */
import { isPolicyFileName } from '../policy/load.js';
import { readFileSync, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';

/**
 * Size limits. A ConfigMap holds at most 1 MiB in all; the bundled policies are under 7 KB
 * each and 140 KB together, the shipped config about 1 KB. Parse and schema compilation grow
 * with the input (a 470 KB config or a 40k-entry enum held the event loop 12–16 s), so the
 * limits stay well under a ConfigMap while far above any real policy set.
 */
export const SOURCE_LIMITS = {
  /** The config file (--config). */
  maxConfigBytes: 256 * 1024,
  /** One policy file. */
  maxPolicyFileBytes: 256 * 1024,
  /** Policy files in the directory. */
  maxPolicyFiles: 200,
  /** All policy files together. */
  maxPolicyDirBytes: 2 * 1024 * 1024,
  /** A TLS certificate, key or CA bundle. */
  maxTlsFileBytes: 1024 * 1024,
} as const;


/** What a non-regular file is, for messages. */
export function fileTypeOf(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function sizeText(bytes: number): string {
  return bytes >= 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${bytes} bytes`;
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    // Missing or unreadable: the loader that reads it says so with its own message.
    return null;
  }
}

/**
 * Checks the config file and the policy directory before they are read. Throws ERR_CONFIG /
 * ERR_POLICY naming the file, what it is and the limit. A FIFO, socket or device whose name the
 * policy loader would read refuses the whole set (the last good one keeps serving): skipping it
 * would silently narrow the policies. Any other special file in the directory is ignored and
 * returned as a warning.
 */
export function checkSourceFiles(configFile: string | null, policiesDir: string | null): string[] {
  const warnings: string[] = [];
  if (configFile !== null) {
    const stats = statOrNull(configFile);
    if (stats && !stats.isFile()) {
      throw new AppError('ERR_CONFIG', `${configFile}: the config is ${fileTypeOf(stats)}; vllm-guard reads only regular files`);
    }
    if (stats && stats.size > SOURCE_LIMITS.maxConfigBytes) {
      throw new AppError('ERR_CONFIG', `${configFile}: the config is ${sizeText(stats.size)}, over the limit of ${sizeText(SOURCE_LIMITS.maxConfigBytes)}`);
    }
  }
  if (policiesDir === null) return warnings;
  let names: string[];
  try {
    names = readdirSync(policiesDir).sort();
  } catch {
    return warnings;
  }
  let count = 0;
  let total = 0;
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const file = path.join(policiesDir, name);
    const stats = statOrNull(file);
    if (!stats || stats.isDirectory()) continue;
    const policy = isPolicyFileName(name);
    if (!stats.isFile()) {
      if (policy) throw new AppError('ERR_POLICY', `${file}: ${fileTypeOf(stats)}, not a regular file; vllm-guard reads only regular files`);
      warnings.push(`${file}: ${fileTypeOf(stats)} in the policy directory, skipped`);
      continue;
    }
    if (!policy) continue;
    count += 1;
    total += stats.size;
    if (stats.size > SOURCE_LIMITS.maxPolicyFileBytes) {
      throw new AppError('ERR_POLICY', `${file}: ${sizeText(stats.size)}, over the limit of ${sizeText(SOURCE_LIMITS.maxPolicyFileBytes)} for one policy file`);
    }
    if (count > SOURCE_LIMITS.maxPolicyFiles) {
      throw new AppError('ERR_POLICY', `${policiesDir}: more than ${SOURCE_LIMITS.maxPolicyFiles} policy files`);
    }
    if (total > SOURCE_LIMITS.maxPolicyDirBytes) {
      throw new AppError('ERR_POLICY', `${policiesDir}: policy files over ${sizeText(SOURCE_LIMITS.maxPolicyDirBytes)} together`);
    }
  }
  return warnings;
}

/**
 * A file's bytes for a fingerprint, or a short description when reading could hang or cost
 * too much (not a regular file, or over `maxBytes`): the description still changes when the
 * file does, so a change is noticed and the reload reports it.
 */
export function fingerprintBytes(file: string, maxBytes: number): Buffer | string {
  const stats = statSync(file);
  if (!stats.isFile()) return `${fileTypeOf(stats)}`;
  if (stats.size > maxBytes) return `size ${stats.size} mtime ${stats.mtimeMs}`;
  return readFileSync(file);
}

/**
 * Reads a TLS file only when it is a regular file under SOURCE_LIMITS.maxTlsFileBytes.
 * Throws a plain Error with the reason; the caller names the file.
 */
export function readBoundedFile(file: string, maxBytes: number = SOURCE_LIMITS.maxTlsFileBytes): Buffer {
  const stats = statSync(file);
  if (!stats.isFile()) throw new Error(`it is ${fileTypeOf(stats)}; only regular files are read`);
  if (stats.size > maxBytes) throw new Error(`${sizeText(stats.size)}, over the limit of ${sizeText(maxBytes)}`);
  return readFileSync(file);
}
