// The `related` section of the facts document: what selects or targets a workload, and what is
// unknown when nothing (or not everything) around it could be searched.
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { loadConfig } from '../../src/config/load.js';
import { buildEnvLookup } from '../../src/engine/command/container-env.js';
import { buildFacts } from '../../src/engine/facts/build.js';
import { selectTargets } from '../../src/engine/workload/select.js';
import { createEngine } from '../../src/engine/engine.js';
import { createRelatedSet, type RelatedSet } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';
import { parseVllmArgs } from '../../src/engine/vllm/args.js';
import { extractWorkload } from '../../src/engine/workload/extract.js';
import { parseDocuments } from '../../src/io/yaml.js';
import type { Facts } from '../../src/engine/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const engine = createEngine({ config: loadConfig(null).engine, policies: loadPolicies(null) });
const schema = JSON.parse(readFileSync(path.join(ROOT, 'policies/facts.schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

function factsOf(object: unknown, related: RelatedSet | null): Facts {
  const workload = extractWorkload(object);
  const [target] = selectTargets(workload, engine.detection);
  if (!target) throw new Error('no target');
  return buildFacts({ object, workload, target, args: parseVllmArgs(target.classification.command, buildEnvLookup(target.container)), groupAccelerators: 0, tables: engine.facts, related });
}

const application = parseDocuments(readFileSync(path.join(ROOT, 'examples/good/application.yaml'), 'utf8')).map((d) => d.value);
const deployment = application.find((o) => (o as { kind?: string }).kind === 'Deployment');

t.test('the application example: every relation found, the schema holds', async (t) => {
  const facts = factsOf(deployment, createRelatedSet(application, { scope: 'the input set' }));
  t.ok(validate(facts), JSON.stringify(validate.errors?.slice(0, 3)));
  t.match(facts.workload, { replicas: 2 });
  t.match(facts.related, {
    lookedUp: true,
    scope: 'the input set',
    podLabels: 'app=mistral-7b-app, component=vllm-server',
    services: [{ name: 'mistral-7b-app', type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 'http', containerPort: 8000 }], reachesServer: true }],
    serverServices: ['mistral-7b-app'],
    networkPolicies: [{ name: 'mistral-7b-app-ingress', policyTypes: ['Ingress'], restrictsIngress: true, ingressOpenToAll: false }],
    ingressRestrictedBy: ['mistral-7b-app-ingress'],
    autoscalers: [{ kind: 'HorizontalPodAutoscaler', name: 'mistral-7b-app', minReplicas: 2, maxReplicas: 4, metrics: [{ type: 'Pods', name: 'vllm:num_requests_waiting' }], scaleDownStabilizationSeconds: 900, scaleUpStabilizationSeconds: 0, scaleUpPolicies: [{ type: 'Pods', value: 1, periodSeconds: 300 }], cooldownPeriodSeconds: null }],
    minReplicas: 2,
    maxReplicas: 4,
    disruptionBudgets: [{ name: 'mistral-7b-app', minAvailable: null, maxUnavailable: 1 }],
    monitors: [{ kind: 'ServiceMonitor', name: 'mistral-7b-app', service: 'mistral-7b-app', endpoints: [{ port: 8000, path: '/metrics' }], reachesServer: true }],
    scrapedBy: ['ServiceMonitor mistral-7b-app'],
    volumeClaims: [{ name: 'mistral-7b-app-hf-cache', found: true, accessModes: ['ReadWriteMany'], singleNode: false }],
    singleNodeClaims: [],
    unresolvedClaims: [],
  });
  t.same(facts.unknowns.filter((u) => u.path.startsWith('related')), [], 'nothing unknown when everything was searched');
});

t.test('no related set (admission without lookups): the whole section is unknown, with the reason', async (t) => {
  const facts = factsOf(deployment, null);
  t.ok(validate(facts), JSON.stringify(validate.errors?.slice(0, 3)));
  t.match(facts.related, { lookedUp: false, scope: null, services: [], minReplicas: 2, maxReplicas: 2 });
  t.match(facts.unknowns, [{ path: 'related', reason: 'related objects are not looked up at admission (enable --lookups)', source: 'related objects' }]);
});

t.test('a gap makes the facts of that kind unknown, and only those', async (t) => {
  const set = createRelatedSet(application, { scope: 'namespace llm', gaps: [['ServiceMonitor', 'monitoring.coreos.com/v1 is not served by the cluster']] });
  const facts = factsOf(deployment, set);
  const paths = facts.unknowns.filter((u) => u.path.startsWith('related')).map((u) => u.path);
  t.same(paths, ['related.monitors', 'related.monitorNames', 'related.scrapedBy']);
  t.match(facts.unknowns.find((u) => u.path === 'related.scrapedBy'), { reason: 'monitoring.coreos.com/v1 is not served by the cluster', source: 'ServiceMonitor' });
});

const pod = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'qwen', namespace: 'ml' },
  spec: {
    replicas: 3,
    template: {
      metadata: { labels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9000' } },
      spec: {
        containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1.1', args: ['Qwen/Qwen3-8B', '--port', '8080'], ports: [{ name: 'api', containerPort: 8080 }] }],
        volumes: [{ name: 'a', persistentVolumeClaim: { claimName: 'rwo' } }, { name: 'b', persistentVolumeClaim: { claimName: 'elsewhere' } }],
        ...extra,
      },
    },
  },
});

t.test('selectors, named and numbered ports, autoscaler defaults, claims not in the set', async (t) => {
  const others = [
    { kind: 'Service', metadata: { name: 'by-name', namespace: 'ml' }, spec: { selector: { app: 'qwen' }, ports: [{ port: 80, targetPort: 'api' }] } },
    { kind: 'Service', metadata: { name: 'wrong-port' }, spec: { selector: { app: 'qwen' }, ports: [{ port: 8000 }] } },
    { kind: 'Service', metadata: { name: 'other-ns', namespace: 'web' }, spec: { selector: { app: 'qwen' }, ports: [{ port: 8080 }] } },
    { kind: 'Service', metadata: { name: 'no-selector' }, spec: { ports: [{ port: 8080 }] } },
    { kind: 'Service', metadata: { name: 'superset' }, spec: { selector: { app: 'qwen', tier: 'x' }, ports: [{ port: 8080 }] } },
    { kind: 'NetworkPolicy', metadata: { name: 'all-pods' }, spec: { podSelector: {}, ingress: [{}], egress: [] } },
    { kind: 'NetworkPolicy', metadata: { name: 'not-gpu' }, spec: { podSelector: { matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }, policyTypes: ['Egress'] } },
    { kind: 'NetworkPolicy', metadata: { name: 'excluded' }, spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['qwen'] }] } } },
    { kind: 'HorizontalPodAutoscaler', metadata: { name: 'cpu' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'qwen' }, maxReplicas: 6 } },
    { kind: 'HorizontalPodAutoscaler', metadata: { name: 'other' }, spec: { scaleTargetRef: { kind: 'StatefulSet', name: 'qwen' }, maxReplicas: 6 } },
    { kind: 'ScaledObject', metadata: { name: 'keda' }, spec: { scaleTargetRef: { name: 'qwen' }, triggers: [{ type: 'prometheus', metadata: { query: 'sum(vllm:num_requests_waiting)' } }] } },
    { kind: 'PodDisruptionBudget', metadata: { name: 'null-selector' }, spec: { minAvailable: 1 } },
    { kind: 'PodMonitor', metadata: { name: 'pods', namespace: 'monitoring' }, spec: { namespaceSelector: { matchNames: ['ml'] }, selector: { matchLabels: { app: 'qwen' } }, podMetricsEndpoints: [{ port: 'api' }] } },
    { kind: 'InferencePool', apiVersion: 'inference.networking.k8s.io/v1', metadata: { name: 'pool' }, spec: { selector: { matchLabels: { app: 'qwen' } }, targetPorts: [{ number: 8080 }] } },
    { kind: 'InferencePool', apiVersion: 'inference.networking.x-k8s.io/v1alpha2', metadata: { name: 'old-pool' }, spec: { selector: { app: 'qwen' }, targetPortNumber: 8000 } },
    { kind: 'HTTPRoute', metadata: { name: 'route' }, spec: { parentRefs: [{ name: 'gw' }], rules: [{ filters: [{ type: 'ExtensionRef' }], backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool' }] }] } },
    { kind: 'Ingress', metadata: { name: 'web' }, spec: { ingressClassName: 'nginx', rules: [{ http: { paths: [{ backend: { service: { name: 'by-name', port: { name: 'http' } } } }] } }] } },
    { kind: 'PersistentVolumeClaim', metadata: { name: 'rwo' }, spec: { accessModes: ['ReadWriteOnce'] } },
  ];
  const facts = factsOf(pod({ app: 'qwen' }), createRelatedSet(others, { scope: 'the input set' }));
  t.ok(validate(facts), JSON.stringify(validate.errors?.slice(0, 3)));
  const related = facts.related as Record<string, unknown>;
  t.same(related.serviceNames, ['by-name', 'wrong-port']);
  t.same(related.serverServices, ['by-name'], 'a named targetPort resolves through the container ports');
  t.same(related.networkPolicyNames, ['all-pods', 'not-gpu']);
  t.match(related.networkPolicies, [{ name: 'all-pods', policyTypes: ['Ingress', 'Egress'], restrictsIngress: true, ingressOpenToAll: true }, { name: 'not-gpu', restrictsIngress: false }]);
  t.same(related.ingressRestrictedBy, ['all-pods']);
  t.match(related.autoscalers, [
    { kind: 'HorizontalPodAutoscaler', name: 'cpu', minReplicas: 1, maxReplicas: 6, metrics: [{ type: 'Resource', name: 'cpu' }], scaleDownStabilizationSeconds: 300 },
    { kind: 'ScaledObject', name: 'keda', minReplicas: 0, maxReplicas: 100, metrics: [{ type: 'prometheus', name: 'sum(vllm:num_requests_waiting)' }], cooldownPeriodSeconds: 300 },
  ]);
  t.match(related, { minReplicas: 0, maxReplicas: 100 });
  t.same(related.disruptionBudgets, [], 'a PDB without a selector selects no pod');
  t.same(related.monitorNames, ['PodMonitor pods', 'prometheus.io annotations on the pod template']);
  t.same(related.scrapedBy, ['PodMonitor pods'], 'the annotations name port 9000, not vLLM\'s 8080');
  t.match(related.inferencePools, [{ name: 'pool', targetPorts: [8080], reachesServer: true }, { name: 'old-pool', targetPorts: [8000], reachesServer: false }]);
  t.match(related.routes, [
    { kind: 'Ingress', name: 'web', backend: 'by-name', port: 'http', filters: [], via: 'nginx' },
    { kind: 'HTTPRoute', name: 'route', backend: 'InferencePool pool', port: null, filters: ['ExtensionRef'], via: 'gw' },
  ]);
  t.same(related.singleNodeClaims, ['rwo']);
  t.same(related.unresolvedClaims, ['elsewhere']);
  t.match(facts.unknowns, [{ path: 'related.unresolvedClaims', reason: 'PersistentVolumeClaim elsewhere is not in the input set', source: 'PersistentVolumeClaim' }]);
});

t.test('a port that cannot be known makes the port comparisons unknown', async (t) => {
  const object = pod({ app: 'qwen' });
  const container = object.spec.template.spec.containers[0] as Record<string, unknown>;
  container.args = ['Qwen/Qwen3-8B', '--port', '$(PORT)'];
  container.env = [{ name: 'PORT', valueFrom: { configMapKeyRef: { name: 'c', key: 'port' } } }];
  const facts = factsOf(object, createRelatedSet([], { scope: 'the input set' }));
  const paths = facts.unknowns.map((u) => u.path);
  for (const p of ['related.serverServices', 'related.scrapedBy', 'related.inferencePools']) t.ok(paths.includes(p), p);
});
