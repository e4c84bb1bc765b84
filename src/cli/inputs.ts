/**
 * Reads check inputs as users have them: files, directories (recursive), `-` for stdin,
 * kustomizations (rendered), Helm charts (refused with the command to run), Lists and saved
 * AdmissionReviews. Every problem is an InputError naming the path; the rest is still read.
 * @module
 */
import { describeError } from '../errors.js';
import { readDocuments, type InputError, type InputObject } from './inputs-documents.js';
import { listInputs, MAX_INPUT_BYTES, readRegularFile, tooLarge } from './inputs-files.js';
import { helmCommand, renderedKind, renderKustomization } from './inputs-render.js';

export type { InputError, InputObject } from './inputs-documents.js';

export interface InputOptions {
  /** Reads stdin; may stop after maxBytes + 1 bytes (more than maxBytes is refused). */
  readStdin: (maxBytes: number) => string | Promise<string>;
  /** Path of kubectl, or null when it is not on the PATH. */
  kubectl: string | null;
  /** Cap on each input (file, stdin, rendered output), in bytes. */
  maxBytes?: number;
}

async function readStdinBounded(options: InputOptions, maxBytes: number): Promise<{ text: string } | { problem: string }> {
  try {
    const text = await options.readStdin(maxBytes);
    return Buffer.byteLength(text, 'utf8') > maxBytes ? { problem: tooLarge(maxBytes) } : { text };
  } catch (err: unknown) {
    return { problem: `cannot read: ${describeError(err)}` };
  }
}

function renderDirectory(dir: string, kubectl: string | null): { text: string; file: string } | { problem: string } {
  if (renderedKind(dir) === 'helm') {
    return { problem: `a Helm chart (Chart.yaml): its templates are not manifests until rendered with your values; run: ${helmCommand(dir)}` };
  }
  const rendered = renderKustomization(dir, kubectl);
  return 'text' in rendered ? { text: rendered.text, file: `${dir} (kubectl kustomize)` } : rendered;
}

/** Reads every target; never throws for a bad input (it becomes an error entry). */
export async function readInputs(targets: readonly string[], options: InputOptions): Promise<{ objects: InputObject[]; errors: InputError[] }> {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  const errors: InputError[] = [];
  const objects: InputObject[] = [];
  const add = (text: string, file: string): void => {
    const read = readDocuments(text, file);
    objects.push(...read.objects);
    errors.push(...read.errors);
  };
  let stdinRead = false;
  for (const target of targets) {
    if (target === '-') {
      if (stdinRead) continue; // stdin can be read once; `check - -` means it once
      stdinRead = true;
      const read = await readStdinBounded(options, maxBytes);
      if ('text' in read) add(read.text, 'stdin');
      else errors.push({ source: 'stdin', message: read.problem });
      continue;
    }
    for (const entry of listInputs([target], (dir) => renderedKind(dir) !== null, errors)) {
      const read = entry.type === 'file' ? { ...readRegularFile(entry.path, maxBytes), file: entry.path } : renderDirectory(entry.path, options.kubectl);
      if ('text' in read) add(read.text, read.file);
      else errors.push({ source: entry.path, message: read.problem });
    }
  }
  return { objects, errors };
}
