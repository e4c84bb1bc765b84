/**
 * The three AdmissionReview bodies the load bench sends: a production-shaped vLLM Deployment
 * that passes and the checked-in example that is denied, both as `kubectl apply` sends them, and a
 * Pod that is not vLLM.
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocuments } from '../src/io/yaml.js';

export interface BenchBody {
  readonly name: string;
  /** What the real webhook must answer; checked once before loading. */
  readonly allowed: boolean;
  readonly object: Record<string, unknown>;
  readonly json: string;
}

/** The repository root, from the source tree or from dist/bench/bench. */
export function findRepoRoot(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      readFileSync(`${dir}/package.json`);
      return dir;
    } catch {
      dir = `${dir}/..`;
    }
  }
  throw new Error('cannot find the repository root from the bench');
}

function wrapInReview(object: Record<string, any>, uid: string): Record<string, unknown> {
  const [group, version] = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/') : ['', String(object.apiVersion)];
  const kind = String(object.kind);
  const resource = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group, version, kind },
      resource: { group, version, resource },
      requestKind: { group, version, kind },
      requestResource: { group, version, resource },
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      operation: 'CREATE',
      userInfo: { username: 'system:serviceaccount:argocd:argocd-application-controller', uid: 'u-42', groups: ['system:serviceaccounts', 'system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  };
}

/**
 * `kubectl apply` stores the applied manifest in this annotation, so real AdmissionReviews for
 * applied workloads carry the object about twice: that is what makes them ~8 KB.
 */
function withApplyAnnotation(object: Record<string, any>): Record<string, any> {
  const applied = JSON.stringify(object);
  const copy = structuredClone(object);
  copy.metadata.annotations = { ...copy.metadata.annotations, 'kubectl.kubernetes.io/last-applied-configuration': `${applied}\n` };
  return copy;
}

function body(name: string, allowed: boolean, review: Record<string, unknown>): BenchBody {
  return { name, allowed, object: review, json: JSON.stringify(review) };
}

export function loadBenchBodies(root = findRepoRoot()): BenchBody[] {
  const deployment = parseDocuments(readFileSync(`${root}/bench/fixtures/deployment-pass.yaml`, 'utf8'))[0]?.value as Record<string, any>;
  const denied = JSON.parse(readFileSync(`${root}/examples/admission/deny.json`, 'utf8')) as Record<string, unknown>;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7c9d8', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27.3',
          ports: [{ containerPort: 80 }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        },
      ],
    },
  };
  return [
    body('vLLM Deployment, passes', true, wrapInReview(withApplyAnnotation(deployment), '2f1b8e0c-5d47-4b8e-9a0e-1c2d3e4f5a61')),
    body('vLLM Deployment, denied', false, { ...denied, request: { ...(denied.request as object), object: withApplyAnnotation((denied.request as { object: Record<string, any> }).object) } }),
    body('non-vLLM Pod', true, wrapInReview(pod, '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d')),
  ];
}
