// Which unknown fact stands behind a failing rule: only a failure that may come from a value nobody
// can read here is "could not be verified"; a missing annotation or API key next to a --dtype read
// from a ConfigMap is a fault as written, and denies when its policy denies.
import t from 'tap';
import type { ErrorObject } from 'ajv';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { createEngine, reviewObject } from '../../src/engine/engine.js';
import { createRelatedSet } from '../../src/engine/related/related-set.js';
import { unknownBehind } from '../../src/engine/evaluate/unknown-behind.js';
import type { Finding, UnknownFact } from '../../src/engine/types.js';
import { loadPolicies } from '../../src/policy/load.js';

const policies = loadPolicies(null);
const engine = createEngine({ policies, config: loadConfig(null).engine });

const dtype: UnknownFact = { path: 'vllm.dtype', reason: 'DTYPE comes from configMapKeyRef', source: '--dtype' };
const precision: UnknownFact = { path: 'intent.precisionMatches', reason: 'DTYPE comes from configMapKeyRef', source: '--dtype' };
const commandLine: UnknownFact = { path: 'vllm', reason: 'the image ENTRYPOINT is not known', source: 'entrypoint' };

function error(instancePath: string, keyword: string, params: Record<string, unknown> = {}): ErrorObject {
  return { instancePath, keyword, params, schemaPath: '#' } as ErrorObject;
}

t.test('a rule that reads the unknown value, or a part of it, is unknown', async (t) => {
  t.equal(unknownBehind({ whenReads: [], schemaReads: ['vllm.dtype'] }, [error('/vllm/dtype', 'enum')], [dtype]), dtype);
  t.equal(unknownBehind({ whenReads: [], schemaReads: ['vllm.args.api-key'] }, [error('/vllm/args', 'required', { missingProperty: 'api-key' })], [commandLine]), commandLine);
});

t.test('a rule that reads only the map around an unknown value is unknown only where it failed', async (t) => {
  const reads = { whenReads: [], schemaReads: ['intent'] };
  t.equal(unknownBehind(reads, [error('/intent', 'required', { missingProperty: 'license-reviewed' })], [precision]), undefined, 'a missing member is named by the error');
  t.equal(unknownBehind(reads, [error('/intent/precisionMatches', 'const')], [precision]), precision, 'a failure at the unknown value');
  t.equal(unknownBehind(reads, [error('/intent', 'minProperties')], [precision]), precision, 'a failure of the whole map may come from the value');
  t.equal(unknownBehind(reads, [error('/intent', 'required', { missingProperty: 'precisionMatches' })], [precision]), precision);
  t.equal(unknownBehind(reads, [error('/intent', 'required', { missingProperty: 'owner' }), error('', 'anyOf')], [precision]), undefined, 'an error at the root names no place; the others do');
  t.equal(unknownBehind(reads, [error('', 'not')], [precision]), precision, 'no error names a place: any read around the value may be why');
  t.equal(unknownBehind({ whenReads: [], schemaReads: ['env'] }, [error('/env', 'additionalProperties', { additionalProperty: 'HF_TOKEN' })], [{ ...precision, path: 'env.DTYPE' }]), undefined);
});

t.test('a `when` that held and read around an unknown value keeps the rule unknown', async (t) => {
  t.equal(unknownBehind({ whenReads: ['intent'], schemaReads: ['shm.mounted'] }, [error('/shm/mounted', 'const')], [precision]), precision);
  t.equal(unknownBehind({ whenReads: ['shm'], schemaReads: ['shm.mounted'] }, [error('/shm/mounted', 'const')], [precision]), undefined);
});

/** A vLLM Deployment whose --dtype comes from a ConfigMap that is not in the input set. */
const dtypeFromConfigMap = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'llm', namespace: 'ml' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'llm' } },
    template: {
      metadata: { labels: { app: 'llm' } },
      spec: {
        containers: [
          {
            name: 'vllm',
            image: 'vllm/vllm-openai:v0.11.0',
            args: ['--model', 'Qwen/Qwen2.5-7B-Instruct', '--dtype', '$(DTYPE)'],
            env: [{ name: 'DTYPE', valueFrom: { configMapKeyRef: { name: 'vllm-config', key: 'dtype' } } }],
            resources: { limits: { 'nvidia.com/gpu': 1 } },
          },
        ],
      },
    },
  },
};

function findingsOf(review: { findings: readonly Finding[] }, policy: string): Finding[] {
  return review.findings.filter((f) => f.policy === policy);
}

t.test('a --dtype from a missing ConfigMap blurs the dtype check only', async (t) => {
  const related = createRelatedSet([dtypeFromConfigMap], { scope: 'input' });
  const review = reviewObject(engine, structuredClone(dtypeFromConfigMap), { related });
  const dtypeFinding = findingsOf(review, 'dtype-explicit')[0];
  t.match(dtypeFinding, { outcome: 'unknown', message: /^could not be verified \(DTYPE comes from configMapKeyRef/ });
  const auth = findingsOf(review, 'api-auth')[0];
  t.match(auth, { outcome: 'fail', action: 'warn' });
  t.notMatch(auth?.message, /could not be verified/, 'no API key anywhere is known whatever --dtype is');
  const phase0 = findingsOf(review, 'phase0-annotations');
  t.ok(phase0.length > 0);
  t.ok(phase0.every((f) => f.outcome === 'fail' && !f.message.includes('could not be verified')), 'missing annotations are known');
});

t.test('a policy a platform team enforces still denies next to an unknown --dtype', async (t) => {
  const config = parseConfig('policies:\n  phase0-annotations: { action: deny }\n', 'vllm-guard.yaml').engine;
  const enforcing = createEngine({ policies, config });
  const review = reviewObject(enforcing, structuredClone(dtypeFromConfigMap));
  const license = findingsOf(review, 'phase0-annotations').find((f) => f.message.includes('license review'));
  t.match(license, { action: 'deny', outcome: 'fail' });
  t.notOk(review.findings.some((f) => f.action === 'deny' && f.outcome === 'unknown'), 'unknown never denies');
});

t.test('the unknown value a rule reads itself is named before one an error at its enclosing map only overlaps', async (t) => {
  // trust-remote-code: anyOf over vllm fails at /vllm; the unknown model kind is the reason, not a
  // --gpu-memory-utilization read from a ConfigMap that comes first in the container's arguments.
  const gpuMem: UnknownFact = { path: 'vllm.args.gpu-memory-utilization', reason: 'G comes from configMapKeyRef', source: '--gpu-memory-utilization' };
  const kind: UnknownFact = { path: 'vllm.modelKind', reason: 'MODEL_ID comes from configMapKeyRef', source: '--model' };
  const reads = { whenReads: ['vllm.trustRemoteCode'], schemaReads: ['vllm.modelKind', 'vllm.revision', 'vllm.args'] };
  const errors = [error('/vllm/modelKind', 'enum'), error('/vllm', 'required', { missingProperty: 'revision' }), error('/vllm', 'anyOf')];
  t.equal(unknownBehind(reads, errors, [gpuMem, kind]), kind);
  t.equal(unknownBehind(reads, [error('/vllm', 'anyOf')], [gpuMem]), gpuMem, 'with no closer one, the overlapping unknown still makes the rule unknown');
  t.equal(unknownBehind(reads, errors, [commandLine, gpuMem, kind]), commandLine, 'an unknown command line is named first');
});
