/**
 * A generated cluster for the audit at scale (bench/audit.ts) and the page test: N namespaces,
 * each with the same mix of workloads made from the examples/ manifests — vLLM Deployments that
 * pass (examples/good) and that are denied (examples/bad), Deployments that are not vLLM, and
 * plain Pods. Objects are made one at a time from their index (never all held), in the order an
 * API server lists them: by namespace, then name.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { GeneratedCollection } from '../test/audit/kube-stand-in.js';

type Json = Record<string, unknown>;

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');

/** Per namespace: this many vLLM Deployments (cycling through the examples), plain Deployments and plain Pods. */
export interface ClusterShape {
  namespaces: number;
  vllmDeployments: number;
  plainDeployments: number;
  plainPods: number;
}

/** 2,000 namespaces × 25 workloads = 50,000 objects, 40% of them vLLM (issue 16 item 4). */
export const SCALE_SHAPE: ClusterShape = { namespaces: 2_000, vllmDeployments: 10, plainDeployments: 10, plainPods: 5 };

/** The Deployments of examples/good and examples/bad, as JSON text with the name and namespace to fill in. */
export function exampleDeployments(): { file: string; json: string }[] {
  const found: { file: string; json: string }[] = [];
  for (const dir of ['good', 'bad']) {
    for (const file of readdirSync(path.join(ROOT, 'examples', dir)).sort()) {
      for (const doc of parseAllDocuments(readFileSync(path.join(ROOT, 'examples', dir, file), 'utf8'))) {
        const object = doc.toJS() as Json | null;
        if (object?.kind === 'Deployment') found.push({ file: `${dir}/${file}`, json: JSON.stringify(object) });
      }
    }
  }
  return found;
}

const PLAIN_DEPLOYMENT = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27.3', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m', memory: '256Mi' } } }] } },
  },
});

const PLAIN_POD = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { labels: { app: 'debug' } },
  spec: { containers: [{ name: 'shell', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
  status: { phase: 'Running' },
});

function named(json: string, namespace: string, name: string, uid: string): Json {
  const object = JSON.parse(json) as Json;
  const metadata = (object.metadata ?? {}) as Json;
  object.metadata = { ...metadata, name, namespace, uid, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' };
  return object;
}

export const namespaceName = (index: number): string => `team-${String(index).padStart(4, '0')}`;

/** The collections by plural, for startKubeStandIn({ generated }). */
export function generatedCluster(shape: ClusterShape): Record<string, GeneratedCollection> {
  const vllm = exampleDeployments();
  const perNamespace = shape.vllmDeployments + shape.plainDeployments;
  return {
    deployments: {
      count: shape.namespaces * perNamespace,
      item(index) {
        const namespace = namespaceName(Math.floor(index / perNamespace));
        const slot = index % perNamespace;
        if (slot < shape.vllmDeployments) {
          const example = vllm[(index + Math.floor(index / perNamespace)) % vllm.length] as { json: string };
          return named(example.json, namespace, `llm-${String(slot).padStart(2, '0')}`, `uid-d-${index}`);
        }
        return named(PLAIN_DEPLOYMENT, namespace, `web-${String(slot).padStart(2, '0')}`, `uid-d-${index}`);
      },
    },
    pods: {
      count: shape.namespaces * shape.plainPods,
      item(index) {
        return named(PLAIN_POD, namespaceName(Math.floor(index / shape.plainPods)), `debug-${index % shape.plainPods}`, `uid-p-${index}`);
      },
    },
  };
}

/** Objects of all kinds the shape holds. */
export const objectCount = (shape: ClusterShape): number => shape.namespaces * (shape.vllmDeployments + shape.plainDeployments + shape.plainPods);
