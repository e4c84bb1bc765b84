// Inputs as users have them: only regular files are read (FIFOs, devices, sockets and symlinks
// to them are refused with the path), stdin is capped like files, an unreadable entry is one
// error while the rest is still checked, kustomizations are rendered, Helm charts refused with
// the command to run, Helm's `# Source:` comments name the template, AdmissionReviews unwrapped.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readInputs } from '../../src/cli/inputs.js';
import { ROOT, run } from './run.js';
import { uninstrumentedEnv } from '../child-env.js';

process.chdir(ROOT);
const BAD_TEXT = readFileSync('examples/bad/latest-tp4-on-2-gpus.yaml', 'utf8');

interface JsonReport {
  results: { source: string; template?: string; name: string; findings: { policy: string; action: string; line?: number }[] }[];
  errors: { source: string; line?: number; message: string }[];
  summary: { resources: number; deny: number };
}

async function checkJson(args: string[], options: Parameters<typeof run>[1] = {}): Promise<{ status: number; report: JsonReport; stderr: string }> {
  const { status, stdout, stderr } = await run(['check', '-o', 'json', ...args], options);
  return { status, report: JSON.parse(stdout) as JsonReport, stderr };
}

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vllm-guard-inputs-'));
  t.teardown(() => spawnSync('rm', ['-rf', dir]));
  return dir;
}

t.test('FIFOs, devices and symlinks to them are refused with the path; the rest is checked', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'deploy.yaml'), BAD_TEXT);
  t.equal(spawnSync('mkfifo', [path.join(dir, 'pipe.yaml')]).status, 0, 'mkfifo');
  symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
  symlinkSync(path.join(dir, 'pipe.yaml'), path.join(dir, 'to-pipe.yml'));
  symlinkSync(path.join(dir, 'missing.yaml'), path.join(dir, 'dangling.yaml'));
  const { status, report } = await checkJson([dir]);
  t.equal(status, 2, 'input errors exit 2');
  t.same(report.results.map((r) => r.name), ['qwen-32b'], 'the regular file was still checked');
  t.ok(report.summary.deny > 0, 'and its denials reported');
  const bySource = Object.fromEntries(report.errors.map((e) => [path.basename(e.source), e.message]));
  t.match(bySource, {
    'pipe.yaml': /FIFO .*only regular files are read/,
    'zero.yaml': /symlink to a character device; only regular files are read/,
    'to-pipe.yml': /symlink to a FIFO/,
    'dangling.yaml': /cannot read: .*ENOENT/,
  });
  const explicit = await run(['check', '/dev/zero']);
  t.equal(explicit.status, 2);
  t.match(explicit.stdout, /ERROR \/dev\/zero: a character device; only regular files are read/);
});

t.test('a socket given by path is refused', async (t) => {
  const dir = tempDir(t);
  const socket = path.join(dir, 'api.sock');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.teardown(() => server.close());
  const { status, stdout } = await run(['check', socket]);
  t.equal(status, 2);
  t.match(stdout, new RegExp(`ERROR ${socket.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: a socket; only regular files are read`));
});

t.test('stdin is capped like files, and files over the cap are refused', async (t) => {
  const stdin = await readInputs(['-'], { readStdin: () => 'x'.repeat(2000), kubectl: null, maxBytes: 1000 });
  t.same(stdin.errors.map((e) => e.source), ['stdin']);
  t.match(stdin.errors[0]?.message, /larger than .* MB; not checked/);
  t.equal(stdin.objects.length, 0);
  let askedFor = 0;
  await readInputs(['-'], { readStdin: (max) => ((askedFor = max), ''), kubectl: null });
  t.equal(askedFor, 32 * 1024 * 1024, 'the reader is told the cap, so it can stop reading past it');
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'big.yaml'), `# ${'x'.repeat(3000)}\n${BAD_TEXT}`);
  const file = await readInputs([dir], { readStdin: () => '', kubectl: null, maxBytes: 1000 });
  t.match(file.errors, [{ source: path.join(dir, 'big.yaml'), message: /larger than .* not checked/ }]);
});

t.test('a symlink loop and an unreadable directory are errors; everything else is printed', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'deploy.yaml'), BAD_TEXT);
  symlinkSync('loop.yaml', path.join(dir, 'loop.yaml'));
  symlinkSync('.', path.join(dir, 'self'));
  const locked = path.join(dir, 'locked');
  mkdirSync(locked, { mode: 0o000 });
  const { status, report } = await checkJson([dir]);
  t.equal(status, 2);
  t.same(report.results.map((r) => r.name), ['qwen-32b'], 'checked once, the self link not followed twice');
  t.match(report.errors, [{ source: path.join(dir, 'loop.yaml'), message: /cannot read: .*ELOOP/ }]);
  // root reads a 000 directory anyway; the check is real only for other users.
  if (process.getuid?.() !== 0) t.match(report.errors, [{}, { source: locked, message: /cannot list the directory/ }]);
});

t.test('a kustomization is rendered with kubectl kustomize, never read as raw files', { skip: spawnSync('kubectl', ['version', '--client']).status === 0 ? false : 'kubectl is not on the PATH' }, async (t) => {
  const dir = tempDir(t);
  // The base alone passes image-pinned; the overlay's images transformer moves it to :latest.
  mkdirSync(path.join(dir, 'base'));
  writeFileSync(path.join(dir, 'base', 'deploy.yaml'), BAD_TEXT.replace('image: vllm/vllm-openai:latest', 'image: vllm/vllm-openai:v0.11.1'));
  writeFileSync(path.join(dir, 'base', 'kustomization.yaml'), 'resources: [deploy.yaml]\n');
  writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [base]\nnamePrefix: prod-\nimages:\n  - name: vllm/vllm-openai\n    newTag: latest\n');
  const { report } = await checkJson([dir]);
  t.same(report.results.map((r) => [r.source, r.name]), [[`${dir} (kubectl kustomize)#1`, 'prod-qwen-32b']], 'one rendered object, with the overlay applied');
  t.ok(report.results[0]?.findings.some((f) => f.policy === 'image-pinned' && f.action === 'deny'), 'the overlay’s :latest is what is denied');

  const base = await checkJson([path.join(dir, 'base')]);
  t.notOk(base.report.results[0]?.findings.some((f) => f.policy === 'image-pinned' && f.action === 'deny'), 'the base alone is pinned to a release');

  const broken = tempDir(t);
  writeFileSync(path.join(broken, 'kustomization.yaml'), 'resources: [missing.yaml]\n');
  const failed = await checkJson([broken]);
  t.equal(failed.status, 2);
  t.match(failed.report.errors, [{ source: broken, message: /kubectl kustomize failed: .*run: kubectl kustomize .* \| vllm-guard check -/ }]);
});

t.test('without kubectl a kustomization is refused with the command to run', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'deploy.yaml'), BAD_TEXT);
  writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [deploy.yaml]\n');
  const { status, report } = await checkJson([dir], { env: { PATH: '' } });
  t.equal(status, 2, 'not a silent pass');
  t.equal(report.summary.resources, 0, 'the raw files are not read');
  t.match(report.errors, [{ source: dir, message: new RegExp(`kubectl is not on the PATH.*run: kubectl kustomize ${dir} \\| vllm-guard check -`) }]);
});

t.test('a Helm chart is refused with the helm template line; Chart.yaml is not a resource', async (t) => {
  const dir = tempDir(t);
  const chart = path.join(dir, 'llm');
  mkdirSync(path.join(chart, 'templates'), { recursive: true });
  writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: llm\nversion: 0.1.0\n');
  writeFileSync(path.join(chart, 'values.yaml'), 'image: {tag: latest}\n');
  writeFileSync(path.join(chart, 'templates', 'deploy.yaml'), 'kind: Deployment\nmetadata: {name: {{ .Release.Name }}}\n');
  const { status, report } = await checkJson([dir]);
  t.equal(status, 2);
  t.equal(report.summary.resources, 0);
  t.same(report.errors.map((e) => e.source), [chart], 'one error for the chart, none for its files');
  t.match(report.errors[0]?.message, `run: helm template llm ${chart} | vllm-guard check -`);
});

t.test("Helm output: each finding names the template from its '# Source:' comment", async (t) => {
  const helm = `---\n# Source: llm/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: llm}\nspec: {ports: [{port: 80}]}\n---\n# Source: llm/templates/deployment.yaml\n${BAD_TEXT}`;
  const { report } = await checkJson(['-'], { input: helm });
  t.same(report.results.map((r) => [r.name, r.template]), [['llm', 'llm/templates/service.yaml'], ['qwen-32b', 'llm/templates/deployment.yaml']]);
  const table = await run(['check', '-'], { input: helm });
  t.match(table.stdout, /at llm\/templates\/deployment\.yaml \(rendered at stdin:\d+:\d+\) spec\.template\.spec\.containers\[0\]\.image/);
  const sarif = JSON.parse((await run(['check', '-o', 'sarif', '-'], { input: helm })).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  t.same([...new Set(sarif.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri))], ['llm/templates/deployment.yaml']);
  const github = await run(['check', '-o', 'github', '-'], { input: helm });
  t.match(github.stdout, /^::error file=llm\/templates\/deployment\.yaml,title=/m);
  const plain = await checkJson(['-'], { input: BAD_TEXT });
  t.equal(plain.report.results[0]?.template, undefined, 'no comment, no template');
});

t.test('an AdmissionReview saved from a log is checked as its request.object', async (t) => {
  const { status, report } = await checkJson(['examples/admission/deny.json']);
  t.equal(status, 1);
  t.same(report.results.map((r) => [r.source, r.name]), [['examples/admission/deny.json#1.request.object', 'llama-70b']]);
  const lines = readFileSync('examples/admission/deny.json', 'utf8').split('\n');
  const image = report.results[0]?.findings.find((f) => f.policy === 'image-pinned');
  t.match(lines[(image?.line ?? 0) - 1], /"image": "vllm\/vllm-openai:latest"/, 'lines point into the saved file');
  const del = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: '1', operation: 'DELETE', oldObject: { kind: 'Pod' } } });
  const deleted = await checkJson(['-'], { input: del });
  t.equal(deleted.status, 2);
  t.match(deleted.report.errors, [{ source: 'stdin#1', message: /without request\.object/ }]);
});

t.test('the built bin: stdin over 32 MB is refused like a file, exit 2', async (t) => {
  const big = `# ${'x'.repeat(32 * 1024 * 1024)}\n${BAD_TEXT}`;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli/main.js'), 'check', '-o', 'json', '-'], {
    input: big,
    encoding: 'utf8',
    env: uninstrumentedEnv({ NO_COLOR: '1' }),
    maxBuffer: 64 * 1024 * 1024,
  });
  t.equal(result.status, 2, result.stderr);
  const report = JSON.parse(result.stdout) as JsonReport;
  t.same(report.errors, [{ source: 'stdin', message: 'input is larger than 32 MB; not checked' }]);
  const small = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli/main.js'), 'check', '-o', 'json', '-'], { input: BAD_TEXT, encoding: 'utf8', env: uninstrumentedEnv() });
  t.equal(small.status, 1, 'a normal stdin is read whole');
});
