// Property: for random fixable vLLM Deployments, every certain fix in the JSON output (and the
// placeholder-Secret fix of no-literal-secrets), applied with a JSON Patch library (fast-json-patch)
// to the object, gives an object on which the engine no longer reports that policy at that field.
// The workloads mix probes, volumes, GPUs, node selectors (T4, L4) and vLLM flags, as two tokens or
// one (--dtype=half): dtype, host, a literal --api-key, --max-model-len, TP and a misspelled flag;
// and rollouts: replicas, a surging strategy, --shutdown-timeout against terminationGracePeriodSeconds.
import t from 'tap';
import fc from 'fast-check';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { runCheck } from '../../src/cli/check.js';
import { loadEngine } from '../../src/load-engine.js';
import { renderJson } from '../../src/report/json.js';

const { applyPatch, deepClone } = fastJsonPatch;
const { engine } = loadEngine({ configFile: null, policiesDir: null });

interface JsonFinding {
  policy: string;
  path: string;
  container: string | null;
  fix?: { description: string; patch: Operation[]; needs?: string };
}

/** The findings of one object as `vllm-guard check -o json` prints them. */
function jsonFindings(object: unknown): JsonFinding[] {
  const report = runCheck(engine, [{ source: 'x.yaml#1', file: 'x.yaml', object, lineOf: () => 1, positionOf: () => ({ line: 1, column: 1 }) }], []);
  return (JSON.parse(renderJson(report)) as { results: { findings: JsonFinding[] }[] }).results.flatMap((r) => r.findings);
}

const port = fc.constantFrom(8000, 8080, 9000);
const probe = (kind: string) =>
  fc.option(
    fc.record({ port, failureThreshold: fc.integer({ min: 1, max: 200 }), periodSeconds: fc.constantFrom(5, 10, 30), named: fc.boolean() }).map((p) => ({
      kind,
      value: { httpGet: { path: '/health', port: p.named ? 'http-missing' : p.port }, periodSeconds: p.periodSeconds, failureThreshold: p.failureThreshold },
    })),
    { nil: undefined },
  );

/** A flag and its value, as two argv tokens or one (`--dtype=half`); nothing without a value. */
const flag = (name: string, value: string | undefined, inline: boolean): string[] => (value === undefined ? [] : inline ? [`${name}=${value}`] : [name, value]);

/**
 * Fixes with `needs` applied here too: the placeholder Secret is as good as any for the re-check, and
 * the rollout surge fix needs only the user's consent to a smaller capacity during the update.
 */
const APPLY_WITH_NEEDS = new Set(['no-literal-secrets', 'rollout-strategy']);

const workload = fc
  .record({
    port: fc.option(port, { nil: undefined }),
    tp: fc.constantFrom(0, 1, 2, 3, 4, 6), // 0: no --tensor-parallel-size flag; 3 and 6 do not divide Qwen3-8B's 32 heads
    gpus: fc.constantFrom(1, 2, 4, 8),
    request: fc.constantFrom('same', 'other', 'absent', 'string'),
    readiness: probe('readinessProbe'),
    liveness: probe('livenessProbe'),
    startup: probe('startupProbe'),
    volumes: fc.constantFrom('absent', 'empty', 'other'),
    tolerations: fc.constantFrom('absent', 'other'),
    securityContext: fc.constantFrom('absent', 'empty', 'escalation'),
    memory: fc.constantFrom('64Gi', undefined),
    coldStart: fc.constantFrom(undefined, '300', '1200'),
    gpuNode: fc.constantFrom(undefined, 'nvidia-tesla-t4', 'nvidia-l4'),
    dtype: fc.constantFrom(undefined, 'bfloat16', 'half'),
    inline: fc.boolean(), // --flag=value instead of two tokens
    host: fc.constantFrom(undefined, '127.0.0.1', 'localhost', '0.0.0.0'),
    apiKey: fc.boolean(),
    maxModelLen: fc.constantFrom(undefined, '32768', '131072'),
    typo: fc.constantFrom(undefined, '--max-num-seq5', '--swap-spaces'),
    replicas: fc.constantFrom(undefined, 1, 3),
    strategy: fc.constantFrom('absent', 'surge', 'percent', 'rollingUpdate-absent', 'all-at-once'),
    // --shutdown-timeout arrived in vLLM v0.18.0: given, the image is v0.18.0.
    shutdownTimeout: fc.constantFrom(undefined, 60, 120),
    grace: fc.constantFrom(undefined, 30, 90),
  })
  .map((w) => {
    const container: Record<string, unknown> = {
      name: 'vllm',
      image: w.shutdownTimeout === undefined ? 'vllm/vllm-openai:v0.11.1' : 'vllm/vllm-openai:v0.18.0',
      command: ['vllm', 'serve'],
      args: [
        'Qwen/Qwen3-8B',
        ...flag('--shutdown-timeout', w.shutdownTimeout === undefined ? undefined : String(w.shutdownTimeout), w.inline),
        ...(w.tp > 0 ? ['--tensor-parallel-size', String(w.tp)] : []),
        ...(w.port ? ['--port', String(w.port)] : []),
        ...flag('--dtype', w.dtype, w.inline),
        ...flag('--host', w.host, w.inline),
        ...flag('--api-key', w.apiKey ? 'sk-prop-0123456789abcdef' : undefined, w.inline),
        ...flag('--max-model-len', w.maxModelLen, w.inline),
        ...(w.typo ? [w.typo, '4'] : []),
      ],
      resources: {
        limits: { 'nvidia.com/gpu': w.gpus, ...(w.memory ? { memory: w.memory } : {}) },
        ...(w.request === 'absent' ? {} : { requests: { 'nvidia.com/gpu': w.request === 'same' ? w.gpus : w.request === 'string' ? String(w.gpus) : w.gpus + 1 } }),
      },
    };
    for (const p of [w.readiness, w.liveness, w.startup]) if (p) container[p.kind] = p.value;
    if (w.securityContext !== 'absent') container.securityContext = w.securityContext === 'escalation' ? { runAsNonRoot: true, allowPrivilegeEscalation: true } : {};
    const pod: Record<string, unknown> = { containers: [container] };
    if (w.gpuNode) pod.nodeSelector = { 'cloud.google.com/gke-accelerator': w.gpuNode };
    if (w.volumes !== 'absent') pod.volumes = w.volumes === 'empty' ? [] : [{ name: 'cache', emptyDir: {} }];
    if (w.tolerations === 'other') pod.tolerations = [{ key: 'team', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }];
    if (w.grace !== undefined) pod.terminationGracePeriodSeconds = w.grace;
    const strategy =
      w.strategy === 'surge' ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
      : w.strategy === 'percent' ? { rollingUpdate: { maxSurge: '50%' } }
      : w.strategy === 'rollingUpdate-absent' ? { type: 'RollingUpdate' }
      : w.strategy === 'all-at-once' ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '100%' } }
      : undefined;
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'qwen', namespace: 'ml', ...(w.coldStart ? { annotations: { 'llm-readiness/cold-start-seconds': w.coldStart } } : {}) },
      spec: {
        ...(w.replicas === undefined ? {} : { replicas: w.replicas }),
        ...(strategy ? { strategy } : {}),
        selector: { matchLabels: { app: 'qwen' } },
        template: { metadata: { labels: { app: 'qwen' } }, spec: pod },
      },
    };
  });

t.test('applying a finding’s patch with fast-json-patch clears that finding', (t) => {
  let checked = 0;
  const policies = new Set<string>();
  const descriptions = new Set<string>();
  fc.assert(
    fc.property(workload, (object) => {
      for (const finding of jsonFindings(object)) {
        if (!finding.fix || (finding.fix.needs !== undefined && !APPLY_WITH_NEEDS.has(finding.policy))) continue;
        const patched = applyPatch(deepClone(object), finding.fix.patch, true, false).newDocument;
        const args = (patched).spec.template.spec.containers[0].args as unknown[];
        if (!args.every((a) => typeof a === 'string')) throw new Error(`a fix put a non-string into args: ${JSON.stringify(args)}`);
        const still = jsonFindings(patched).filter((f) => f.policy === finding.policy && f.path === finding.path && f.container === finding.container);
        if (still.length > 0) throw new Error(`${finding.policy} at ${finding.path} still fails after ${JSON.stringify(finding.fix.patch)}`);
        checked++;
        policies.add(finding.policy);
        descriptions.add(finding.fix.description);
      }
    }),
    { numRuns: 150 },
  );
  t.ok(checked > 100, `patches were applied and re-checked (${checked})`);
  // The generator reaches the fixes it is meant to exercise.
  for (const id of [
    'shm-mounted', 'startup-probe-budget', 'probe-port-host', 'gpu-request-equals-limit', 'gpu-taint-toleration', 'gpu-count-matches-parallelism', 'non-root',
    'dtype-vs-accelerator', 'no-literal-secrets', 'context-within-model', 'vllm-args-valid', 'parallelism-fits-model', 'rollout-strategy',
  ]) {
    t.ok(policies.has(id), `a ${id} fix was exercised`);
  }
  // rollout-strategy has three fixes: all at once, the surge and the termination grace period.
  t.ok([...descriptions].some((d) => d.startsWith('set maxUnavailable 1: the other pods keep serving')), 'the all-at-once fix was exercised');
  t.ok([...descriptions].some((d) => d.startsWith('set maxSurge 0 and maxUnavailable 1')), 'the rollout surge fix was exercised');
  t.ok([...descriptions].some((d) => /^set terminationGracePeriodSeconds to \d+ s, the --shutdown-timeout/.test(d)), 'the termination grace fix was exercised');
  t.end();
});

t.test('no fix for a fact that cannot be known: --port from a ConfigMap', (t) => {
  const object = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'q', namespace: 'ml' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'vllm',
              image: 'vllm/vllm-openai:v0.11.1',
              command: ['vllm', 'serve'],
              args: ['Qwen/Qwen3-8B', '--port', '$(PORT)'],
              env: [{ name: 'PORT', valueFrom: { configMapKeyRef: { name: 'c', key: 'port' } } }],
              resources: { limits: { 'nvidia.com/gpu': 1 } },
              readinessProbe: { httpGet: { path: '/health', port: 8000 } },
            },
          ],
        },
      },
    },
  };
  const findings = jsonFindings(object);
  const startup = findings.find((f) => f.policy === 'startup-probe-budget');
  t.ok(startup, 'the missing startup probe is reported');
  t.notOk(startup?.fix, 'but no fix: its port would be a guess');
  t.ok(findings.find((f) => f.policy === 'gpu-taint-toleration')?.fix, 'a fix that needs no unknown value is still offered');
  t.end();
});
