import t from 'tap';
import { Ajv } from 'ajv';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_SCHEMA } from '../../src/config/schema.js';
import {
  INSTALLABLE,
  REPO_ROOT,
  findKubectlProblem,
  findObject,
  renderKustomization,
  webhooksOf,
  type K8sObject,
} from './kustomize-helpers.js';
import { findSchemaError, hasSchema } from './schema-validators.js';


const kubectlProblem = await findKubectlProblem();
if (kubectlProblem) t.plan(0, kubectlProblem);
else await defineTests();

async function defineTests(): Promise<void> {
  const renders = new Map<string, K8sObject[]>();
  for (const dir of INSTALLABLE) renders.set(dir, await renderKustomization(dir));
  const rendered = (dir: (typeof INSTALLABLE)[number]): K8sObject[] => renders.get(dir) ?? [];

  t.test('every installable directory renders and every object is schema-valid for its kind', async (t) => {
    for (const [dir, objects] of renders) {
      t.ok(objects.length > 0, `${dir} renders objects`);
      for (const object of objects) {
        const label = `${dir}: ${object.kind} ${object.metadata.name}`;
        t.ok(hasSchema(object), `${label} has a schema`);
        t.equal(findSchemaError(object), undefined, `${label} is valid`);
      }
    }
  });

  t.test('the schemas do reject a broken object', async (t) => {
    const deployment = structuredClone(findObject(rendered('deploy/overlays/enforce'), 'Deployment'));
    (deployment['spec'] as { replicas: unknown }).replicas = 'two';
    t.match(findSchemaError(deployment), /replicas must be integer/);
    t.match(findSchemaError({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'x' } }), /no schema/);
  });

  const modes = [
    { dir: 'deploy/overlays/audit', mode: 'audit', failureMode: 'open', fail: [] },
    { dir: 'deploy/overlays/warn', mode: 'warn', failureMode: 'open', fail: [] },
    { dir: 'deploy/overlays/enforce', mode: 'enforce', failureMode: 'closed', fail: ['enforce.vllm-guard.io', 'default.vllm-guard.io'] },
    { dir: 'deploy/overlays/cert-manager/enforce', mode: 'enforce', failureMode: 'closed', fail: ['enforce.vllm-guard.io', 'default.vllm-guard.io'] },
  ] as const;

  t.test('each overlay sets the global mode and failurePolicy to match', async (t) => {
    const base = parse(await readFile(join(REPO_ROOT, 'deploy/base/config/config.yaml'), 'utf8')) as Record<string, unknown>;
    const validateConfig = new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
    for (const { dir, mode, failureMode, fail } of modes) {
      const objects = rendered(dir);
      const configMap = findObject(objects, 'ConfigMap', 'vllm-guard-config') as K8sObject & { data: Record<string, string> };
      const config = parse(configMap.data['config.yaml'] ?? '') as Record<string, unknown>;
      t.ok(validateConfig(config), `${dir}: config.yaml is valid for the server (${JSON.stringify(validateConfig.errors)})`);
      t.same(config, { ...base, mode, failureMode }, `${dir}: config is the base config with mode ${mode}`);
      for (const webhook of webhooksOf(objects)) {
        const expected = (fail as readonly string[]).includes(webhook.name) ? 'Fail' : 'Ignore';
        t.equal(webhook.failurePolicy, expected, `${dir}: ${webhook.name} failurePolicy ${expected}`);
      }
    }
  });

  t.test('one webhook per mode path, chosen by the namespace label', async (t) => {
    const webhooks = webhooksOf(rendered('deploy/overlays/enforce'));
    const byName = new Map(webhooks.map((w) => [w.name, w]));
    const routes = [
      ['enforce.vllm-guard.io', '/validate/enforce', { key: 'vllm-guard.io/mode', operator: 'In', values: ['enforce'] }],
      ['warn.vllm-guard.io', '/validate/warn', { key: 'vllm-guard.io/mode', operator: 'In', values: ['warn'] }],
      ['audit.vllm-guard.io', '/validate/audit', { key: 'vllm-guard.io/mode', operator: 'In', values: ['audit'] }],
      ['default.vllm-guard.io', '/validate', { key: 'vllm-guard.io/mode', operator: 'NotIn', values: ['enforce', 'warn', 'audit'] }],
    ] as const;
    t.equal(webhooks.length, routes.length);
    for (const [name, path, modeSelector] of routes) {
      const webhook = byName.get(name);
      if (!webhook) {
        t.fail(`missing webhook ${name}`);
        continue;
      }
      t.same(webhook.clientConfig.service, { name: 'vllm-guard', namespace: 'vllm-guard', path, port: 443 }, `${name} calls ${path}`);
      t.same(webhook.namespaceSelector.matchExpressions, [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'vllm-guard'] },
        modeSelector,
      ], `${name}: kube-system and vllm-guard are never sent, and the label routes`);
      t.same(webhook.admissionReviewVersions, ['v1']);
      t.equal(webhook.sideEffects, 'None');
      t.ok(webhook.timeoutSeconds <= 5, `${name} times out within 5 s`);
      t.same(
        webhook.rules.map((r) => [r.apiGroups, r.resources, r.operations]),
        [
          [[''], ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'], ['CREATE', 'UPDATE']],
          [['apps'], ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], ['CREATE', 'UPDATE']],
          [['batch'], ['jobs', 'cronjobs'], ['CREATE', 'UPDATE']],
          [['leaderworkerset.x-k8s.io'], ['leaderworkersets'], ['CREATE', 'UPDATE']],
          [['serving.kserve.io'], ['inferenceservices', 'servingruntimes', 'llminferenceservices', 'llminferenceserviceconfigs'], ['CREATE', 'UPDATE']],
          [['ray.io'], ['rayclusters', 'rayservices', 'rayjobs'], ['CREATE', 'UPDATE']],
          [['orchestration.aibrix.ai'], ['rayclusterfleets', 'stormservices'], ['CREATE', 'UPDATE']],
          [['nvidia.com'], ['dynamographdeployments'], ['CREATE', 'UPDATE']],
          [['argoproj.io'], ['rollouts'], ['CREATE', 'UPDATE']],
          [['apps.kruise.io'], ['clonesets'], ['CREATE', 'UPDATE']],
          [['jobset.x-k8s.io'], ['jobsets'], ['CREATE', 'UPDATE']],
          [['kaito.sh'], ['workspaces'], ['CREATE', 'UPDATE']],
          [['serving.knative.dev'], ['services', 'configurations', 'revisions'], ['CREATE', 'UPDATE']],
          [['ome.io'], ['servingruntimes'], ['CREATE', 'UPDATE']],
          [['workload.serving.volcano.sh'], ['modelservings'], ['CREATE', 'UPDATE']],
          [['kubeai.org'], ['models'], ['CREATE', 'UPDATE']],
          // Cluster-scoped objects ignore namespaceSelector: only the global-mode webhook takes them.
          ...(name.startsWith('default.')
            ? [
                [['serving.kserve.io'], ['clusterservingruntimes'], ['CREATE', 'UPDATE']],
                [['ome.io'], ['clusterservingruntimes'], ['CREATE', 'UPDATE']],
              ]
            : []),
        ],
        `${name}: pods, the pod controllers and the serving CRDs, on create and update only`,
      );
      t.equal(webhook.matchConditions.length, 1, `${name} filters with one matchCondition`);
    }
    const expressions = new Set(webhooks.map((w) => w.matchConditions[0]?.expression));
    t.equal(expressions.size, 1, 'the four matchConditions are identical');
  });

  t.test('the base ships no caBundle; each certificate route provides one', async (t) => {
    for (const webhook of webhooksOf(rendered('deploy/overlays/audit'))) {
      t.equal(webhook.clientConfig.caBundle, undefined, `${webhook.name}: no caBundle in the base`);
    }
    const withCertManager = rendered('deploy/overlays/cert-manager/audit');
    const configuration = findObject(withCertManager, 'ValidatingWebhookConfiguration');
    t.equal(configuration.metadata.annotations?.['cert-manager.io/inject-ca-from'], 'vllm-guard/vllm-guard-serving');
    const serving = findObject(withCertManager, 'Certificate', 'vllm-guard-serving') as K8sObject & {
      spec: { secretName: string; dnsNames: string[]; issuerRef: { name: string } };
    };
    t.equal(serving.spec.secretName, 'vllm-guard-tls', 'cert-manager writes the Secret the pods mount');
    t.same(serving.spec.dnsNames, ['vllm-guard.vllm-guard.svc', 'vllm-guard.vllm-guard.svc.cluster.local']);
    const caIssuer = findObject(withCertManager, 'Issuer', serving.spec.issuerRef.name) as K8sObject & {
      spec: { ca: { secretName: string } };
    };
    const ca = findObject(withCertManager, 'Certificate', 'vllm-guard-ca') as K8sObject & {
      spec: { isCA: boolean; secretName: string; issuerRef: { name: string } };
    };
    t.equal(ca.spec.isCA, true);
    t.equal(caIssuer.spec.ca.secretName, ca.spec.secretName, 'the CA Issuer signs with the CA certificate');
    t.ok(findObject(withCertManager, 'Issuer', ca.spec.issuerRef.name)['spec'], 'the CA comes from a self-signed Issuer');
  });

  t.test('monitoring alerts cover what the install guide promises', async (t) => {
    const rule = findObject(rendered('deploy/monitoring'), 'PrometheusRule') as K8sObject & {
      spec: { groups: { rules: { alert: string; expr: string }[] }[] };
    };
    const alerts = new Map(rule.spec.groups.flatMap((g) => g.rules).map((r) => [r.alert, r.expr]));
    const expectations: [string, RegExp][] = [
      ['VllmGuardAdmissionErrors', /vllm_guard_admission_errors_total/],
      ['VllmGuardAdmissionLatencyHigh', /histogram_quantile\(0\.99,[\s\S]*vllm_guard_admission_duration_seconds_bucket[\s\S]*> 0\.1/],
      ['VllmGuardCertificateExpiringSoon', /vllm_guard_tls_certificate_expiry_timestamp_seconds.*14 \* 24 \* 3600/],
      ['VllmGuardPolicyReloadFailed', /vllm_guard_policy_reloads_total\{result="error"\}/],
      ['VllmGuardDenialsRising', /vllm_guard_admission_requests_total\{decision="deny"\}/],
      ['VllmGuardWebhookDown', /up\{job="vllm-guard"/],
    ];
    for (const [alert, expr] of expectations) t.match(alerts.get(alert), expr, alert);
    const monitor = findObject(rendered('deploy/monitoring'), 'ServiceMonitor') as K8sObject & {
      spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string }[] };
    };
    const service = findObject(rendered('deploy/overlays/audit'), 'Service') as K8sObject & {
      spec: { ports: { name: string }[] };
    };
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) {
      t.equal(service.metadata.labels?.[key], value, `the ServiceMonitor selects our Service by ${key}`);
    }
    t.ok(service.spec.ports.some((p) => p.name === monitor.spec.endpoints[0]?.port), 'and scrapes its metrics port');
  });
}
