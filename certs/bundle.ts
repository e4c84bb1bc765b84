/**
 * Webhook certificates without cert-manager: a CA and a serving certificate for
 * `<service>.<namespace>.svc`, written with a Secret manifest and a kustomize Component
 * that sets the webhooks' caBundle, plus one ready overlay per mode, with and without the admission
 * lookups (`overlays/<mode>-lookups`, whose autoscaler webhooks get the caBundle too). Re-running rotates
 * both; the previous CA stays in the caBundle until the next rotation, so API servers
 * keep trusting pods that still serve the old certificate while the Secret propagates.
 * Tooling only: nothing in src/ imports it.
 * @module
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { createCertificateAuthority, issueServingCertificate } from '../src/tls/certificates.js';

export const WEBHOOK_NAMES = ['enforce', 'warn', 'audit', 'default'] as const;
export const MODES = ['audit', 'warn', 'enforce'] as const;
export const SECRET_NAME = 'vllm-guard-tls';
const WEBHOOK_CONFIGURATION = 'vllm-guard';
const DEFAULT_NAMESPACE = 'vllm-guard';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const OVERLAYS_DIR = fileURLToPath(new URL('../deploy/overlays/', import.meta.url));
const LOOKUPS_COMPONENT_DIR = fileURLToPath(new URL('../deploy/components/lookups/', import.meta.url));
/** The vLLM webhooks of every overlay, and the autoscaler webhooks the lookups component adds. */
const VLLM_WEBHOOKS = WEBHOOK_NAMES.map((name) => ({ name, webhook: `${name}.vllm-guard.io` }));
const AUTOSCALER_WEBHOOKS = WEBHOOK_NAMES.map((name) => ({ name, webhook: `autoscalers.${name}.vllm-guard.io` }));

export interface CertsOptions {
  readonly namespace: string;
  readonly service: string;
  readonly outDir: string;
  /** Serving certificate validity in days (default 365). */
  readonly days?: number;
  readonly now?: Date;
}

export interface CertsResult {
  readonly dnsNames: readonly string[];
  /** CAs in the caBundle: the new one, and the previous one while it is still valid. */
  readonly trustedCas: number;
  readonly notAfter: Date;
  readonly files: readonly string[];
}

export async function writeWebhookCertificates(opts: CertsOptions): Promise<CertsResult> {
  for (const [flag, value] of [['--namespace', opts.namespace], ['--service', opts.service]] as const) {
    if (!DNS_LABEL.test(value)) throw new TypeError(`${flag} must be a DNS label (a-z, 0-9, -), got "${value}"`);
  }
  const now = opts.now ?? new Date();
  const dnsNames = [`${opts.service}.${opts.namespace}.svc`, `${opts.service}.${opts.namespace}.svc.cluster.local`];
  const previousCa = await readValidCertificate(join(opts.outDir, 'ca.crt'), now);
  const ca = await createCertificateAuthority({ commonName: `${opts.service}.${opts.namespace} webhook CA`, days: 1825, now });
  const serving = await issueServingCertificate(ca, { dnsNames, days: opts.days ?? 365, now });
  const caBundle = previousCa === undefined ? ca.certPem : `${ca.certPem}${previousCa}`;

  const files = new Map<string, { content: string; mode: number }>([
    ['ca.crt', { content: ca.certPem, mode: 0o644 }],
    ['ca.key', { content: ca.keyPem, mode: 0o600 }],
    ['tls.crt', { content: serving.certPem, mode: 0o644 }],
    ['tls.key', { content: serving.keyPem, mode: 0o600 }],
    ['ca-bundle.crt', { content: caBundle, mode: 0o644 }],
    ['component/secret.yaml', { content: renderSecret(opts, ca.certPem, serving), mode: 0o600 }],
    ['component/webhook-ca-bundle.yaml', { content: renderCaBundlePatch(caBundle, VLLM_WEBHOOKS), mode: 0o644 }],
    ['component/kustomization.yaml', { content: renderComponent(['secret.yaml']), mode: 0o644 }],
    // The lookups component adds four autoscaler webhooks (deploy/components/lookups): their own
    // caBundle patch, kept apart so that it never adds half-made webhooks to an overlay without them.
    ['component-lookups/webhook-ca-bundle.yaml', { content: renderCaBundlePatch(caBundle, AUTOSCALER_WEBHOOKS), mode: 0o644 }],
    ['component-lookups/kustomization.yaml', { content: renderComponent([]), mode: 0o644 }],
  ]);
  for (const mode of MODES) {
    for (const lookups of [false, true]) {
      const dir = lookups ? `${mode}-lookups` : mode;
      const overlayDir = join(opts.outDir, 'overlays', dir);
      const overlay = {
        base: relative(overlayDir, join(OVERLAYS_DIR, mode)),
        lookups: lookups ? relative(overlayDir, LOOKUPS_COMPONENT_DIR) : undefined,
      };
      files.set(`overlays/${dir}/kustomization.yaml`, { content: renderOverlay(overlay, opts.namespace), mode: 0o644 });
    }
  }
  for (const [name, { content, mode }] of files) {
    const file = join(opts.outDir, name);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, content, { mode });
  }
  return {
    dnsNames,
    trustedCas: previousCa === undefined ? 1 : 2,
    notAfter: new Date(new X509Certificate(serving.certPem).validTo),
    files: [...files.keys()],
  };
}

async function readValidCertificate(file: string, now: Date): Promise<string | undefined> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch {
    return undefined; // first run
  }
  try {
    return new Date(new X509Certificate(pem).validTo) > now ? pem : undefined;
  } catch {
    return undefined; // unreadable: not worth trusting
  }
}

function renderSecret(opts: CertsOptions, caPem: string, serving: { certPem: string; keyPem: string }): string {
  const base64 = (text: string): string => Buffer.from(text).toString('base64');
  return header('Secret mounted by the webhook pods at /etc/vllm-guard/tls.') + stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: SECRET_NAME, namespace: opts.namespace, labels: { 'app.kubernetes.io/name': 'vllm-guard' } },
    data: { 'tls.crt': base64(serving.certPem), 'tls.key': base64(serving.keyPem), 'ca.crt': base64(caPem) },
  });
}

function renderCaBundlePatch(caBundle: string, webhooks: readonly { webhook: string }[]): string {
  const encoded = Buffer.from(caBundle).toString('base64');
  return header('Sets the CA the API server trusts when it calls each webhook.') + stringify({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: WEBHOOK_CONFIGURATION },
    webhooks: webhooks.map(({ webhook }) => ({ name: webhook, clientConfig: { caBundle: encoded } })),
  });
}

function renderComponent(resources: readonly string[]): string {
  const component: Record<string, unknown> = { apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component' };
  if (resources.length > 0) component['resources'] = resources;
  component['patches'] = [{ path: 'webhook-ca-bundle.yaml' }];
  return header('Add to any vllm-guard overlay with `components:`.') + stringify(component);
}

/**
 * An installable overlay: the repo's overlay for this mode plus the certificate component; with
 * `lookups`, the lookups component too (before the certificate components, which patch what it adds).
 */
function renderOverlay(paths: { base: string; lookups: string | undefined }, namespace: string): string {
  const components = paths.lookups === undefined ? ['../../component'] : [paths.lookups, '../../component', '../../component-lookups'];
  const overlay: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [paths.base],
    components,
  };
  if (namespace !== DEFAULT_NAMESPACE) {
    overlay['namespace'] = namespace;
    const webhooks = paths.lookups === undefined ? VLLM_WEBHOOKS : [...VLLM_WEBHOOKS, ...AUTOSCALER_WEBHOOKS];
    overlay['patches'] = [{ target: { kind: 'ValidatingWebhookConfiguration', name: WEBHOOK_CONFIGURATION }, patch: renderSelectorPatch(namespace, webhooks) }];
  }
  return header('Install with: kubectl apply -k <this directory>') + stringify(overlay);
}

/** Our own namespace must stay excluded when it is not the default one. */
function renderSelectorPatch(namespace: string, webhooks: readonly { name: (typeof WEBHOOK_NAMES)[number]; webhook: string }[]): string {
  const modeSelector = (name: (typeof WEBHOOK_NAMES)[number]): Record<string, unknown> =>
    name === 'default'
      ? { key: 'vllm-guard.io/mode', operator: 'NotIn', values: ['enforce', 'warn', 'audit'] }
      : { key: 'vllm-guard.io/mode', operator: 'In', values: [name] };
  return stringify({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: WEBHOOK_CONFIGURATION },
    webhooks: webhooks.map(({ name, webhook }) => ({
      name: webhook,
      namespaceSelector: {
        matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', namespace] },
          modeSelector(name),
        ],
      },
    })),
  });
}

function header(what: string): string {
  return `# Generated by \`npm run certs\`; holds key material: never commit. ${what}\n`;
}
