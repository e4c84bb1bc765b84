// The published facts schema (policies/facts.schema.json) must describe what the engine builds:
// platform teams write policies against it.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { loadConfig } from '../../src/config/load.js';
import { buildEnvLookup } from '../../src/engine/command/container-env.js';
import { buildFacts } from '../../src/engine/facts/build.js';
import { selectTargets } from '../../src/engine/workload/select.js';
import { createEngine } from '../../src/engine/engine.js';
import { loadPolicies } from '../../src/policy/load.js';
import { parseVllmArgs } from '../../src/engine/vllm/args.js';
import { extractWorkload } from '../../src/engine/workload/extract.js';
import { parseDocuments } from '../../src/io/yaml.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const config = loadConfig(null).engine;
const engine = createEngine({ config, policies: loadPolicies(null) });
const schema = JSON.parse(readFileSync(path.join(ROOT, 'policies/facts.schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

function factsOf(object: unknown) {
  const workload = extractWorkload(object);
  return selectTargets(workload, engine.detection).map((target) =>
    buildFacts({ object, workload, target, args: parseVllmArgs(target.classification.command, buildEnvLookup(target.container)), groupAccelerators: 0, tables: engine.facts, related: null }),
  );
}

function manifests(dir: string): unknown[] {
  return readdirSync(dir).flatMap((f) => parseDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.value));
}

t.test('facts of every example validate against the published facts schema', async (t) => {
  // The cases hold unknown ENTRYPOINTs, Secret-backed values and scripts: unknowns of every kind.
  const cases = ['containers', 'failure-reports', 'inputs'].map((d) => path.join(ROOT, 'test/fixtures/cases', d));
  const objects = [...manifests(path.join(ROOT, 'examples/good')), ...manifests(path.join(ROOT, 'examples/bad')), ...cases.flatMap(manifests)];
  let count = 0;
  for (const object of objects) {
    for (const facts of factsOf(object)) {
      count += 1;
      t.ok(validate(facts), `${(facts.workload as { name: string }).name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    }
  }
  t.ok(count >= 10, `${count} facts documents`);
  t.ok(objects.flatMap(factsOf).some((f) => f.unknowns.length > 0), 'some documents carry unknowns');
});

t.test('derived facts of a StatefulSet: a cache on a claim template and a cold-start budget', async (t) => {
  const [facts] = factsOf({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'qwen', namespace: 'ml', annotations: { 'llm-readiness/cold-start-seconds': '400', 'llm-readiness/precision': 'bf16' } },
    spec: {
      volumeClaimTemplates: [{ metadata: { name: 'cache' } }],
      template: {
        spec: {
          containers: [
            {
              name: 'vllm',
              image: 'vllm/vllm-openai:v0.11.1',
              args: ['Qwen/Qwen3-8B', '--dtype', 'bfloat16', '--max-model-len', '32k'],
              env: [{ name: 'HF_HOME', value: '/cache/hf' }],
              volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
              startupProbe: { httpGet: { path: '/health', port: 8000 }, failureThreshold: 60, periodSeconds: 10 },
            },
          ],
        },
      },
    },
  });
  t.match(facts, {
    volumes: { cacheDir: '/cache/hf/hub', cachePersistent: true, modelPersistent: null, persistentMountPaths: ['/cache'] },
    intent: { precision: 'bf16', precisionMatches: true, coldStartSeconds: 400, startupWindowRatio: 1.5 },
    vllm: { model: 'Qwen/Qwen3-8B', modelKind: 'hub', maxModelLen: 32000, dtype: 'bfloat16' },
  });
});

t.test('a cache directory from a Secret is unknown, not guessed', async (t) => {
  const [facts] = factsOf({
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', command: ['vllm', 'serve', '/models/m'], env: [{ name: 'HF_HOME', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] },
  });
  t.match(facts, { volumes: { cacheDir: null, cachePersistent: false, modelPersistent: false }, vllm: { modelKind: 'local' } });
  t.ok(facts?.unknowns.some((u) => u.path === 'volumes.cacheDir' && u.reason.startsWith('HF_HOME comes from secretKeyRef')));
});
