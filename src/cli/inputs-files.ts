/**
 * Finds and reads the files `vllm-guard check` was pointed at, refusing anything that is not a
 * regular file. A FIFO would block the read forever and a device such as /dev/zero never ends,
 * so both, sockets, and symlinks to any of them are reported with their path instead of read.
 * Every read is bounded by MAX_INPUT_BYTES; a directory that cannot be listed is one error and
 * the rest of the tree is still read.
 * @module
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { describeError } from '../errors.js';

/** Largest input read, from a file, stdin or a renderer: a manifest is never this big. Bytes. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

const MANIFEST = /\.(ya?ml|json)$/i;

export interface FileProblem {
  source: string;
  message: string;
}

/** What a directory walk yields: plain manifest files, and directories a renderer must handle. */
export type InputEntry = { type: 'file'; path: string } | { type: 'directory'; path: string };

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A reason to refuse the path, or null when it is a regular file or a directory (symlinks followed). */
function refusal(stat: Stats, viaLink: boolean): string | null {
  if (stat.isFile() || stat.isDirectory()) return null;
  return `${viaLink ? 'a symlink to ' : ''}${kindOf(stat)}; only regular files are read`;
}

/**
 * Expands the targets into entries: files as given, directories walked recursively (hidden
 * entries and node_modules skipped, symlinked directories followed once). `isRendered(dir)`
 * says whether a directory is handled as a whole (kustomization, Helm chart) instead of walked.
 */
export function listInputs(targets: readonly string[], isRendered: (dir: string) => boolean, problems: FileProblem[]): InputEntry[] {
  const out: InputEntry[] = [];
  const visited = new Set<string>();
  // The order of localeCompare (same default locale and options), without a collator made per comparison: 10 → 1 ms for 1,000 names.
  // Made on the first directory listed: making one costs about 8 ms (ICU's collation data), which `check FILE` need not pay.
  let byName: ((a: string, b: string) => number) | undefined;
  const visit = (target: string, explicit: boolean): void => {
    let link: Stats;
    let stat: Stats;
    try {
      link = lstatSync(target);
      stat = link.isSymbolicLink() ? statSync(target) : link;
    } catch (err: unknown) {
      problems.push({ source: target, message: `cannot read: ${describeError(err)}` });
      return;
    }
    const refused = refusal(stat, link.isSymbolicLink());
    if (refused) {
      // A stray FIFO or socket in a walked tree is still refused: the user may expect it read.
      if (explicit || MANIFEST.test(target)) problems.push({ source: target, message: refused });
      return;
    }
    if (stat.isFile()) {
      if (explicit || MANIFEST.test(target)) out.push({ type: 'file', path: target });
      return;
    }
    let real: string;
    try {
      real = realpathSync(target);
    } catch (err: unknown) {
      problems.push({ source: target, message: `cannot read: ${describeError(err)}` });
      return;
    }
    if (visited.has(real)) return; // a symlink loop or the same tree named twice
    visited.add(real);
    if (isRendered(target)) {
      out.push({ type: 'directory', path: target });
      return;
    }
    let names: string[];
    try {
      names = readdirSync(target).sort((byName ??= new Intl.Collator().compare));
    } catch (err: unknown) {
      problems.push({ source: target, message: `cannot list the directory: ${describeError(err)}` });
      return;
    }
    for (const name of names) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      visit(path.join(target, name), false);
    }
  };
  for (const target of targets) visit(target, true);
  return out;
}

/**
 * Reads a file as UTF-8, at most MAX_INPUT_BYTES. Opened non-blocking and checked on the open
 * descriptor, so a file swapped for a FIFO or device after the walk is still refused.
 * Returns the text, or a problem naming the file.
 */
export function readRegularFile(file: string, maxBytes = MAX_INPUT_BYTES): { text: string } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err: unknown) {
    return { problem: `cannot read: ${describeError(err)}` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: `${kindOf(stat)}; only regular files are read` };
    if (stat.size > maxBytes) return { problem: tooLarge(maxBytes) };
    let buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    // The file may grow while it is read: grow the buffer, but never past the cap.
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) return { problem: tooLarge(maxBytes) };
        const bigger = Buffer.alloc(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(bigger);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) return { problem: tooLarge(maxBytes) };
    return { text: buffer.subarray(0, length).toString('utf8') };
  } catch (err: unknown) {
    return { problem: `cannot read: ${describeError(err)}` };
  } finally {
    closeSync(fd);
  }
}

/** The message for an input over the cap. */
export function tooLarge(maxBytes = MAX_INPUT_BYTES): string {
  return `input is larger than ${maxBytes / 1024 / 1024} MB; not checked`;
}
