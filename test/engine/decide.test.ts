import t from 'tap';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { decideFinding, effectiveMode } from '../../src/engine/evaluate/decide.js';
import type { RawFinding } from '../../src/engine/evaluate/evaluate.js';
import type { EngineConfig, Policy, Workload } from '../../src/engine/types.js';
import { loadPolicies } from '../../src/policy/load.js';
import { planPolicies } from '../../src/engine/evaluate/plan.js';

const base = loadConfig(null).engine;
const MINIMAL = path.resolve(import.meta.dirname, '../fixtures/policies/minimal');
const set = loadPolicies(MINIMAL);
const shm = set.byId.get('needs-shm') as Policy;
const team = set.byId.get('team-label') as Policy;
const NOW = new Date('2026-11-29T12:00:00Z');

function workload(annotations: Record<string, string> = {}, namespace = 'ml', name = 'llama'): Workload {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace, labels: {}, annotations, templates: [] };
}

/** A raw finding of `policy` as the engine plans it for `config` (actions and overrides per config). */
function raw(policy: Policy, ruleIndex = 0, outcome: RawFinding['outcome'] = 'fail', config: Partial<EngineConfig> = {}): RawFinding {
  const planned = planPolicies({ ...set, policies: [policy] }, { ...base, ...config }).server[0] ?? planPolicies({ ...set, policies: [policy] }, { ...base, ...config }).generic[0];
  if (!planned) throw new Error(`${policy.id} is not planned`);
  return {
    policy,
    planned,
    rule: policy.rules[ruleIndex] as RawFinding['rule'],
    outcome,
    ...(outcome === 'unknown' ? { unknown: { path: 'vllm.parallel', reason: '--tensor-parallel-size comes from a Secret', source: '--tensor-parallel-size' } } : {}),
    message: 'msg',
    remediation: 'fix',
    path: 'spec.template.spec.volumes',
    container: 'vllm',
  };
}

function decide(r: RawFinding, config: Partial<EngineConfig> = {}, w = workload(), cap?: 'enforce' | 'warn' | 'audit') {
  const merged = { ...base, ...config };
  // Re-plan for this config: overrides live in the plan, as in an engine made with this config.
  const planned = planPolicies({ ...set, policies: [r.policy] }, merged);
  const replanned = { ...r, planned: planned.server[0] ?? planned.generic[0] ?? r.planned };
  return decideFinding(replanned, { workload: w, waivers: merged.waivers, mode: effectiveMode(merged, w.namespace, cap), now: () => NOW, relatedLookedUp: true });
}

t.test('modes: enforce keeps, warn turns deny into warn, audit records everything', async (t) => {
  t.equal(decide(raw(shm)).action, 'deny');
  t.equal(decide(raw(shm), { mode: 'warn' }).action, 'warn');
  t.equal(decide(raw(shm), { mode: 'audit' }).action, 'audit');
  t.equal(decide(raw(team), { mode: 'audit' }).action, 'audit');
  t.equal(decide(raw(shm), { mode: 'warn' }).configuredAction, 'deny', 'the configured action is kept for reports');
});

t.test('a namespace mode replaces the global one; the webhook path only ever softens', async (t) => {
  t.equal(decide(raw(shm), { mode: 'warn', namespaces: { ml: { mode: 'enforce' } } }).action, 'deny', 'a namespace opted in to enforce');
  t.equal(decide(raw(shm), { namespaces: { ml: { mode: 'audit' } } }).action, 'audit');
  t.equal(decide(raw(shm), {}, workload(), 'warn').action, 'warn', '/validate/warn caps');
  t.equal(decide(raw(shm), { mode: 'audit' }, workload(), 'enforce').action, 'audit', '/validate/enforce never hardens audit');
});

t.test('per-policy and per-namespace action overrides', async (t) => {
  t.equal(decide(raw(shm), { policies: { 'needs-shm': { action: 'warn' } } }).action, 'warn');
  t.equal(decide(raw(shm), { policies: { 'needs-shm': { action: 'warn', namespaces: { ml: 'deny' } } } }).action, 'deny');
  t.equal(decide(raw(shm), { policies: { 'needs-shm': { namespaces: { other: 'audit' } } } }).action, 'deny', 'another namespace is not affected');
  t.equal(decide(raw(team), { policies: { 'team-label': { action: 'deny' } } }).action, 'deny', 'a warn policy can be made to deny');
});

t.test('a softer rule stays at most the policy action', async (t) => {
  t.equal(decide(raw(shm, 1)).action, 'warn', 'the warn rule of a deny policy');
  t.equal(decide(raw(shm, 1), { policies: { 'needs-shm': { action: 'audit' } } }).action, 'audit', 'capped by an audit override');
});

t.test('an unknown value never denies and says why', async (t) => {
  const f = decide(raw(shm, 0, 'unknown'));
  t.equal(f.action, 'warn');
  t.equal(f.outcome, 'unknown');
  // The requirement leads; the rule's own sentence follows as what is unconfirmed.
  t.equal(f.message, `could not be verified (--tensor-parallel-size comes from a Secret): ${shm.title}. Unconfirmed: msg`);
});

t.test('when the whole command line is unknown, the rule sentence (about defaults, not the manifest) is left out', async (t) => {
  const whole = { ...raw(shm, 0, 'unknown'), unknown: { path: 'vllm', reason: "the image's ENTRYPOINT is not known at admission", source: 'image ENTRYPOINT' } };
  const f = decide(whole);
  t.equal(f.action, 'warn');
  t.equal(f.message, `could not be verified (the image's ENTRYPOINT is not known at admission): ${shm.title}.`);
});

t.test('config waivers: honored with a reason, reported when expired or reasonless', async (t) => {
  const waiver = { policies: ['needs-shm'], namespaces: ['m*'], names: ['llama'], source: 'config' as const };
  const ok = decide(raw(shm), { waivers: [{ ...waiver, reason: 'INC-42: single GPU bench', expires: '2026-12-31' }] });
  t.equal(ok.action, 'audit');
  t.same(ok.waived, { reason: 'INC-42: single GPU bench', source: 'config', until: '2026-12-31' });
  const lastDay = decide(raw(shm), { waivers: [{ ...waiver, reason: 'r', expires: '2026-11-29' }] });
  t.equal(lastDay.action, 'audit', 'a date is valid through the end of that day');
  const expired = decide(raw(shm), { waivers: [{ ...waiver, reason: 'r', expires: '2026-11-28' }] });
  t.equal(expired.action, 'deny');
  t.equal(expired.waiverProblem, 'the config waiver for needs-shm is not applied: it expired on 2026-11-28');
  const reasonless = decide(raw(shm), { waivers: [{ ...waiver, reason: '  ' }] });
  t.equal(reasonless.action, 'deny');
  t.match(reasonless.waiverProblem, /has no reason \(add a reason\)/);
  const otherName = decide(raw(shm), { waivers: [{ ...waiver, names: ['mistral-*'], reason: 'r' }] });
  t.equal(otherName.action, 'deny', 'name patterns must match');
  t.notOk(otherName.waiverProblem);
  const wildcard = decide(raw(shm), { waivers: [{ policies: ['*'], namespaces: ['*'], names: ['*'], reason: 'lab cluster', source: 'config' }] });
  t.equal(wildcard.action, 'audit');
  const badDate = decide(raw(shm), { waivers: [{ ...waiver, reason: 'r', expires: '2026-13-45' }] });
  t.match(badDate.waiverProblem, /is not a date/);
});

t.test('annotation waivers: only for waivable policies, with a reason, before the date', async (t) => {
  const ann = (extra: Record<string, string>) => workload({ 'vllm-guard.io/waive': 'team-label, needs-shm', ...extra });
  const ok = decide(raw(team), {}, ann({ 'vllm-guard.io/waive-reason': 'shared lab', 'vllm-guard.io/waive-until': '2027-01-01' }));
  t.equal(ok.action, 'audit');
  t.same(ok.waived, { reason: 'shared lab', source: 'annotation', until: '2027-01-01' });
  const notWaivable = decide(raw(shm), {}, ann({ 'vllm-guard.io/waive-reason': 'please' }));
  t.equal(notWaivable.action, 'deny');
  t.match(notWaivable.waiverProblem, /needs-shm cannot be waived by annotation; ask the platform team/);
  const reasonless = decide(raw(team), {}, ann({}));
  t.equal(reasonless.action, 'warn');
  t.match(reasonless.waiverProblem, /has no reason \(add vllm-guard\.io\/waive-reason\)/);
  const expired = decide(raw(team), {}, ann({ 'vllm-guard.io/waive-reason': 'x', 'vllm-guard.io/waive-until': '2025-01-01' }));
  t.equal(expired.action, 'warn');
  t.match(expired.waiverProblem, /expired on 2025-01-01/);
  const strict = { ...base, policies: { 'team-label': { waivable: false } } };
  const taken = decide(raw(team), strict, ann({ 'vllm-guard.io/waive-reason': 'x' }));
  t.equal(taken.action, 'warn', 'the config can take waivability away');
  t.match(taken.waiverProblem, /team-label cannot be waived by annotation/);
});

t.test('namespaces named like Object properties are plain namespaces', async (t) => {
  const config = { policies: { 'needs-shm': { namespaces: { prod: 'warn' as const } } } };
  const inConstructor = decide(raw(shm), config, workload({}, 'constructor'));
  t.equal(inConstructor.action, 'deny');
  t.equal(effectiveMode({ ...base, mode: 'warn' }, 'toString'), 'warn');
  t.equal(effectiveMode({ ...base, mode: 'warn' }, '__proto__'), 'warn');
});
