/**
 * Directories that are not plain manifests: a kustomization is what `kubectl apply -k` would
 * send only after rendering (patches, name prefixes, images), so reading its raw files gives a
 * false pass; a Helm chart's templates are not YAML at all. Kustomizations are rendered with
 * `kubectl kustomize` when kubectl is on the PATH, else refused with the command to run; Helm
 * charts are always refused with the `helm template` line (values decide what is deployed, and
 * only the user knows which values).
 * @module
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { describeError } from '../errors.js';
import { MAX_INPUT_BYTES } from './inputs-files.js';

/** kustomize accepts these three names for the kustomization file (kustomize konfig.RecognizedKustomizationFileNames). */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

// A render that takes longer than this is stuck (a remote base that never answers). Milliseconds.
const RENDER_TIMEOUT_MS = 120_000;

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** 'kustomize' for a kustomization root, 'helm' for a chart (Chart.yaml), else null. */
export function renderedKind(dir: string): 'kustomize' | 'helm' | null {
  if (KUSTOMIZATION_FILES.some((name) => isFile(path.join(dir, name)))) return 'kustomize';
  if (isFile(path.join(dir, 'Chart.yaml'))) return 'helm';
  return null;
}

/** The first executable called `name` on a PATH string, or null. */
export function findOnPath(name: string, pathVariable: string | undefined): string | null {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The line a user runs to check a chart; shown when a chart directory is given. */
export function helmCommand(dir: string): string {
  return `helm template ${path.basename(path.resolve(dir))} ${dir} | vllm-guard check -`;
}

/**
 * Renders a kustomization with `kubectl kustomize DIR`. Returns the YAML, or a problem that names
 * the command to run by hand. Output is capped at MAX_INPUT_BYTES and the run at two minutes.
 */
export function renderKustomization(dir: string, kubectl: string | null): { text: string } | { problem: string } {
  const byHand = `kubectl kustomize ${dir} | vllm-guard check -`;
  if (kubectl === null) {
    return { problem: `a kustomization: its raw files are not what gets applied, and kubectl is not on the PATH to render it; run: ${byHand}` };
  }
  try {
    const text = execFileSync(kubectl, ['kustomize', dir], {
      encoding: 'utf8',
      maxBuffer: MAX_INPUT_BYTES,
      timeout: RENDER_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { text };
  } catch (err: unknown) {
    const stderr = (err as { stderr?: unknown }).stderr;
    const detail = typeof stderr === 'string' && stderr.trim() ? stderr.trim().split('\n')[0]?.slice(0, 300) : describeError(err);
    return { problem: `kubectl kustomize failed: ${detail}; fix the kustomization, or run: ${byHand}` };
  }
}
