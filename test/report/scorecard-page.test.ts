// The scorecard from files: `check --html` writes the audit's page from manifests; audit-only
// policies (the written intent) never make a workload "not ready"; failing workloads come first;
// `--baseline` compares with a previous run's JSON.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, run } from '../cli/run.js';

process.chdir(ROOT);
// A whole application (Service, HPA, PDB, NetworkPolicy, ServiceMonitor): no relation policy speaks.
const GOOD = readFileSync('examples/good/application.yaml', 'utf8');
const BAD = readFileSync('examples/bad/latest-tp4-on-2-gpus.yaml', 'utf8');

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vllm-guard-page-'));
  t.teardown(() => spawnSync('rm', ['-rf', dir]));
  return dir;
}

const figure = (html: string, name: string) => [...html.matchAll(/data-figure="([a-z]+)"><b>([^<]*)/g)].find((m) => m[1] === name)?.[2];
const rowStates = (html: string) => [...html.matchAll(/<tr data-workload="[^"]*" data-state="([a-z]+)">/g)].map((m) => m[1]);

interface JsonReport {
  results: { vllm: boolean; findings: { action: string }[] }[];
}

t.test('check --html writes the scorecard page from manifests, with the same figures as the report', async (t) => {
  const dir = tempDir(t);
  const page = path.join(dir, 'report.html');
  const { status, stderr } = await run(['check', '--html', page, 'examples/']);
  t.equal(status, 1, 'the gate is unchanged by --html');
  t.match(stderr, `scorecard written to ${page}`);
  const html = readFileSync(page, 'utf8');
  for (const id of ['scorecard', 'by-namespace', 'by-team']) t.match(html, `id="${id}"`, `the audit page's ${id} section`);
  t.match(html, /Manifests: examples\//);
  // The grid: a phase header row, then one column per checklist section (report/checklist-columns.ts).
  const grid = html.slice(html.indexOf('<table id="scorecard"'), html.indexOf('</thead>', html.indexOf('<table id="scorecard"')));
  const columns = [...grid.matchAll(/<th class="item" title="([^"]*)">([^<]*)<\/th>/g)].map((m) => m[2]);
  t.same(columns.slice(-5), ['Metrics', 'Autoscaling', 'Release', 'Failure', 'Drift'], 'the Phase 3 and 4 columns');
  t.ok(columns.indexOf('Manifests') >= 0 && columns.indexOf('Manifests') < columns.indexOf('Metrics'));
  t.match(grid, /<th colspan="3">Phase 4<\/th>/, 'Release, Failure and Drift under Phase 4');
  t.match(grid, /title="Release Strategy: Rollback path tested end-to-end; Rolling \/ Blue-Green strategy defined \(phase4-annotations, rollout-strategy\)">Release</, 'a column names its sections, items and policies');
  const report = JSON.parse((await run(['check', '-o', 'json', 'examples/'])).stdout) as JsonReport;
  const rows = report.results.filter((r) => r.vllm || r.findings.length > 0);
  const blocking = (r: JsonReport['results'][number], action: string) => r.findings.some((f) => f.action === action);
  t.equal(figure(html, 'workloads'), String(rows.length));
  t.equal(figure(html, 'fail'), String(rows.filter((r) => blocking(r, 'deny')).length));
  t.equal(figure(html, 'warn'), String(rows.filter((r) => !blocking(r, 'deny') && blocking(r, 'warn')).length));
  t.equal(figure(html, 'pass'), String(rows.filter((r) => !blocking(r, 'deny') && !blocking(r, 'warn')).length));
});

t.test('audit-only findings make a workload "to document", still ready', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'undocumented.yaml');
  // The good Deployment without its license-review annotation: only phase0-annotations (audit) fails.
  writeFileSync(file, GOOD.replace('        llm-readiness/license-reviewed: "true"\n', ''));
  const json = JSON.parse((await run(['check', '-o', 'json', file])).stdout) as { results: { vllm: boolean; findings: { policy: string; action: string }[] }[] };
  t.same(json.results.flatMap((r) => r.findings.map((f) => [f.policy, f.action])), [['phase0-annotations', 'audit']], 'the input has exactly one audit finding');
  const page = path.join(dir, 'p.html');
  await run(['check', '--html', page, file]);
  const html = readFileSync(page, 'utf8');
  t.equal(figure(html, 'pass'), String(json.results.filter((r) => r.vllm).length), 'ready');
  t.equal(figure(html, 'document'), '1', 'with intent to document');
  t.equal(figure(html, 'fail'), '0');
  t.match(html, /data-group="document"><p class="meta"><b>To document<\/b>/);
  t.notMatch(html, /data-group="blocking"/, 'nothing listed as blocking');
});

t.test('failing workloads come first, then warnings, then ready', async (t) => {
  const dir = tempDir(t);
  const page = path.join(dir, 'p.html');
  await run(['check', '--html', page, 'examples/good/', 'examples/bad/']);
  const states = rowStates(readFileSync(page, 'utf8'));
  const rank = ['fail', 'warn', 'document', 'waived', 'pass'];
  t.ok(states.length > 3);
  t.same(states, [...states].sort((a, b) => rank.indexOf(a ?? '') - rank.indexOf(b ?? '')), `${states.join(' ')}`);
  t.equal(states[0], 'fail');
});

t.test('--baseline marks what is new and lists what was fixed since a previous run', async (t) => {
  const dir = tempDir(t);
  // Before: the bad Deployment as it is. After: its image pinned, and a second deployment added.
  writeFileSync(path.join(dir, 'before.yaml'), BAD);
  const previous = path.join(dir, 'previous.json');
  writeFileSync(previous, (await run(['check', '-o', 'json', path.join(dir, 'before.yaml')])).stdout);
  writeFileSync(path.join(dir, 'after.yaml'), `${BAD.replace('image: vllm/vllm-openai:latest', 'image: vllm/vllm-openai:v0.11.1')}---\n${BAD.replace('name: qwen-32b', 'name: qwen-new')}`);
  const page = path.join(dir, 'p.html');
  const { status } = await run(['check', '--html', page, '--baseline', previous, path.join(dir, 'after.yaml')]);
  t.equal(status, 1);
  const html = readFileSync(page, 'utf8');
  const section = html.slice(html.indexOf('<section id="baseline">'), html.indexOf('</section>', html.indexOf('<section id="baseline">')));
  t.match(section, `<h2>Since ${previous}</h2>`);
  const fixed = section.slice(section.indexOf('<h3>Fixed</h3>'));
  t.match(fixed, '<li>Deployment llm/qwen-32b: image-pinned</li>', 'the pinned image is fixed');
  t.notMatch(fixed, 'qwen-new');
  const added = section.slice(section.indexOf('<h3>New</h3>'), section.indexOf('<h3>Fixed</h3>'));
  t.match(added, 'Deployment llm/qwen-new: gpu-count-matches-parallelism');
  t.notMatch(added, 'qwen-32b', 'the old workload’s remaining findings are not new');
  t.ok(html.includes('data-new="true"'), 'new findings are tagged in the list');

  const noHtml = await run(['check', '--baseline', previous, path.join(dir, 'after.yaml')]);
  t.equal(noHtml.status, 2);
  t.match(noHtml.stderr, /--baseline compares the --html page with a previous run; add --html FILE/);
  t.equal(noHtml.stdout, '', 'a usage error prints no report first');
  writeFileSync(path.join(dir, 'junk.json'), '{"nope": 1}');
  const junk = await run(['check', '--html', page, '--baseline', path.join(dir, 'junk.json'), path.join(dir, 'after.yaml')]);
  t.equal(junk.status, 2);
  t.match(junk.stderr, /junk\.json: cannot read the baseline \(not a vllm-guard JSON report/);
  t.equal(junk.stdout, '', 'a baseline that cannot be read stops the check before it prints a report');
  const missing = await run(['check', '--html', page, '--baseline', path.join(dir, 'missing.json'), path.join(dir, 'after.yaml')]);
  t.equal(missing.status, 2);
  t.match(missing.stderr, /missing\.json: cannot read the baseline \(ENOENT/);
  t.equal(missing.stdout, '');
});
