// The scorecard and PolicyReport builders, without HTTP: from hand-made audit results.
import t from 'tap';
import path from 'node:path';
import { buildPolicyReports, OMITTED_ANNOTATION } from '../../src/audit/policy-report.js';
import type { AuditResult } from '../../src/audit/scanner.js';
import { buildScorecard, stateOf } from '../../src/audit/scorecard.js';
import type { Action, Finding } from '../../src/engine/types.js';
import { loadEngine, policyReportValidator } from './helpers.js';

const engine = loadEngine();
const policy = (id: string) => {
  const p = engine.policies.byId.get(id);
  if (!p) throw new Error(`no policy ${id}`);
  return p;
};

function finding(id: string, configuredAction: Action, extra: Partial<Finding> = {}): Finding {
  const p = policy(id);
  return {
    policy: id,
    title: p.title,
    action: configuredAction,
    configuredAction,
    severity: p.severity,
    outcome: 'fail',
    message: `${id} failed`,
    remediation: `fix ${id}`,
    path: 'spec.template.spec.containers[0]',
    container: 'vllm',
    checklist: p.checklist,
    owner: p.owner,
    ...extra,
  };
}

function workload(namespace: string, name: string, team: string, findings: Finding[]): AuditResult {
  return { source: `cluster:${namespace}/Deployment/${name}`, apiVersion: 'apps/v1', kind: 'Deployment', namespace, name, uid: `uid-${name}`, team, vllm: true, notes: [], findings };
}

const results: AuditResult[] = [
  workload('ml', 'ready', 'inference', []),
  workload('ml', 'broken', 'inference', [finding('image-pinned', 'deny'), finding('gpu-count-matches-parallelism', 'deny'), finding('dtype-explicit', 'warn')]),
  workload('research', 'warned', 'research', [finding('dtype-explicit', 'warn', { action: 'audit' })]),
  workload('research', 'excused', 'inference', [finding('shm-mounted', 'deny', { action: 'audit', waived: { reason: 'single GPU, INC-7', source: 'config' } })]),
];

t.test('cell states: compliance, not the enforcement mode', async (t) => {
  const table: [string, Finding[], string][] = [
    ['no finding', [], 'pass'],
    ['deny in audit mode still fails', [finding('image-pinned', 'deny', { action: 'audit' })], 'fail'],
    ['warn', [finding('dtype-explicit', 'warn')], 'warn'],
    ['audit-only policy: to document, never blocking', [finding('phase0-annotations', 'audit')], 'document'],
    ['waived', [finding('shm-mounted', 'deny', { waived: { reason: 'r', source: 'annotation' } })], 'waived'],
    ['waived and open', [finding('shm-mounted', 'deny', { waived: { reason: 'r', source: 'annotation' } }), finding('shm-mounted', 'warn')], 'warn'],
  ];
  for (const [name, findings, want] of table) t.equal(stateOf(findings), want, name);
});

t.test('the scorecard: rows, cells per checklist section column, totals per namespace and team', async (t) => {
  const card = buildScorecard(results, engine.policies.policies, engine.config);
  const sections = new Set(engine.policies.policies.map((p) => `${p.checklist.phase}|${p.checklist.section}`));
  t.equal(card.columns.length, sections.size, 'one column per checklist section the policies check (none shares a column yet)');
  t.ok(card.columns.every((c, i) => i === 0 || (card.columns[i - 1]?.phase ?? '') <= c.phase), 'grouped by phase');
  t.same(
    card.columns.filter((c) => c.phase === 'Phase 4' || c.phase === 'Phase 3').map((c) => `${c.column}: ${c.policies.join(', ')}`),
    ['Metrics: metrics-exposed, metrics-scraped', 'Autoscaling: autoscaler-bounds, autoscaler-cooldown, autoscaler-ml-signal', 'Release: phase4-annotations, rollout-strategy', 'Failure: disruption-budget, memory-limit, model-fits-memory', 'Drift: phase0-annotations'],
    'the Metrics, Release and Failure columns, in the checklist order',
  );
  t.same(
    card.rows.map((r) => `${r.namespace}/${r.name}:${r.state}`),
    ['ml/broken:fail', 'research/warned:warn', 'research/excused:waived', 'ml/ready:pass'],
    'failing first, then warnings, then ready',
  );
  const broken = card.rows[0];
  const col = (id: string) => card.columns.findIndex((c) => c.policies.includes(id));
  t.equal(broken?.cells[col('image-pinned')], 'fail');
  // dtype-explicit warns, but gpu-count-matches-parallelism fails in the same column (vLLM config).
  t.equal(col('dtype-explicit'), col('gpu-count-matches-parallelism'));
  t.equal(broken?.cells[col('dtype-explicit')], 'fail', 'the worst finding of the column');
  t.equal(card.rows.find((r) => r.name === 'warned')?.cells[col('dtype-explicit')], 'warn');
  t.equal(broken?.cells[col('shm-mounted')], 'pass');
  t.same(broken?.findings.map((f) => f.policy), ['gpu-count-matches-parallelism', 'image-pinned', 'dtype-explicit'], 'fails before warnings');
  t.equal(broken?.findings[1]?.remediation, 'fix image-pinned', 'each finding carries its fix');
  t.equal(card.rows[2]?.findings[0]?.waived, 'single GPU, INC-7');
  const cells = card.columns.length;
  t.same(
    card.byNamespace.map((n) => [n.key, n.workloads, n.pass, n.warn, n.fail]),
    [
      ['ml', 2, 1, 0, 1],
      ['research', 2, 1, 1, 0],
    ],
  );
  const ml = card.byNamespace[0];
  t.same(ml?.cells, { pass: 2 * cells - 2, warn: 0, fail: 2, waived: 0, document: 0 });
  t.equal(ml?.score, Math.round(((2 * cells - 2) / (2 * cells)) * 1000) / 10);
  t.same(
    card.byTeam.map((n) => [n.key, n.workloads, n.pass, n.warn, n.fail]),
    [
      ['research', 1, 0, 1, 0],
      ['inference', 3, 2, 0, 1],
    ],
    'per team, across namespaces, lowest score first; a waived workload counts as ready',
  );
  t.same([card.overall.workloads, card.overall.pass, card.overall.warn, card.overall.fail], [4, 2, 1, 1]);
});

t.test('a policy off for a namespace is an off cell there, and off everywhere has no column', async (t) => {
  const dir = t.testdir({ 'config.yaml': 'policies:\n  image-pinned: { namespaces: { research: off } }\n  trust-remote-code: { action: off }\n' });
  const custom = loadEngine(path.join(dir, 'config.yaml'));
  const card = buildScorecard(results, custom.policies.policies, custom.config);
  const col = card.columns.findIndex((c) => c.policies.includes('image-pinned'));
  const only = card.columns[col]?.policies.length === 1;
  t.equal(card.rows.find((r) => r.name === 'warned')?.cells[col], only ? 'off' : 'pass');
  t.equal(card.rows.find((r) => r.name === 'broken')?.cells[col], 'fail');
  t.notOk(card.columns.some((c) => c.policies.includes('trust-remote-code')));
});

t.test('PolicyReports: one per namespace, one result per workload and policy, valid against the CRD', async (t) => {
  const now = new Date('2026-01-15T10:00:00Z');
  const reports = buildPolicyReports(results, engine.policies.policies, engine.config, { now });
  const validate = policyReportValidator();
  t.same(reports.map((r) => `${r.metadata.namespace}/${r.metadata.name}`), ['ml/vllm-guard', 'research/vllm-guard']);
  for (const report of reports) t.ok(validate(report), `${report.metadata.namespace}: ${JSON.stringify(validate.errors)}`);
  const ml = reports[0];
  const n = engine.policies.policies.length;
  t.equal(ml?.results.length, 2 * n, 'pass results included');
  t.same(ml?.summary, { pass: 2 * n - 3, fail: 2, warn: 1, error: 0, skip: 0 });
  t.same(ml?.metadata.labels, { 'app.kubernetes.io/managed-by': 'vllm-guard' });
  const pinned = ml?.results.find((r) => r.policy === 'image-pinned' && r.resources[0]?.name === 'broken');
  t.match(pinned, {
    result: 'fail',
    rule: policy('image-pinned').checklist.item,
    severity: policy('image-pinned').severity,
    source: 'vllm-guard',
    scored: true,
    timestamp: { seconds: 1768471200, nanos: 0 },
    resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'broken', namespace: 'ml', uid: 'uid-broken' }],
    properties: { remediation: 'fix image-pinned', path: 'spec.template.spec.containers[0]', container: 'vllm', action: 'deny' },
  });
  const research = reports[1];
  t.same(research?.summary, { pass: 2 * n - 2, fail: 0, warn: 1, error: 0, skip: 1 }, 'a waiver is a skip, a deny in audit mode still a fail');
  t.match(research?.results.find((r) => r.result === 'skip')?.properties, { waived: 'config: single GPU, INC-7' });
});

t.test('a report over the size budget drops pass results first and says so', async (t) => {
  const many = Array.from({ length: 40 }, (_, i) => workload('big', `w${i}`, 'x', i === 0 ? [finding('image-pinned', 'deny')] : []));
  const [report] = buildPolicyReports(many, engine.policies.policies, engine.config, { now: new Date(), maxBytes: 20_000 });
  t.ok(report);
  t.ok(JSON.stringify(report).length < 24_000, 'stays near the budget');
  t.ok(report?.results.some((r) => r.result === 'fail'), 'the failure is kept');
  t.ok((report?.results.length ?? 0) < 40 * engine.policies.policies.length, 'some pass results are left out');
  t.equal(report?.summary.pass, 40 * engine.policies.policies.length - 1, 'the summary still counts every result');
  t.match(report?.metadata.annotations?.[OMITTED_ANNOTATION], /results not listed/);
  t.ok(policyReportValidator()(report));
});

t.test('sections map to columns through one table: Networking and Autoscaling, two sections in one column, a section of its own', async (t) => {
  const base = policy('metrics-exposed');
  const as = (id: string, section: string, item: string, phase = base.checklist.phase) => ({ ...base, id, checklist: { phase, section, item } });
  const policies = [
    ...engine.policies.policies,
    as('svc', 'Networking & Access', 'Service (ClusterIP / LoadBalancer) defined', 'Phase 2'),
    as('hpa', 'Autoscaling Configuration', 'HPA uses custom **ML metrics**'),
    as('sanity', 'Autoscaling Sanity Check', 'GPUs are not underutilized'),
    as('team', 'Team Conventions', 'Owner on call'),
  ];
  const card = buildScorecard(results, policies, engine.config);
  const find = (label: string) => card.columns.find((c) => c.column === label);
  t.match(find('Networking'), { phase: 'Phase 2', sections: ['Networking & Access'] });
  t.ok(find('Networking')?.policies.includes('svc'), 'a team policy of the section joins the built-in ones');
  t.match(find('Autoscaling'), { phase: 'Phase 3', sections: ['Autoscaling Configuration', 'Autoscaling Sanity Check'] });
  t.ok(['hpa', 'sanity'].every((id) => find('Autoscaling')?.policies.includes(id)), 'two sections share the Autoscaling column');
  t.match(find('Team Conventions'), { phase: 'Phase 3', policies: ['team'] }, 'an unknown section is a column of its own');
  const labels = card.columns.map((c) => c.column);
  t.ok(labels.indexOf('Manifests') < labels.indexOf('Networking') && labels.indexOf('Networking') < labels.indexOf('Metrics'), 'Networking closes Phase 2');
  t.ok(labels.indexOf('Autoscaling') < labels.indexOf('Team Conventions') && labels.indexOf('Team Conventions') < labels.indexOf('Release'), 'known columns of a phase first');
});
