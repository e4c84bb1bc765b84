// The audit resolves `configMapKeyRef`, `envFrom` and vLLM's `--config` file from the ConfigMaps of
// the workload's namespace, listed from the STAND-IN kube-apiserver (kube-stand-in.ts), as `check`
// resolves them from the input set; a ConfigMap that is not there, or a list that is forbidden,
// leaves the value "could not be verified". Secrets are never listed.
import t from 'tap';
import { keepConfigMap, MAX_CONFIGMAP_CHARS_PER_NAMESPACE } from '../../src/audit/related-configmaps.js';
import type { AuditRun } from '../../src/audit/scanner.js';
import { MAX_CONFIG_FILE_BYTES } from '../../src/engine/api.js';
import { auditStandIn, collection, loadEngine } from './helpers.js';
import type { StandInOptions } from './kube-stand-in.js';

type Json = Record<string, unknown>;
const engine = loadEngine();
const now = new Date('2026-01-15T10:00:00Z');
const NS = 'tp-demo';

/** A vLLM Deployment on 8 GPUs whose container is `extra` over a --model command. */
function deployment(name: string, args: string[], extra: Json = {}, pod: Json = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, uid: `uid-${name}` },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1.1', args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', ...args], resources: { limits: { 'nvidia.com/gpu': '8' } }, ...extra }],
          ...pod,
        },
      },
    },
  };
}

const configMap = (name: string, data: Record<string, string>): Json => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS, uid: `uid-cm-${name}` }, data });

const DEPLOYMENTS = [
  deployment('tp-from-keyref', ['--tensor-parallel-size', '$(TP)'], { env: [{ name: 'TP', valueFrom: { configMapKeyRef: { name: 'vllm-params', key: 'TP' } } }] }),
  deployment('tp-from-envfrom', ['--tensor-parallel-size', '$(TP)'], { envFrom: [{ configMapRef: { name: 'vllm-params' } }] }),
  deployment('tp-from-missing', ['--tensor-parallel-size', '$(TP)'], { env: [{ name: 'TP', valueFrom: { configMapKeyRef: { name: 'not-there', key: 'TP' } } }] }),
  deployment(
    'tp-from-config-file',
    ['--config', '/etc/vllm/config.yaml'],
    { volumeMounts: [{ name: 'config', mountPath: '/etc/vllm' }] },
    { volumes: [{ name: 'config', configMap: { name: 'vllm-config' } }] },
  ),
];

const CONFIG_MAPS = [configMap('vllm-params', { TP: '4' }), configMap('vllm-config', { 'config.yaml': 'tensor-parallel-size: 4\n' })];

const audit = (t: { teardown(fn: () => unknown): void }, options: StandInOptions = {}) =>
  auditStandIn(t, engine, { generated: { deployments: collection(DEPLOYMENTS), configmaps: collection(CONFIG_MAPS) }, ...options }, now);

const findings = (run: AuditRun, name: string, policy: string) =>
  run.report.results.filter((r) => r.name === name).flatMap((r) => r.findings.filter((f) => f.policy === policy));

t.test('values from the ConfigMaps of the namespace are resolved as check resolves them', async (t) => {
  const { run, paths } = await audit(t);
  t.match(findings(run, 'tp-from-keyref', 'gpu-count-matches-parallelism'), [
    { outcome: 'fail', action: 'warn', message: /^--tensor-parallel-size 4 \(from ConfigMap vllm-params key TP\) × --pipeline-parallel-size 1 × data-parallel 1 uses 4 of the 8 accelerators of Deployment tp-from-keyref/ },
  ]);
  t.match(findings(run, 'tp-from-envfrom', 'gpu-count-matches-parallelism'), [{ outcome: 'fail', message: /^--tensor-parallel-size 4 \(from ConfigMap vllm-params key TP\) .* uses 4 of the 8 accelerators/ }]);
  t.match(findings(run, 'tp-from-config-file', 'gpu-count-matches-parallelism'), [{ outcome: 'fail', message: /^--tensor-parallel-size 4 \(from config file \/etc\/vllm\/config\.yaml\) .* uses 4 of the 8 accelerators/ }]);
  t.match(findings(run, 'tp-from-missing', 'gpu-count-matches-parallelism'), [
    { outcome: 'unknown', action: 'warn', message: /^could not be verified \(TP comes from configMapKeyRef: the ConfigMap not-there is not in namespace tp-demo\)/ },
  ]);
  t.same(run.report.results.flatMap((r) => r.findings.filter((f) => /ConfigMap/.test(f.message) && f.action === 'deny')), [], 'nothing about a ConfigMap denies');
  t.same(run.report.errors, [], 'nothing missed');
  t.ok(paths.includes(`/api/v1/namespaces/${NS}/configmaps`), 'ConfigMaps listed in the namespace of the vLLM workloads');
  t.notOk(paths.some((p) => p.endsWith('/configmaps') && !p.includes('/namespaces/')), 'never cluster-wide');
  t.notOk(paths.some((p) => p.endsWith('/secrets')), 'Secrets are never listed');
});

t.test('a forbidden ConfigMap list is a gap of the namespace: the values from it are unknown, never denied', async (t) => {
  const { run } = await audit(t, { forbidden: ['configmaps'] });
  t.match(run.gaps.filter((g) => g.kind === 'ConfigMap' && g.namespace === NS), [{ reason: 'forbidden', incomplete: true, hint: /grant get and list on configmaps in namespace tp-demo/ }]);
  t.match(findings(run, 'tp-from-keyref', 'gpu-count-matches-parallelism'), [
    { outcome: 'unknown', action: 'warn', message: /^could not be verified \(TP comes from configMapKeyRef: the ConfigMap vllm-params could not be read: cannot list ConfigMap in namespace tp-demo: 403 configmaps is forbidden/ },
  ]);
  t.match(findings(run, 'tp-from-config-file', 'api-auth'), [
    { outcome: 'unknown', message: /^could not be verified \(the --config file \/etc\/vllm\/config\.yaml comes from ConfigMap vllm-config key config\.yaml, and the ConfigMap vllm-config could not be read: cannot list ConfigMap in namespace tp-demo: 403/ },
  ]);
});

t.test('ConfigMaps are kept bounded: only name, namespace, data and binaryData, each value up to the config file bound', async (t) => {
  const big = 'x'.repeat(MAX_CONFIG_FILE_BYTES * 4);
  const { object, chars } = keepConfigMap({
    metadata: { name: 'dashboards', namespace: NS, labels: { a: 'b' }, managedFields: [{ manager: 'kubectl' }] },
    data: { small: 'tensor-parallel-size: 4\n', 'big.yaml': big },
    binaryData: { blob: 'AAAA' },
  });
  t.same(Object.keys(object), ['apiVersion', 'kind', 'metadata', 'data', 'binaryData']);
  t.same(object.binaryData, { blob: 'AAAA' }, 'binaryData is a file the kubelet writes: kept for the engine to decode');
  // A binaryData value over the bound keeps the base64 text of the bound and a group more: still too long to read.
  const kept = keepConfigMap({ metadata: { name: 'blobs', namespace: NS }, binaryData: { 'big.bin': 'QUJD'.repeat(MAX_CONFIG_FILE_BYTES) } }).object.binaryData as Record<string, string>;
  t.equal(kept['big.bin']?.length, Math.ceil(MAX_CONFIG_FILE_BYTES / 3) * 4 + 4);
  t.same(object.metadata, { name: 'dashboards', namespace: NS });
  const data = object.data as Record<string, string>;
  t.equal(data.small, 'tensor-parallel-size: 4\n');
  t.equal(data['big.yaml']?.length, MAX_CONFIG_FILE_BYTES + 1, 'still longer than the engine reads');
  t.equal(chars, 'small'.length + 'tensor-parallel-size: 4\n'.length + 'big.yaml'.length + MAX_CONFIG_FILE_BYTES + 1 + 'blob'.length + 'AAAA'.length, 'what is kept is what is counted');
});

t.test('a namespace holding more ConfigMap data than the audit keeps: the values are unknown and say why', async (t) => {
  const filler = Array.from({ length: Math.ceil(MAX_CONFIGMAP_CHARS_PER_NAMESPACE / MAX_CONFIG_FILE_BYTES) + 1 }, (_, i) => configMap(`blob-${i}`, { 'v.yaml': 'x'.repeat(MAX_CONFIG_FILE_BYTES) }));
  const { run } = await audit(t, { generated: { deployments: collection(DEPLOYMENTS), configmaps: collection([...filler, ...CONFIG_MAPS]) } });
  t.match(findings(run, 'tp-from-keyref', 'gpu-count-matches-parallelism'), [
    { outcome: 'unknown', message: /could not be verified \(TP comes from configMapKeyRef: the ConfigMap vllm-params could not be read: the ConfigMaps of namespace tp-demo hold more than 32 MiB of data/ },
  ]);
});
