// A platform team's own policy carries a fix as data: check offers it, fix applies it, a missing
// value means no fix, and a malformed fix is refused with file and line.
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/program.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(['node', 'vllm-guard', ...args], {
    stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: () => '', stdoutIsTty: false, stderrIsTty: false, colorAllowed: false,
  });
  return { status, stdout, stderr };
}

const POLICY = `id: team-label
title: Serving workloads name their owning team
description: On-call needs to know who owns a GPU workload.
checklist: { phase: Phase 4, section: Release Strategy, item: Owner known }
owner: SRE
severity: low
action: warn
appliesTo: [server, generic]
params: { label: team }
rules:
  - schema:
      properties:
        workload: { properties: { labels: { required: [team] } } }
    message: "{{workload.kind}} {{workload.name}} has no team label"
    remediation: "add metadata.labels.team"
    path: "{{paths.metadata}}.labels"
    fix:
      description: "label the pod template with team={{workload.namespace}}"
      patch:
        - { op: add, path: "{{pointers.metadata}}/labels/team", value: "{{workload.namespace}}" }
`;

const MANIFEST = (namespace: string) => `# owned by nobody yet
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  template:
    spec:
      containers:
        - name: web   # the only container
          image: nginx:1.27
`;

t.test('a fix in a policy file is offered, applied and re-checked', async (t) => {
  const dir = t.testdir({ policies: { 'team-label.yaml': POLICY }, 'web.yaml': MANIFEST('shop'), 'anon.yaml': MANIFEST(''), 'config.yaml': 'detection: { allPods: true }\n' });
  const policies = path.join(dir, 'policies');
  const config = path.join(dir, 'config.yaml');
  const json = JSON.parse((await run(['check', '-o', 'json', '--policies', policies, '--config', config, path.join(dir, 'web.yaml')])).stdout);
  t.same(json.results[0].findings.find((f: { policy: string }) => f.policy === 'team-label').fix, {
    description: 'label the pod template with team=shop',
    // The template has no metadata: the engine adds the missing parents.
    patch: [{ op: 'add', path: '/spec/template/metadata', value: { labels: { team: 'shop' } } }],
  });
  const anon = JSON.parse((await run(['check', '-o', 'json', '--policies', policies, '--config', config, path.join(dir, 'anon.yaml')])).stdout);
  const own = anon.results[0].findings.find((f: { policy: string }) => f.policy === 'team-label');
  t.ok(own, 'without a namespace the finding is still reported');
  t.notOk(own.fix, 'but no fix: its value is missing');

  const out = await run(['fix', '--policies', policies, '--config', config, '--policy', 'team-label', path.join(dir, 'web.yaml')]);
  t.match(out.stdout, /applied 1 fix\n {2}team-label: label the pod template with team=shop/);
  t.notMatch(out.stdout, /still open: .*team-label/);
  const text = readFileSync(path.join(dir, 'web.yaml'), 'utf8');
  t.match(text, /\n {4}metadata:\n {6}labels:\n {8}team: shop\n/, 'the label is added under the pod template, in block style');
  t.match(text, /^# owned by nobody yet\n/);
  t.match(text, /- name: web {3}# the only container/);
});

t.test('a malformed fix is refused when the policy loads, with file and line', async (t) => {
  const dir = t.testdir({ policies: { 'team-label.yaml': POLICY.replace('op: add', 'op: move') }, 'web.yaml': MANIFEST('shop') });
  const out = await run(['check', '--policies', path.join(dir, 'policies'), path.join(dir, 'web.yaml')]);
  t.equal(out.status, 2);
  t.match(out.stderr, /team-label\.yaml:\d+: .*op/);
});

t.test('an argv edit without what it needs is refused when the policy loads', async (t) => {
  const broken = POLICY.replace('- { op: add, path: "{{pointers.metadata}}/labels/team", value: "{{workload.namespace}}" }', '- { op: renameFlag, flag: --tensor-paralel-size, at: "args[1]" }');
  const dir = t.testdir({ policies: { 'team-label.yaml': broken }, 'web.yaml': MANIFEST('shop') });
  const out = await run(['check', '--policies', path.join(dir, 'policies'), path.join(dir, 'web.yaml')]);
  t.equal(out.status, 2, 'renameFlag without `to`');
  t.match(out.stderr, /team-label\.yaml:\d+: .*to/);
  t.notMatch(out.stderr, /\n\s+at /, 'no stack trace');
});
