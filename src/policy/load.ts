/** Loads a policy directory (YAML or JSON, one policy per file) into a compiled PolicySet. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { AppError, describeError } from '../errors.js';
import type { PolicySet } from '../engine/api.js';
import { parseDocuments } from '../io/yaml.js';
import { compilePolicySet, type PolicySource } from './compile.js';
import { openPrecompiled, type PrecompiledTable } from './precompiled.js';

/** The policies shipped with vllm-guard: top-level policies/, next to src/ and dist/. */
export const BUNDLED_POLICY_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));
const META_SCHEMA_FILE = path.join(BUNDLED_POLICY_DIR, 'policy.schema.json');

/**
 * Whether a directory entry is a policy file by its name: YAML or JSON, not hidden (ConfigMap mounts
 * add ..data and timestamped dirs), not a published schema. The server's reload checks use it too.
 */
export function isPolicyFileName(name: string): boolean {
  if (name.startsWith('.') || name.endsWith('.schema.json')) return false;
  return /\.(ya?ml|json)$/i.test(name);
}

/** Policy files are read only when they are regular files: a FIFO would block the load forever. */
function readPolicyText(file: string): string {
  const stats = statSync(file);
  if (!stats.isFile()) throw new AppError('ERR_POLICY', `${file}: not a regular file (a FIFO, socket, device or directory is never read)`);
  return readFileSync(file, 'utf8');
}

/**
 * The policy files of a directory, parsed, with their line lookup (one policy per file). A file
 * whose text the build precompiled (`precompiled`, see precompiled.ts) is not parsed: its document
 * comes from the build and its YAML is parsed only if a line is asked for (an error message).
 */
export function readSources(dir: string, precompiled: PrecompiledTable | null = null): PolicySource[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir).filter(isPolicyFileName).sort();
  } catch (err: unknown) {
    throw new AppError('ERR_POLICY', `${dir}: cannot read the policy directory (${describeError(err)})`, { cause: err });
  }
  if (names.length === 0) throw new AppError('ERR_POLICY', `${dir}: no policy files (*.yaml, *.yml, *.json)`);
  return names.map((name) => {
    const file = path.join(dir, name);
    const text = readPolicyText(file);
    const built = precompiled?.lookup(text);
    if (built) {
      let lines: ((p: readonly (string | number)[]) => number) | undefined;
      const lineOf = (p: readonly (string | number)[]): number => (lines ??= parseDocuments(text)[0]?.lineOf ?? (() => 1))(p);
      return { file, value: built.value, lineOf, precompiled: built.rules };
    }
    const docs = parseDocuments(text);
    const doc = docs[0];
    if (!doc) throw new AppError('ERR_POLICY', `${file}: the file is empty`);
    if (doc.error) throw new AppError('ERR_POLICY', `${file}:${doc.error.line}: ${doc.error.message}`);
    if (docs.length > 1) throw new AppError('ERR_POLICY', `${file}:${docs[1]?.line ?? 1}: one policy per file, found ${docs.length} documents`);
    return { file, value: doc.value, lineOf: doc.lineOf };
  });
}

/** The policy meta-schema shipped in policies/policy.schema.json. */
export function readMetaSchema(): object {
  return JSON.parse(readFileSync(META_SCHEMA_FILE, 'utf8')) as object;
}

/**
 * Loads and compiles a policy directory (null = the bundled policies), independent of any config.
 * Throws ERR_POLICY naming the file, line and field.
 */
export function loadPolicies(dir: string | null): PolicySet {
  const from = dir ?? BUNDLED_POLICY_DIR;
  return compilePolicySet(readSources(from, openPrecompiled()), readMetaSchema(), from);
}
