import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, findKubectlProblem, findObject, renderKustomization, type K8sObject } from './kustomize-helpers.js';


interface Probe { httpGet: { path: string; port: string; scheme: string } }
interface Container {
  name: string;
  image: string;
  args: string[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: Probe;
  livenessProbe: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown> & { capabilities: { drop: string[]; add?: string[] } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  topologySpreadConstraints: { topologyKey: string; whenUnsatisfiable: string; labelSelector: { matchLabels: Record<string, string> } }[];
  containers: Container[];
  volumes: ({ name: string } & Record<string, { secretName?: string; name?: string }>)[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
}
interface DeploymentSpec { replicas: number; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } }

const kubectlProblem = await findKubectlProblem();
if (kubectlProblem) t.plan(0, kubectlProblem);
else await defineTests();

async function defineTests(): Promise<void> {
  const objects = await renderKustomization('deploy/overlays/enforce');
  const deployment = findObject(objects, 'Deployment', 'vllm-guard') as K8sObject & { spec: DeploymentSpec };
  const pod = deployment.spec.template.spec;
  const podLabels = deployment.spec.template.metadata.labels;
  const container = pod.containers[0] as Container;
  const selects = (selector: Record<string, string>): boolean =>
    Object.entries(selector).every(([key, value]) => podLabels[key] === value);

  t.test('our Deployment runs non-root with a restricted securityContext', async (t) => {
    t.equal(pod.containers.length, 1);
    t.equal(pod.securityContext['runAsNonRoot'], true);
    t.not(pod.securityContext['runAsUser'], 0);
    t.same(pod.securityContext['seccompProfile'], { type: 'RuntimeDefault' });
    const sc = container.securityContext;
    t.equal(sc['runAsNonRoot'], true);
    t.equal(sc['allowPrivilegeEscalation'], false);
    t.equal(sc['readOnlyRootFilesystem'], true);
    t.notOk(sc['privileged'], 'not privileged');
    t.same(sc.capabilities, { drop: ['ALL'] }, 'all capabilities dropped, none added');
    t.same(sc['seccompProfile'], { type: 'RuntimeDefault' });
    t.notOk(pod.hostNetwork || pod.hostPID || pod.hostIPC, 'no host namespaces');
    const ns = findObject(objects, 'Namespace', 'vllm-guard');
    t.equal(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted', 'the namespace enforces it');
  });

  t.test('our Deployment has probes on /readyz and /healthz over HTTPS', async (t) => {
    const https = container.ports.find((p) => p.name === 'https');
    t.equal(https?.containerPort, 8443);
    t.same(container.readinessProbe.httpGet, { path: '/readyz', port: 'https', scheme: 'HTTPS' });
    t.same(container.livenessProbe.httpGet, { path: '/healthz', port: 'https', scheme: 'HTTPS' });
  });

  t.test('our Deployment pins its image to the package version', async (t) => {
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    t.equal(container.image, `ghcr.io/vllm-guard/vllm-guard:${version}`);
    t.notMatch(container.image, /:latest$|@sha256:$/);
  });

  t.test('our Deployment survives node loss and drains', async (t) => {
    t.ok(deployment.spec.replicas >= 2, 'two or more replicas');
    const byHost = pod.topologySpreadConstraints.find((c) => c.topologyKey === 'kubernetes.io/hostname');
    t.equal(byHost?.whenUnsatisfiable, 'DoNotSchedule', 'spread across nodes');
    t.ok(byHost && selects(byHost.labelSelector.matchLabels), 'the spread counts our pods');
    const pdb = findObject(objects, 'PodDisruptionBudget', 'vllm-guard') as K8sObject & {
      spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } };
    };
    t.ok(selects(pdb.spec.selector.matchLabels), 'the PodDisruptionBudget covers our pods');
    t.ok(pdb.spec.minAvailable >= 1 && pdb.spec.minAvailable < deployment.spec.replicas, 'and still lets a drain proceed');
    for (const kind of ['requests', 'limits'] as const) {
      t.ok(container.resources[kind]['cpu'] && container.resources[kind]['memory'], `cpu and memory ${kind}`);
    }
  });

  t.test('the server gets its certificate, config and policies where its flags point', async (t) => {
    const mounts = new Map(container.volumeMounts.map((m) => [m.name, m]));
    const volumes = new Map(pod.volumes.map((v) => [v.name, v]));
    const expected = [
      ['tls', '/etc/vllm-guard/tls', 'secret', 'vllm-guard-tls', ['--tls-cert=/etc/vllm-guard/tls/tls.crt', '--tls-key=/etc/vllm-guard/tls/tls.key']],
      ['config', '/etc/vllm-guard/config', 'configMap', 'vllm-guard-config', ['--config=/etc/vllm-guard/config/config.yaml']],
      ['policies', '/etc/vllm-guard/policies', 'configMap', 'vllm-guard-policies', ['--policies=/etc/vllm-guard/policies']],
    ] as const;
    for (const [name, path, source, objectName, flags] of expected) {
      t.same(mounts.get(name), { name, mountPath: path, readOnly: true }, `${name} mounted read-only at ${path}, no subPath`);
      const volume = volumes.get(name)?.[source];
      t.equal(volume?.secretName ?? volume?.name, objectName, `${name} comes from ${source} ${objectName}`);
      for (const flag of flags) t.ok(container.args.includes(flag), `args include ${flag}`);
      if (source === 'configMap') t.ok(findObject(objects, 'ConfigMap', objectName), `${objectName} is rendered`);
    }
    t.equal(container.args[0], 'serve');
    t.ok(container.args.includes('--host=0.0.0.0'), 'listens on all interfaces, not only loopback');
  });

  t.test('the Service and NetworkPolicy expose only the webhook and metrics ports', async (t) => {
    const service = findObject(objects, 'Service', 'vllm-guard') as K8sObject & {
      spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] };
    };
    t.ok(selects(service.spec.selector), 'the Service selects our pods');
    t.same(service.spec.ports.map((p) => [p.name, p.port, p.targetPort]), [['https', 443, 'https'], ['metrics', 9090, 'metrics']]);
    const policy = findObject(objects, 'NetworkPolicy', 'vllm-guard') as K8sObject & {
      spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: { from?: unknown; ports: { port: number }[] }[] };
    };
    t.ok(selects(policy.spec.podSelector.matchLabels), 'the NetworkPolicy selects our pods');
    t.same(policy.spec.policyTypes, ['Ingress']);
    t.same(policy.spec.ingress.flatMap((rule) => rule.ports.map((p) => p.port)), [8443, 9090]);
  });

  t.test('RBAC grants what the audit needs and nothing else', async (t) => {
    type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
    const rulesOf = (kind: string): Rule[] => (findObject(objects, kind, kind === 'Role' ? 'vllm-guard-leader-election' : 'vllm-guard')['rules'] as Rule[]);
    const read = ['get', 'list', 'watch'];
    t.same(rulesOf('ClusterRole'), [
      { apiGroups: [''], resources: ['pods', 'replicationcontrollers', 'namespaces'], verbs: read },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: read },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: read },
      { apiGroups: ['leaderworkerset.x-k8s.io'], resources: ['leaderworkersets'], verbs: read },
      // The objects around a vLLM workload (src/audit/related-kinds.ts).
      { apiGroups: [''], resources: ['services', 'persistentvolumeclaims'], verbs: read },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: read },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: read },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: read },
      { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: read },
      { apiGroups: ['monitoring.coreos.com'], resources: ['servicemonitors', 'podmonitors'], verbs: read },
      { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: read },
      { apiGroups: ['inference.networking.k8s.io', 'inference.networking.x-k8s.io'], resources: ['inferencepools'], verbs: read },
      { apiGroups: ['wgpolicyk8s.io'], resources: ['policyreports'], verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'] },
    ]);
    t.same(rulesOf('Role'), [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update', 'patch'] }]);
    t.equal(findObject(objects, 'Role').metadata.namespace, 'vllm-guard', 'leases only in our own namespace');
    const everything = [...rulesOf('ClusterRole'), ...rulesOf('Role')].flatMap((r) => [...r.apiGroups, ...r.resources, ...r.verbs]);
    t.notOk(everything.includes('*'), 'no wildcards');
    t.notOk(everything.includes('secrets') || everything.includes('escalate') || everything.includes('bind'), 'no secrets, no escalation');
    for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
      t.same(findObject(objects, kind)['subjects'], [{ kind: 'ServiceAccount', name: pod.serviceAccountName, namespace: 'vllm-guard' }], `${kind} binds only our ServiceAccount`);
    }
  });
}
