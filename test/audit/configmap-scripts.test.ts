// The audit reads a start script on a ConfigMap volume as `check` does (test/cases/configmap-start-script.test.ts).
// It lists a namespace's ConfigMaps only for a workload that needs them; a generic image (python:3.11)
// running `vllm serve` from its ConfigMap script gives no vLLM signal before the ConfigMap is read, so
// it was reviewed without it: TP 4 on 2 GPUs passed the audit silently.
import t from 'tap';
import type { AuditRun } from '../../src/audit/scanner.js';
import { auditStandIn, collection, loadEngine } from './helpers.js';

type Json = Record<string, unknown>;
const engine = loadEngine();
const now = new Date('2026-01-15T10:00:00Z');
const NS = 'script-demo';

function deployment(name: string, container: Json): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, uid: `uid-${name}` },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'server', resources: { limits: { 'nvidia.com/gpu': '2' } }, volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }], ...container }],
          volumes: [{ name: 'scripts', configMap: { name: 'vllm-start', defaultMode: 0o755 } }],
        },
      },
    },
  };
}

const DEPLOYMENTS = [
  deployment('generic-image', { image: 'python:3.11', command: ['bash', '/scripts/start.sh'] }),
  deployment('vllm-image', { image: 'vllm/vllm-openai:v0.10.1.1', command: ['bash', '/scripts/start.sh'] }),
  deployment('not-vllm', { image: 'nginx:1.27', command: ['sh', '/scripts/other.sh'] }),
  // The API server returns the ConfigMap as JSON: a CRLF file given to `kubectl create configmap --from-file` keeps its CRs.
  deployment('crlf-script', { image: 'python:3.11', command: ['/scripts/crlf.sh'] }),
];
const SCRIPTS = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vllm-start', namespace: NS, uid: 'uid-cm' }, data: { 'start.sh': '#!/bin/bash\nexec vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4\n', 'other.sh': 'exec nginx -g "daemon off;"\n', 'crlf.sh': '#!/bin/bash\r\nexec vllm serve Qwen/Qwen3-8B\r\n' } };

async function audit(t: { teardown(fn: () => unknown): void }): Promise<AuditRun> {
  return (await auditStandIn(t, engine, { generated: { deployments: collection(DEPLOYMENTS), configmaps: collection([SCRIPTS]) } }, now)).run;
}

t.test('the audit reads the start script from the namespace\'s ConfigMap, for a generic image too', async (t) => {
  const run = await audit(t);
  const parallelism = (name: string) => run.report.results.filter((r) => r.name === name).flatMap((r) => r.findings.filter((f) => f.policy === 'gpu-count-matches-parallelism'));
  for (const name of ['generic-image', 'vllm-image']) {
    t.ok(run.report.results.find((r) => r.name === name)?.vllm, `${name}: vLLM`);
    t.match(parallelism(name), [{ outcome: 'fail', message: /^--tensor-parallel-size 4 \(from ConfigMap vllm-start key start\.sh\) .* needs an accelerator count of 4/ }], `${name}: TP 4 on 2 GPUs`);
  }
  t.notOk(run.report.results.find((r) => r.name === 'not-vllm')?.vllm, 'a script that starts no vLLM: not vLLM, with its ConfigMap read');
  t.same(run.report.errors, []);
});

t.test('a start script whose #! line ends in CR is denied from the namespace\'s ConfigMap, as check does', async (t) => {
  const run = await audit(t);
  const result = run.report.results.find((r) => r.name === 'crlf-script');
  t.ok(result?.vllm, 'vLLM, read from the script');
  const launch = result?.findings.filter((f) => f.policy === 'vllm-args-valid' && f.outcome === 'fail');
  t.match(launch, [{ action: 'deny', message: /^command\[0\] runs \/scripts\/crlf\.sh, whose #! line ends in CR \(CRLF line ends\) \(container server\): ConfigMap vllm-start key crlf\.sh, mounted at \/scripts\/crlf\.sh: no interpreter "\/bin\/bash\\r"/ }]);
});
