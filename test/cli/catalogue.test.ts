// Policies and config as a platform team uses them: --policies adds to the built-in catalogue
// (a built-in id is replaced, and a note says so), --no-builtin-policies starts from nothing,
// a typo in the config is an error with file, line and the nearest name, and the catalogue
// commands suggest ids and show what each rule does.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT, run } from './run.js';

process.chdir(ROOT);
const BAD = 'examples/bad/latest-tp4-on-2-gpus.yaml';
const BUILT_IN = readdirSync('policies').filter((f) => f.endsWith('.yaml'));
const IMAGE_PINNED = readFileSync('policies/image-pinned.yaml', 'utf8');

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vllm-guard-catalogue-'));
  t.teardown(() => spawnSync('rm', ['-rf', dir]));
  return dir;
}

type Finding = { policy: string; action: string };
async function findings(args: string[]): Promise<Finding[]> {
  const { stdout } = await run(['check', '-o', 'json', ...args, BAD]);
  return (JSON.parse(stdout) as { results: { findings: Finding[] }[] }).results.flatMap((r) => r.findings);
}

t.test('--policies DIR adds to the built-in catalogue', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'team-image.yaml'), IMAGE_PINNED.replace('id: image-pinned', 'id: team-image-pinned'));
  const list = await run(['policies', '--policies', dir]);
  t.equal(list.status, 0, list.stderr);
  t.match(list.stdout, new RegExp(`${BUILT_IN.length + 1} policies from built-in policies \\+ ${dir}`));
  const found = await findings(['--policies', dir]);
  t.ok(found.some((f) => f.policy === 'team-image-pinned' && f.action === 'deny'), 'the added policy runs');
  t.ok(found.some((f) => f.policy === 'gpu-count-matches-parallelism' && f.action === 'deny'), 'and the built-ins still run');
});

t.test('a policy with a built-in id replaces it, and a note says so', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'image-pinned.yaml'), IMAGE_PINNED.replace('action: deny', 'action: warn'));
  const { status, stderr } = await run(['check', '--policies', dir, BAD]);
  t.equal(status, 1);
  t.match(stderr, `note: policy image-pinned from ${path.join(dir, 'image-pinned.yaml')} replaces the built-in one`);
  const found = await findings(['--policies', dir]);
  t.same(found.filter((f) => f.policy === 'image-pinned').map((f) => f.action), ['warn'], 'one image-pinned, the replacement');
  writeFileSync(path.join(dir, 'again.yaml'), IMAGE_PINNED);
  const twice = await run(['check', '--policies', dir, BAD]);
  t.equal(twice.status, 2);
  t.match(twice.stderr, /image-pinned\.yaml: policy id image-pinned is already defined in .*again\.yaml/, 'one id twice in one directory is still an error');
});

t.test('--no-builtin-policies: only the given directories', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'image-pinned.yaml'), IMAGE_PINNED);
  const found = await findings(['--no-builtin-policies', '--policies', dir]);
  t.same([...new Set(found.map((f) => f.policy))], ['image-pinned']);
  const alone = await run(['check', '--no-builtin-policies', BAD]);
  t.equal(alone.status, 2);
  t.match(alone.stderr, /--no-builtin-policies needs at least one --policies DIR/);
});

t.test('config typos are errors with file, line and the nearest name', async (t) => {
  const dir = tempDir(t);
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, 'mode: enforce\npolicies:\n  image-pined:\n    action: warn\n  liveness-not-before-load:\n    params:\n      gracSeconds: 10\nwaivers:\n  - policies: [non-rot]\n    reason: legacy\n');
  const { status, stdout, stderr } = await run(['check', '--config', config, BAD]);
  t.equal(status, 2);
  t.equal(stdout, '', 'nothing is checked with a config that does not say what it meant');
  t.match(stderr, `${config}:3: policies.image-pined: no policy has this id; did you mean image-pinned?`);
  t.match(stderr, new RegExp(`${config}:7: policies\\.liveness-not-before-load\\.params\\.gracSeconds: liveness-not-before-load has no such parameter`));
  t.match(stderr, `${config}:9: waivers[0].policies[0]: no policy has the id non-rot; did you mean non-root?`);
  writeFileSync(config, 'mode: enforce\nnamespaces:\n  ml:\n    mdoe: warn\n');
  const field = await run(['check', '--config', config, BAD]);
  t.equal(field.status, 2);
  t.match(field.stderr, `${config}:4: namespaces.ml.mdoe is not a known field; did you mean mode?`);
  writeFileSync(config, 'acceleratorResource: [x]\n');
  t.match((await run(['policies', '--config', config])).stderr, `${config}:1: acceleratorResource is not a known field; did you mean acceleratorResources?`);
});

t.test('explain and policies suggest the nearest id', async (t) => {
  const explain = await run(['explain', 'shm']);
  t.equal(explain.status, 2);
  t.match(explain.stderr, 'no policy shm; did you mean shm-mounted or shm-size-limit?');
  t.match((await run(['explain', 'image-pined'])).stderr, 'did you mean image-pinned?');
  const filtered = await run(['policies', 'shm']);
  t.equal(filtered.status, 0);
  t.same(filtered.stdout.split('\n').slice(1, 5).map((l) => l.split('  ')[0]), ['', 'Phase 2 › Kubernetes Manifests', 'shm-mounted', 'shm-size-limit']);
  const none = await run(['policies', 'pined']);
  t.equal(none.status, 2);
  t.match(none.stderr, 'no policy id contains pined; did you mean image-pinned?');
});

t.test('policies groups the catalogue by checklist phase and section, in the checklist\'s order', async (t) => {
  const { stdout } = await run(['policies']);
  const groups = [...stdout.matchAll(/^(Phase \d) › (.+)$/gm)].map((m) => `${m[1]} › ${m[2]}`);
  t.same(groups.slice(0, 2), ['Phase 0 › Model Artifact Readiness', 'Phase 0 › Precision & Optimization Intent']);
  t.same(groups.slice(-3), ['Phase 4 › Release Strategy', 'Phase 4 › Failure & Cost Awareness', 'Phase 4 › Drift & Optimization']);
  t.equal(new Set(groups).size, groups.length, 'each section once');
  // Each policy sits under its own section.
  const release = stdout.slice(stdout.indexOf('Phase 4 › Release Strategy'), stdout.indexOf('Phase 4 › Failure & Cost Awareness'));
  t.match(release, /^rollout-strategy +warn /m);
  t.notMatch(release, /^memory-limit /m);
  t.match(stdout.slice(stdout.indexOf('Phase 4 › Failure & Cost Awareness')), /^memory-limit +warn /m);
});

t.test('policies shows the action of each rule and whether annotations can waive it', async (t) => {
  const { stdout } = await run(['policies']);
  t.match(stdout, /^POLICY +ACTIONS +WAIVABLE +SEVERITY +OWNER +CHECKLIST ITEM$/m);
  const rank = ['off', 'audit', 'warn', 'deny'];
  for (const file of BUILT_IN) {
    const doc = parse(readFileSync(path.join('policies', file), 'utf8')) as { id: string; action: string; waivable?: boolean; rules: { action?: string }[] };
    // A rule's action never exceeds its policy's (engine/decide.ts): the weaker of the two.
    const weaker = (a: string) => (rank.indexOf(a) < rank.indexOf(doc.action) ? a : doc.action);
    const actions = [...new Set(doc.rules.map((r) => weaker(r.action ?? doc.action)))].sort((a, b) => rank.indexOf(a) - rank.indexOf(b));
    t.match(stdout, new RegExp(`^${doc.id} +${actions.join(' / ')} +${doc.waivable === false ? 'no' : 'yes'} `, 'm'), doc.id);
  }
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'c.yaml'), 'policies:\n  shm-mounted: {action: warn}\n');
  const changed = await run(['policies', '--config', path.join(dir, 'c.yaml'), 'shm-mounted']);
  t.match(changed.stdout, /^shm-mounted +warn \* /m);
  t.match(changed.stdout, /\* changed by the config/);
});

t.test('explain names each rule by the action it gives, and says how to read a template', async (t) => {
  const plain = await run(['explain', 'shm-mounted']);
  t.equal(plain.status, 0);
  t.match(plain.stdout, 'Rules (each failing rule is a finding; for one field the first that fails speaks. {{…}} is filled\nin from the workload, [[…]] is shown only when the facts inside it are known');
  t.match(plain.stdout, /^ {2}1\. deny: container \{\{container\.name\}\} runs vLLM with several ranks/m, 'a rule without its own action shows the policy action');
  t.match(plain.stdout, /^ {2}3\. warn: /m, 'a rule with its own action shows it');
  t.notMatch(plain.stdout, 'policy action:');
  const config = path.join(t.testdir({}), 'config.yaml');
  writeFileSync(config, 'policies:\n  shm-mounted: { action: warn }\n');
  const softened = (await run(['explain', '--config', config, 'shm-mounted'])).stdout;
  t.match(softened, /^ {2}1\. warn: container/m, 'as the config sets it');
  writeFileSync(config, 'policies:\n  shm-mounted: { action: audit }\n');
  t.match((await run(['explain', '--config', config, 'shm-mounted'])).stdout, /^ {2}3\. audit: /m, 'a rule is never shown stricter than its policy');
});
