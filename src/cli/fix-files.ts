/**
 * Which files `vllm-guard fix` edits: YAML manifests under the paths given (directories walked in
 * name order, hidden entries and node_modules skipped), and which it leaves alone (Kustomize and
 * Helm sources, other extensions). Its own file: shared by the fix command (fix.ts) and the SARIF
 * fix edits of `check` (fix-sarif.ts).
 * @module
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeError } from '../errors.js';

/** Files larger than this are not read (32 MiB). */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
const MANIFEST = /\.(ya?ml)$/i;

/** Appends the manifest files at `target` (a file, or a directory walked) to `out`; an unreadable path to `problems`. */
export function listFiles(target: string, out: string[], problems: string[]): void {
  let stat;
  try {
    stat = statSync(target);
  } catch (err: unknown) {
    problems.push(`${target}: cannot read: ${describeError(err)}`);
    return;
  }
  if (!stat.isDirectory()) {
    out.push(target);
    return;
  }
  for (const entry of readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = path.join(target, entry.name);
    if (entry.isDirectory()) listFiles(child, out, problems);
    else if (MANIFEST.test(entry.name)) out.push(child);
  }
}

/** Why a file is a Kustomize or Helm source that fix leaves alone, or null. */
export function sourceKind(file: string): string | null {
  const base = path.basename(file);
  if (!MANIFEST.test(base)) return 'not a .yaml/.yml file (fix writes YAML; a JSON manifest would be rewritten as YAML)';
  if (/^kustomization\.ya?ml$/i.test(base)) return 'a Kustomize kustomization: fix the resources it lists instead';
  let dir = path.dirname(path.resolve(file));
  for (let i = 0; i < 8; i++) {
    try {
      if (statSync(path.join(dir, 'Chart.yaml')).isFile()) return 'part of a Helm chart: fix the chart values or templates by hand, or run fix on the rendered output';
    } catch {
      // not a chart directory
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}
