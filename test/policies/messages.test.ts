// Every rule's message and remediation, rendered over a matrix of facts, reads as a sentence: no
// "not set", "undefined", "null" or raw {{…}} in the middle of it, no empty slot (a doubled space,
// "( ,"). The matrix: the examples, every policy fixture, the cases, and variants of a base
// Deployment with a missing model, unknown values, a generic pod and a multi-node group.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, createRelatedSet, reviewObject, type RelatedSet } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { loadPolicies } from '../../src/policy/load.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const base = loadConfig(null).engine;
const engine = createEngine({ policies: loadPolicies(null), config: { ...base, detection: { ...base.detection, allPods: true } } });

function yamlUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return yamlUnder(file);
    return /\.ya?ml$/.test(name) ? [file] : [];
  });
}

const container = (extra: Record<string, unknown>) => ({ name: 'vllm', image: 'vllm/vllm-openai:v0.11.1', ...extra });
const deployment = (name: string, containers: unknown[], spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'matrix', annotations: { 'llm-readiness/precision': 'fp8', 'llm-readiness/max-context-tokens': '4096' } },
  spec: { template: { spec: { containers, ...spec } } },
});
const secretEnv = [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }];
const variants: unknown[] = [
  deployment('no-model', [container({ command: ['vllm', 'serve'] })]),
  deployment('args-only', [container({ image: 'registry.example/vllm-custom:1', args: ['--tensor-parallel-size', '2'] })]),
  deployment('unknown-values', [container({ command: ['vllm', 'serve', '$(X)', '--tensor-parallel-size', '$(X)', '--max-model-len', '$(X)', '--dtype', '$(X)'], env: secretEnv })]),
  deployment('unknown-script', [container({ command: ['sh', '-c', 'vllm serve $(cat /m) --port $P'], env: secretEnv })]),
  // An image only a renderer fills in (unknown), on no accelerator and on a shared GPU: the image and
  // resource slots of the GPU sentences are then empty (an unknown outcome must not print "((unknown))").
  deployment('placeholder-image', [container({ image: '${IMAGE}', command: ['vllm', 'serve', 'm'] })]),
  deployment('placeholder-image-shared-gpu', [container({ image: '${IMAGE}', command: ['vllm', 'serve', 'm'], resources: { limits: { 'nvidia.com/gpu.shared': 1 } } })]),
  // Accelerators only through a DRA claim (ai-dynamo/dynamo examples/backends/vllm/deploy/agg_xpu_dra.yaml): no resource name to print.
  deployment('dra-claim-only', [container({ command: ['vllm', 'serve', 'm'], resources: { claims: [{ name: 'gpu' }] } })], { resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }] }),
  // Variables a start script sets or sources (unknown env facts), with a context and a dtype the checks judge.
  deployment('script-env', [container({ command: ['sh', '-c', 'export VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 HF_HOME=/m; . /etc/vars; exec vllm serve Qwen/Qwen3-8B --max-model-len 200000 --dtype bfloat16'], resources: { limits: { 'nvidia.com/gpu': 1 } } })], { nodeSelector: { 'nvidia.com/gpu.product': 'Tesla-T4' } }),
  deployment('generic', [{ name: 'sidecar', image: 'busybox', command: ['sleep', 'inf'], securityContext: { privileged: true } }]),
  deployment('bad-values', [container({ command: ['vllm', 'serve', 'm', '--dtype', 'x', '-q', 'y', '--kv-cache-dtype', 'z', '--gpu-memory-utilization', '7', '--max-num-seqs', '9', '--max-num-batched-tokens', '2', '--host', '127.0.0.1'] })]),
  {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'group', namespace: 'matrix' },
    spec: { leaderWorkerTemplate: { size: 2, workerTemplate: { spec: { containers: [container({ command: ['vllm', 'serve', 'm', '--tensor-parallel-size', '8'] })] } } } },
  },
  // spec.parallelism passed by KServe's default config (workload.crdParallel): tensor 4 on one GPU.
  {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: { name: 'llmisvc-tp', namespace: 'matrix' },
    spec: { parallelism: { tensor: 4 }, template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': 1 } } }] } },
  },
];

// A file's documents are reviewed twice: as `check` reviews them (the file's documents are the
// related set) and alone, as the webhook without lookups does (related facts unknown).
const manifests: { where: string; object: unknown; related?: RelatedSet }[] = [
  ...['examples', 'test/fixtures/policies', 'test/fixtures/application', 'test/fixtures/cases', 'test/fixtures/kinds'].flatMap((dir) =>
    yamlUnder(path.join(ROOT, dir)).filter((file) => !file.endsWith('ansi.yaml')).flatMap((file) => {
      const docs = parseDocuments(readFileSync(file, 'utf8'));
      const related = createRelatedSet(docs.map((doc) => doc.value), { scope: 'the input set' });
      return docs.flatMap((doc, i) => [
        { where: `${path.relative(ROOT, file)}#${i + 1}`, object: doc.value, related },
        { where: `${path.relative(ROOT, file)}#${i + 1} (alone)`, object: doc.value },
      ]);
    }),
  ),
  ...variants.map((object, i) => ({ where: `variant ${i}`, object })),
];

/** What a missing value leaves behind in a sentence, and a count that does not know its number (`1 replica(s)`, `1 replicas`). */
const LEAKS = /\w\(s\)|(?<![\d.])1 (?:replicas|pods|groups|accelerators|GPUs|devices|containers)\b|\(\((?:unknown)?\)\)|\(unknown\)\w|(?<!does )\bnot set\b|\bundefined\b|\bnull\b|\{\{|\S {2,}\S|\(\s*[,)]|,\s*[,)]|\s[,;:.](?:\s|$)|=\s*[,)]/;

t.test('no finding of any policy leaks a missing value into its sentence', async (t) => {
  let checked = 0;
  const policiesSeen = new Set<string>();
  // One assertion per sentence kind, listing every offender: ~9 700 findings made ~29 000 assertions, and
  // tap's bookkeeping per assertion (formatting, the TAP line, its parse in the runner) cost more than
  // the reviews (a third of the test's CPU).
  const leaks: string[] = [];
  const standIns: string[] = [];
  for (const { where, object, related } of manifests) {
    for (const finding of reviewObject(engine, object, { related }).findings) {
      checked++;
      policiesSeen.add(finding.policy);
      if (LEAKS.test(finding.message)) leaks.push(`${where} ${finding.policy}: ${finding.message}`);
      if (LEAKS.test(finding.remediation)) leaks.push(`${where} ${finding.policy} fix: ${finding.remediation}`);
      // A remediation that is only a stand-in tells the user nothing to do.
      if (/^\W*unknown\W*$/.test(finding.remediation)) standIns.push(`${where} ${finding.policy} fix: ${finding.remediation}`);
    }
  }
  t.same(leaks, [], 'no message or remediation leaks a missing value');
  t.same(standIns, [], 'no remediation is only a stand-in');
  t.ok(checked > 200, `${checked} findings rendered`);
  t.same(engine.policies.policies.map((p) => p.id).filter((id) => !policiesSeen.has(id)), [], 'every policy fired somewhere in the matrix');
});
