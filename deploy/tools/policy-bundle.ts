/**
 * The policies ConfigMap of deploy/base is generated from the top-level policies/:
 * a kustomize configMapGenerator cannot read files outside its kustomization root, and
 * lists files one by one, so deploy/base/policies/ holds a copy plus a generated
 * kustomization.yaml. `npm run deploy:sync-policies` rewrites it; a test fails when the
 * copy differs, so the shipped set is the tested set.
 * @module
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const POLICIES_CONFIGMAP = 'vllm-guard-policies';
const KUSTOMIZATION = 'kustomization.yaml';

/** The same rule as the policy loader: policy files only, no dotfiles, no published schemas. */
export function isShippedPolicyFile(name: string): boolean {
  return !name.startsWith('.') && !name.endsWith('.schema.json') && /\.(ya?ml|json)$/i.test(name);
}

/** File name → content of deploy/base/policies/ as it should be for `sourceDir`. */
export async function renderPolicyBundle(sourceDir: string): Promise<Map<string, string>> {
  const names = (await readdir(sourceDir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && isShippedPolicyFile(entry.name))
    .map((entry) => entry.name)
    .sort();
  const bundle = new Map<string, string>();
  for (const name of names) bundle.set(name, await readFile(join(sourceDir, name), 'utf8'));
  bundle.set(KUSTOMIZATION, renderKustomization(names));
  return bundle;
}

/** Differences between `targetDir` and `bundle`, one line each; empty when in sync. */
export async function diffPolicyBundle(targetDir: string, bundle: Map<string, string>): Promise<string[]> {
  const present = await listFiles(targetDir);
  const differences: string[] = [];
  for (const [name, content] of bundle) {
    if (!present.has(name)) differences.push(`missing: ${name}`);
    else if ((await readFile(join(targetDir, name), 'utf8')) !== content) differences.push(`differs: ${name}`);
  }
  for (const name of present) if (!bundle.has(name)) differences.push(`extra: ${name}`);
  return differences;
}

/** Makes `targetDir` hold exactly `bundle`. */
export async function writePolicyBundle(targetDir: string, bundle: Map<string, string>): Promise<void> {
  for (const name of await listFiles(targetDir)) {
    if (!bundle.has(name)) await rm(join(targetDir, name));
  }
  for (const [name, content] of bundle) await writeFile(join(targetDir, name), content);
}

async function listFiles(dir: string): Promise<Set<string>> {
  const entries = await readdir(dir, { withFileTypes: true });
  return new Set(entries.filter((entry) => entry.isFile()).map((entry) => entry.name));
}

function renderKustomization(names: readonly string[]): string {
  const files = names.length === 0 ? '    files: []\n' : `    files:\n${names.map((n) => `      - ${n}\n`).join('')}`;
  return [
    '# Generated from policies/ by `npm run deploy:sync-policies`: do not edit by hand.',
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'configMapGenerator:',
    `  - name: ${POLICIES_CONFIGMAP}`,
    files.trimEnd(),
    'generatorOptions:',
    '  # A fixed name: the ConfigMap is updated in place and the server reloads it live.',
    '  disableNameSuffixHash: true',
    '',
  ].join('\n');
}
