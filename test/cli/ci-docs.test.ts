// "Use in CI", run where it can run here: the GitHub Action's scripts (with the runner's
// environment stood in), the GitLab job's script, the pre-commit hook's entry and the image's
// `vllm-guard` wrapper, each against a repository of bad and good manifests. The snippets are
// read from README.md and docs/ci.md, so a snippet that drifts from what runs fails here.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { uninstrumentedEnv } from '../child-env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'dist/cli/main.js');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const CI_GUIDE = readFileSync(path.join(ROOT, 'docs/ci.md'), 'utf8');

/** Fenced code blocks of a markdown text, with their language. */
function codeBlocks(markdown: string): { lang: string; text: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? '', text: m[2] ?? '' }));
}

/** A repository with one denied and one passing manifest under deploy/. */
function makeRepo(t: { teardown(fn: () => void): void }): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'vllm-guard-ci-'));
  t.teardown(() => spawnSync('rm', ['-rf', repo]));
  mkdirSync(path.join(repo, 'deploy'));
  copyFileSync(path.join(ROOT, 'examples/bad/latest-tp4-on-2-gpus.yaml'), path.join(repo, 'deploy/vllm.yaml'));
  copyFileSync(path.join(ROOT, 'examples/good/single-gpu-deployment.yaml'), path.join(repo, 'deploy/ok.yaml'));
  return repo;
}

const env = (extra: Record<string, string> = {}) => uninstrumentedEnv({ NO_COLOR: '1', ...extra });

t.test('the built bin exists (npm test builds first)', async (t) => {
  t.ok(existsSync(BIN));
});

t.test('GitHub Action: the SARIF and check steps, with the runner environment stood in', async (t) => {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default: string }>;
    runs: { using: string; steps: { id?: string; run?: string; uses?: string; env?: Record<string, string>; if?: string }[] };
  };
  t.equal(action.runs.using, 'composite');
  const step = (id: string) => action.runs.steps.find((s) => s.id === id);
  const run = (id: string, inputs: Record<string, string>, cwd: string, outputFile: string) => {
    const script = step(id)?.run ?? '';
    // The step's env maps inputs to VG_* variables; the runner would fill ${{ inputs.x }}.
    const vars = Object.fromEntries(
      Object.entries(step(id)?.env ?? {}).map(([name, expr]) => {
        const input = /\$\{\{ inputs\.([\w-]+) \}\}/.exec(expr)?.[1] ?? '';
        return [name, inputs[input] ?? action.inputs[input]?.default ?? ''];
      }),
    );
    return spawnSync('bash', ['-e', '-c', script], { cwd, encoding: 'utf8', env: env({ ...vars, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: cwd }) });
  };
  const repo = makeRepo(t);
  const outputs = path.join(repo, 'github-output');
  const sarif = run('sarif', { paths: 'deploy/' }, repo, outputs);
  t.equal(sarif.status, 0, `the SARIF step records findings without failing: ${sarif.stderr}`);
  const file = /^file=(.+)$/m.exec(readFileSync(outputs, 'utf8'))?.[1] ?? '';
  const report = JSON.parse(readFileSync(file, 'utf8')) as { runs: { results: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  t.ok(report.runs[0]?.results.some((r) => r.level === 'error' && r.locations[0]?.physicalLocation.artifactLocation.uri === 'deploy/vllm.yaml'), 'SARIF points at the file in the repository');
  const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
  t.match(upload?.if, /always\(\)/, 'SARIF is uploaded even when the gate failed');

  const gate = run('check', { paths: 'deploy/' }, repo, outputs);
  t.equal(gate.status, 1, 'a deny fails the job');
  t.match(gate.stdout, /^::error file=deploy\/vllm\.yaml,line=\d+,col=\d+,title=vllm-guard image-pinned \(deny\)::/m);
  t.equal(run('check', { paths: 'deploy/ok.yaml' }, repo, outputs).status, 0, 'a passing manifest passes');
  t.equal(run('check', { paths: 'deploy/', 'fail-on': 'audit' }, repo, outputs).status, 1);

  const injected = run('check', { paths: 'deploy/ok.yaml $(touch pwned) ; touch pwned2' }, repo, outputs);
  t.equal(injected.status, 2, 'the extra words are paths that do not exist');
  t.notOk(existsSync(path.join(repo, 'pwned')) || existsSync(path.join(repo, 'pwned2')), 'inputs cannot run commands');
});

t.test('GitLab CI: the job script in README and docs/ci.md writes JUnit and fails on a deny', async (t) => {
  for (const [doc, text] of [['README.md', README], ['docs/ci.md', CI_GUIDE]] as const) {
    const block = codeBlocks(text).find((b) => b.lang === 'yaml' && b.text.includes('reports: { junit'));
    const job = (parse(block?.text ?? '') as Record<string, { script: string[]; artifacts: { when: string } }>)['vllm-guard'];
    t.equal(job?.artifacts.when, 'always', `${doc}: the report is kept when the job fails`);
    const repo = makeRepo(t);
    for (const line of job?.script ?? []) {
      // The image puts `vllm-guard` on the PATH; here the same wrapper points at the built bin.
      const result = spawnSync('sh', ['-c', line.replace(/^vllm-guard /, `node ${BIN} `)], { cwd: repo, encoding: 'utf8', env: env() });
      t.equal(result.status, 1, `${doc}: ${line}`);
    }
    const junit = readFileSync(path.join(repo, 'vllm-guard.xml'), 'utf8');
    t.match(junit, /<testsuites name="vllm-guard" tests="2" failures="1" errors="0">/, `${doc}: a test case per workload`);
  }
});

t.test('pre-commit: the hook entry run on staged files as pre-commit would', async (t) => {
  const [hook] = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; pass_filenames: boolean }[];
  t.equal(hook?.id, 'vllm-guard');
  t.equal(hook?.language, 'node', 'pre-commit installs the package and puts its bin on the PATH');
  t.equal(hook?.pass_filenames, true);
  const [command, ...args] = (hook?.entry ?? '').split(' ');
  t.equal(command, 'vllm-guard', 'the entry is the package bin');
  const repo = makeRepo(t);
  const staged = (files: string[]) => spawnSync(process.execPath, [BIN, ...args, ...files], { cwd: repo, encoding: 'utf8', env: env() });
  const bad = staged(['deploy/vllm.yaml', 'deploy/ok.yaml']);
  t.equal(bad.status, 1, 'a deny blocks the commit');
  t.match(bad.stdout, /DENY {2}image-pinned/);
  t.notMatch(bad.stdout, /^ {2}WARN/m, '--quiet: only what blocks');
  t.equal(staged(['deploy/ok.yaml']).status, 0);
  for (const text of [README, CI_GUIDE]) {
    const config = codeBlocks(text).find((b) => b.text.includes('rev: v0.1.0'));
    t.match(parse(config?.text ?? ''), { repos: [{ hooks: [{ id: hook?.id }] }] }, 'the documented config names the hook');
  }
});

t.test('the image: ENTRYPOINT runs the CLI from any working directory, and `vllm-guard` is on the PATH', async (t) => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  t.match(dockerfile, /^ENTRYPOINT \["node", "\/app\/dist\/cli\/main\.js"\]$/m, 'an absolute path: docker run -w /work still finds the CLI');
  t.match(dockerfile, /^COPY --from=build \/app\/dist \.\/dist$/m);
  t.match(dockerfile, /^WORKDIR \/app$/m);
  const wrapperLine = /^RUN (printf .+ > \/usr\/local\/bin\/vllm-guard) && chmod 0755 \/usr\/local\/bin\/vllm-guard$/m.exec(dockerfile)?.[1];
  t.ok(wrapperLine, 'the image writes a vllm-guard wrapper');
  const repo = makeRepo(t);
  const wrapper = path.join(repo, 'vllm-guard');
  // The same printf, with /app standing for this checkout and the wrapper written into the repo.
  const write = spawnSync('sh', ['-c', (wrapperLine ?? '').replace('/usr/local/bin/vllm-guard', wrapper).replaceAll('/app/', `${ROOT}/`)], { encoding: 'utf8' });
  t.equal(write.status, 0, write.stderr);
  spawnSync('chmod', ['0755', wrapper]);
  const result = spawnSync(wrapper, ['check', 'deploy/'], { cwd: repo, encoding: 'utf8', env: env() });
  t.equal(result.status, 1, result.stderr);
  t.match(result.stdout, /at deploy\/vllm\.yaml:\d+:\d+ /);
  for (const text of [README, CI_GUIDE]) t.match(text, /docker run --rm -u "\$\(id -u\)" -v "\$PWD:\/work" -w \/work \S+ check deploy\//);
});

t.test("the server's config in CI fails on a deny only with --mode enforce, as docs/ci.md says", async (t) => {
  const repo = makeRepo(t);
  const config = path.join(ROOT, 'deploy/base/config/config.yaml');
  const as = (extra: string[]) => spawnSync(process.execPath, [BIN, 'check', '--config', config, ...extra, 'deploy/'], { cwd: repo, encoding: 'utf8', env: env() });
  t.equal(as([]).status, 0, 'mode: audit in the shipped config passes everything');
  t.equal(as(['--mode', 'enforce']).status, 1, '--mode enforce denies');
  t.match(CI_GUIDE, 'vllm-guard check --config deploy/base/config/config.yaml --mode enforce deploy/');
  // Wherever the docs pass the server's config, they also pass the enforce mode.
  const docs = [README, CI_GUIDE, readFileSync(path.join(ROOT, 'docs/audit.md'), 'utf8')];
  for (const block of docs.flatMap((d) => codeBlocks(d))) {
    for (const line of block.text.split('\n').filter((l) => l.includes('--config deploy/base/config/config.yaml'))) t.match(line, /--mode enforce/, line);
    if (/config: deploy\/base\/config\/config\.yaml/.test(block.text)) t.match(block.text, /mode: enforce/, 'the action example sets mode: enforce');
  }
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
  t.ok(action.inputs.mode, 'the action has a mode input');
});
