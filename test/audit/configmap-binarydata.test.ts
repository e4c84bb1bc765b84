// A start script or vLLM --config file stored under a ConfigMap's `binaryData` (base64: `kubectl create
// configmap --from-file` puts a file that is not valid UTF-8 there, and tools write it for any file) is a
// file the kubelet writes like a `data` key (kubernetes pkg/volume/configmap/configmap.go MakePayload).
// `check` said the --config key did not exist ("vLLM cannot start", a deny) and read no script from it;
// the audit dropped binaryData altogether. Both now decode it within the 64 KiB bound, and agree.
import t from 'tap';
import type { AuditRun } from '../../src/audit/scanner.js';
import { createRelatedSet, reviewObject, type JsonObject } from '../../src/engine/api.js';
import { auditStandIn, collection, loadEngine } from './helpers.js';

const engine = loadEngine();
const now = new Date('2026-01-15T10:00:00Z');
const NS = 'binary-demo';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function deployment(name: string, container: JsonObject, mountPath: string): JsonObject {
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
          containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.10.1.1', resources: { limits: { 'nvidia.com/gpu': '2' } }, volumeMounts: [{ name: 'files', mountPath }], ...container }],
          volumes: [{ name: 'files', configMap: { name: 'vllm-files', defaultMode: 0o755 } }],
        },
      },
    },
  };
}

const DEPLOYMENTS = [
  deployment('script', { command: ['bash', '/scripts/start.sh'] }, '/scripts'),
  deployment('config', { command: ['vllm', 'serve', 'Qwen/Qwen3-8B', '--config', '/etc/vllm/config.yaml'] }, '/etc/vllm'),
  deployment('binary', { command: ['bash', '/scripts/blob.sh'] }, '/scripts'),
];
const FILES: JsonObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'vllm-files', namespace: NS, uid: 'uid-cm' },
  binaryData: {
    'start.sh': b64('#!/bin/bash\nexec vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4\n'),
    'config.yaml': b64('tensor-parallel-size: 4\n'),
    // Not UTF-8 text: a file vllm-guard does not read.
    'blob.sh': Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64'),
  },
};

const parallelism = (findings: readonly { policy: string; outcome: string; message: string }[]) =>
  findings.filter((f) => f.policy === 'gpu-count-matches-parallelism').map((f) => ({ outcome: f.outcome, message: f.message }));

async function audit(t: { teardown(fn: () => unknown): void }): Promise<AuditRun> {
  return (await auditStandIn(t, engine, { generated: { deployments: collection(DEPLOYMENTS), configmaps: collection([FILES]) } }, now)).run;
}

function check(name: string) {
  const object = DEPLOYMENTS.find((d) => (d.metadata as JsonObject).name === name) as JsonObject;
  return reviewObject(engine, object, { related: createRelatedSet([...DEPLOYMENTS, FILES], { scope: 'the input set' }) }).findings;
}

t.test('check reads a start script and a --config file from binaryData', async (t) => {
  t.match(parallelism(check('script')), [{ outcome: 'fail', message: /^--tensor-parallel-size 4 \(from ConfigMap vllm-files key start\.sh\) .* needs an accelerator count of 4/ }]);
  t.match(parallelism(check('config')), [{ outcome: 'fail', message: /^--tensor-parallel-size 4 \(from config file \/etc\/vllm\/config\.yaml\) .* needs an accelerator count of 4/ }]);
  t.notMatch(check('config').map((f) => f.message).join('\n'), /has no key config\.yaml/, 'the key exists: no "vLLM cannot start"');
  // A binary file is not read, and not taken for missing: unknown, with the reason.
  t.match(check('binary').find((f) => f.outcome === 'unknown')?.message, /comes from ConfigMap vllm-files key blob\.sh, and its binaryData value is binary/);
});

t.test('the audit reads the same binaryData files and says what check says', async (t) => {
  const run = await audit(t);
  for (const name of ['script', 'config', 'binary']) {
    const audited = run.report.results.filter((r) => r.name === name).flatMap((r) => r.findings);
    t.same(parallelism(audited), parallelism(check(name)), `${name}: the same parallelism verdict as check`);
  }
  t.match(parallelism(run.report.results.filter((r) => r.name === 'script').flatMap((r) => r.findings)), [{ outcome: 'fail' }]);
  t.same(run.report.errors, []);
});
