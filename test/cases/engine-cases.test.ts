// Cases from ../shared/cases for the engine (issue 9) and its load-time refusals (issue 11,
// findings 1 and 2). Each failed on 60ca998.
import t from 'tap';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadEngine } from '../../src/load-engine.js';
import { reviewObject } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { createReloader, loadServingState } from '../../src/server/reload.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLogSink } from '../server/helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CASES = path.join(ROOT, 'test/fixtures/cases');
const POLICIES = path.join(ROOT, 'policies');

function review(file: string, configFile: string | null = null) {
  const { engine } = loadEngine({ configFile, policiesDir: null });
  const doc = parseDocuments(readFileSync(path.join(CASES, file), 'utf8'))[0];
  return reviewObject(engine, doc?.value);
}

t.test('failure-reports/07: all three probes on the wrong port are three denials, in one answer', async (t) => {
  const deny = review('failure-reports/07-llmd-probe-port-mismatch.yaml').findings.filter((f) => f.policy === 'probe-port-host' && f.action === 'deny');
  t.same(deny.map((f) => f.path).sort(), [
    'spec.template.spec.containers[0].livenessProbe',
    'spec.template.spec.containers[0].readinessProbe',
    'spec.template.spec.containers[0].startupProbe',
  ]);
  for (const f of deny) t.match(f.message, /probes port 8000, but vLLM listens on --port 8200/);
});

t.test('inputs/rocm-image-only: facts that do not depend on the ENTRYPOINT stay known', async (t) => {
  const findings = review('inputs/rocm-image-only.yaml').findings;
  const secret = findings.find((f) => f.policy === 'no-literal-secrets');
  t.match(secret, { action: 'deny', outcome: 'fail', path: 'spec.template.spec.containers[0].env[0].value' }, 'the literal HF_TOKEN is denied');
  t.notMatch(secret?.message, /could not be verified/);
  const shm = findings.find((f) => f.policy === 'shm-mounted');
  t.equal(shm?.outcome, 'fail', 'the missing /dev/shm is known');
  const dtype = findings.find((f) => f.policy === 'dtype-explicit');
  t.match(dtype, { outcome: 'unknown', unknown: { path: 'vllm', source: 'image ENTRYPOINT' } }, 'what the ENTRYPOINT decides is unknown');
});

t.test('inputs/redos-tag: a catastrophic deniedTagPattern runs in linear time on RE2', async (t) => {
  const dir = t.testdir({ 'config.yaml': 'policies:\n  image-pinned:\n    params:\n      deniedTagPattern: "^(a+)+$"\n' });
  const started = process.hrtime.bigint();
  const findings = review('inputs/redos-tag.yaml', path.join(dir, 'config.yaml')).findings;
  // A generous hang ceiling, not a speed target: on V8's backtracking RegExp this never returns.
  t.ok(Number(process.hrtime.bigint() - started) / 1e9 < 30, 'the review returns');
  t.ok(findings.some((f) => f.policy === 'image-pinned'), 'the tag is still judged (not a denied tag: it names no version)');
});

t.test('an invalid pattern param is refused at load, naming the config field', async (t) => {
  const dir = t.testdir({ 'config.yaml': 'policies:\n  image-pinned:\n    params:\n      deniedTagPattern: "(latest"\n' });
  t.throws(() => loadEngine({ configFile: path.join(dir, 'config.yaml'), policiesDir: null }), {
    code: 'ERR_CONFIG',
    message: /policies\.image-pinned\.params\.deniedTagPattern: "\(latest" is not an RE2 regular expression/,
  });
});

const RECURSIVE = `id: recursive
title: A schema that refers to itself
description: Would recurse forever on any facts document.
checklist: { phase: P, section: S, item: I }
owner: SRE
severity: low
action: deny
rules:
  - schema:
      $defs: { loop: { $ref: "#/$defs/loop" } }
      $ref: "#/$defs/loop"
    message: "never"
    remediation: "never"
    path: "spec"
`;

t.test('a policy whose $ref could recurse is refused; on reload the last good set keeps serving', async (t) => {
  const dir = t.testdir();
  const policiesDir = path.join(dir, 'policies');
  cpSync(POLICIES, policiesDir, { recursive: true });
  const sources = { configFile: null, policiesDir };
  const sink = createLogSink();
  const metrics = createMetrics({ defaultMetrics: false });
  const reloader = createReloader({ sources, initial: loadServingState(sources), logger: sink.logger, metrics, debounceMs: 10_000, pollMs: 60_000 });
  t.teardown(() => reloader.close());
  const before = reloader.get();
  writeFileSync(path.join(policiesDir, 'recursive.yaml'), RECURSIVE);
  t.equal(reloader.check(), false);
  t.equal(reloader.get(), before, 'the last good set serves');
  const line = sink.lines.find((l) => l.msg === 'reload rejected; the last good policy set keeps serving');
  t.match(line?.error, /recursive\.yaml:\d+: rules\[0\]\.schema: \$ref "#\/\$defs\/loop" points at a definition that holds a \$ref itself/);
  t.match(await metrics.registry.metrics(), /vllm_guard_policy_reloads_total\{result="error"\} 1/);
  // A denied Deployment is still denied (the old build failed open on every review).
  const deployment = parseDocuments(readFileSync(path.join(ROOT, 'examples/bad/latest-tp4-on-2-gpus.yaml'), 'utf8'))[0]?.value;
  t.ok(reviewObject(reloader.get().engine, deployment).findings.some((f) => f.action === 'deny'));
});
