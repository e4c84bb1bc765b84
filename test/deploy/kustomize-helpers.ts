/** Renders kustomizations with the real `kubectl kustomize` (offline) for the deploy tests. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const INSTALLABLE = [
  'deploy/overlays/audit',
  'deploy/overlays/warn',
  'deploy/overlays/enforce',
  'deploy/overlays/lookups',
  'deploy/overlays/cert-manager/audit',
  'deploy/overlays/cert-manager/warn',
  'deploy/overlays/cert-manager/enforce',
  'deploy/monitoring',
] as const;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Why the deploy tests cannot run here, or undefined when kubectl is available. */
export async function findKubectlProblem(): Promise<string | undefined> {
  try {
    await run('kubectl', ['version', '--client'], { timeout: 30_000 });
    return undefined;
  } catch {
    return 'kubectl is not installed: the kustomize renders cannot be checked (install kubectl >= 1.27)';
  }
}

/** `kubectl kustomize <dir>` parsed into objects; `dir` relative to the repo or absolute. */
export async function renderKustomization(dir: string): Promise<K8sObject[]> {
  const { stdout } = await run('kubectl', ['kustomize', dir], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
  return parseAllDocuments(stdout).map((doc) => doc.toJS() as K8sObject);
}

export function findObject(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} in the render`);
  return found;
}

/** A ValidatingWebhookConfiguration's webhooks, typed loosely for assertions. */
export interface Webhook {
  name: string;
  failurePolicy: string;
  timeoutSeconds: number;
  sideEffects: string;
  admissionReviewVersions: string[];
  clientConfig: { caBundle?: string; service: { name: string; namespace: string; path: string; port: number } };
  rules: { apiGroups: string[]; apiVersions: string[]; resources: string[]; operations: string[] }[];
  namespaceSelector: { matchExpressions: { key: string; operator: string; values?: string[] }[] };
  matchConditions: { name: string; expression: string }[];
}

export function webhooksOf(objects: readonly K8sObject[]): Webhook[] {
  return findObject(objects, 'ValidatingWebhookConfiguration', 'vllm-guard')['webhooks'] as Webhook[];
}
