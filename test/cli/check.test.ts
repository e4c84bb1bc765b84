// The CLI as a user sees it: stdout, stderr and the exit status. Commands run in-process through
// runCli (the bin only wires process streams to it); the last test runs the built bin for real.
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { runCli } from '../../src/cli/program.js';
import { uninstrumentedEnv } from '../child-env.js';

/** The policies shipped in policies/ (one per file, beside the published schemas). */
const BUILT_IN_POLICIES = readdirSync(path.resolve(import.meta.dirname, '../../policies')).filter((f) => /\.ya?ml$/.test(f)).length;

const ROOT = path.resolve(import.meta.dirname, '../..');
process.chdir(ROOT);

async function runAsync(args: string[], input?: string) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(['node', 'vllm-guard', ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: () => input ?? '',
    stdoutIsTty: false,
    stderrIsTty: false,
    colorAllowed: false,
  });
  return { status, stdout, stderr };
}

const GOOD = `apiVersion: apps/v1
kind: Deployment
metadata: { name: ok, namespace: ml }
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

const BAD = `apiVersion: apps/v1
kind: Deployment
metadata: { name: llama, namespace: ml }
spec:
  template:
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:latest
          args: [--model, meta-llama/Llama-3.1-70B-Instruct, --tensor-parallel-size, "4"]
          resources: { limits: { nvidia.com/gpu: 2 } }
`;

t.test('examples/: the bad ones are denied with their fix, exit 1', async (t) => {
  const { status, stdout, stderr } = await runAsync(['check', 'examples/']);
  t.equal(status, 1, stderr);
  t.match(stdout, /Deployment llm\/qwen-32b {2}examples\/bad\/latest-tp4-on-2-gpus\.yaml#1/);
  t.match(stdout, /DENY {2}gpu-count-matches-parallelism \[vllm\]: .*needs an accelerator count of 4.*has 2/);
  t.match(stdout, /fix: /);
  t.match(stdout, /\d+ resources \(\d+ vLLM.*\): [1-9]\d* deny/);
  t.equal(stderr, '');
});

t.test('good manifests exit 0', async (t) => {
  const { status, stdout } = await runAsync(['check', 'examples/good/']);
  t.equal(status, 0, stdout);
  t.match(stdout, / 0 deny/);
});

t.test('the JSON output keeps its contract', async (t) => {
  const { status, stdout } = await runAsync(['check', '-o', 'json', '-'], `${GOOD}---\n${BAD}`);
  t.equal(status, 1);
  const report = JSON.parse(stdout) as {
    results: { source: string; kind: string; namespace: string; name: string; vllm: boolean; findings: Record<string, unknown>[] }[];
    errors: unknown[];
    summary: Record<string, number>;
  };
  t.same(Object.keys(report), ['results', 'errors', 'summary']);
  t.same(report.results.map((r) => [r.source, r.kind, r.namespace, r.name, r.vllm]), [
    ['stdin#1', 'Deployment', 'ml', 'ok', false],
    ['stdin#2', 'Deployment', 'ml', 'llama', true],
  ]);
  const shm = report.results[1]?.findings.find((f) => f.policy === 'shm-mounted');
  t.match(shm, {
    policy: 'shm-mounted',
    action: 'deny',
    severity: String,
    message: String,
    remediation: String,
    path: 'spec.template.spec.volumes',
    container: 'vllm',
    checklist: 'Phase 2 › Kubernetes Manifests › /dev/shm configured',
    line: Number,
  });
  t.same(Object.keys(report.summary), ['resources', 'vllm', 'deny', 'warn', 'audit']);
  t.match(report.summary, { resources: 2, vllm: 1 });
  t.ok((report.summary.deny ?? 0) >= 3);
});

t.test('--mode warn turns denials into warnings and exits 0', async (t) => {
  const { status, stdout } = await runAsync(['check', '--mode', 'warn', '-o', 'json', '-'], BAD);
  t.equal(status, 0);
  t.equal((JSON.parse(stdout) as { summary: { deny: number } }).summary.deny, 0);
});

t.test('a YAML error names file, document and line; the other documents are still checked; exit 2', async (t) => {
  const { status, stdout } = await runAsync(['check', '-o', 'json', '-'], `${BAD}---\nkind: [oops\n---\njust a scalar\n---\nkind: Deployment\nmetadata: { name: nospec }\n`);
  t.equal(status, 2);
  const report = JSON.parse(stdout) as { results: { name: string }[]; errors: { source: string; line: number; message: string }[] };
  t.same(report.results.map((r) => r.name), ['llama'], 'the good document was checked');
  t.match(report.errors, [
    { source: 'stdin#2', line: 14, message: /^invalid YAML/ },
    { source: 'stdin#3', line: 15, message: /not a Kubernetes object/ },
    { source: 'stdin#4', line: 17, message: /Deployment nospec: Deployment has no pod spec at spec\.template\.spec/ },
  ]);
});

t.test('usage errors and unreadable input exit 2 with one clear line, never a stack trace', async (t) => {
  const cases: [string[], RegExp][] = [
    [['check'], /missing required argument 'paths'/],
    [['check', '--output', 'xml', 'examples/'], /argument 'xml' is invalid/],
    [['check', '/nonexistent/file.yaml'], /cannot read/],
    [['check', '--config', '/nonexistent.yaml', 'examples/'], /error: \/nonexistent\.yaml: cannot read the config file/],
    [['check', '--policies', 'test/fixtures', 'examples/'], /error: .*no policy files/],
    [['explain', 'no-such-policy'], /error: no policy no-such-policy \(run vllm-guard policies for the list\)/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [args, want] of cases) {
    const { status, stdout, stderr } = await runAsync(args);
    t.equal(status, 2, args.join(' '));
    t.match(`${stdout}${stderr}`, want, args.join(' '));
    t.notMatch(stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  }
});

t.test('hostile input: a 1 MB argument and deep nesting give an answer, not a crash', async (t) => {
  const huge = BAD.replace('"4"]', `"4", "--served-model-name", "${'x'.repeat(1024 * 1024)}"]`);
  const big = await runAsync(['check', '-o', 'json', '-'], huge);
  t.equal(big.status, 1, big.stderr.slice(0, 300));
  let deep = '1';
  for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
  const nested = await runAsync(['check', '-o', 'json', '-'], `${BAD.trimEnd()}\n          extra: ${deep}\n`);
  t.ok(nested.status === 1 || nested.status === 2, `exit ${nested.status}`);
  t.notMatch(nested.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  t.doesNotThrow(() => JSON.parse(nested.stdout));
});

t.test('sarif and junit outputs', async (t) => {
  const sarif = JSON.parse((await runAsync(['check', '-o', 'sarif', '-'], BAD)).stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { region?: { startLine: number } } }[] }[] }[] };
  t.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  t.ok(run0?.tool.driver.rules.some((r) => r.id === 'shm-mounted'));
  const shm = run0?.results.find((r) => r.ruleId === 'shm-mounted');
  t.equal(shm?.level, 'error');
  t.type(shm?.locations[0]?.physicalLocation.region?.startLine, 'number');
  const junit = (await runAsync(['check', '-o', 'junit', '-'], BAD)).stdout;
  t.match(junit, /<testsuites name="vllm-guard" tests="1" failures="1" errors="0">/);
  t.match(junit, /<testcase classname="stdin#1" name="Deployment ml\/llama"><failure message="\d+ policies deny: [a-z-, ]*shm-mounted/);
});

t.test('policies and explain', async (t) => {
  const list = await runAsync(['policies']);
  t.equal(list.status, 0);
  t.match(list.stdout, /^POLICY\s+ACTIONS\s+WAIVABLE\s+SEVERITY\s+OWNER\s+CHECKLIST ITEM/);
  t.match(list.stdout, /shm-mounted\s+(warn \/ )?deny\s+(yes|no)\s+\w+\s+MLOps/);
  t.match(list.stdout, new RegExp(`${BUILT_IN_POLICIES} policies from built-in policies\n`));
  const explain = await runAsync(['explain', 'liveness-not-before-load']);
  t.equal(explain.status, 0);
  t.match(explain.stdout, /^liveness-not-before-load: /);
  t.match(explain.stdout, /Why\n/);
  t.match(explain.stdout, /Parameters \(override in the config under policies\.liveness-not-before-load\.params\)/);
  t.match(explain.stdout, /Fails\n/);
});

t.test('the built bin: exit status and streams of a real process', async (t) => {
  const bin = path.join(ROOT, 'dist/cli/main.js');
  const denied = spawnSync(process.execPath, [bin, 'check', '-'], { input: BAD, encoding: 'utf8', env: uninstrumentedEnv({ NO_COLOR: '1' }) });
  t.equal(denied.status, 1);
  t.match(denied.stdout, /DENY {2}shm-mounted \[vllm\]/);
  const usage = spawnSync(process.execPath, [bin, 'check'], { encoding: 'utf8', env: uninstrumentedEnv() });
  t.equal(usage.status, 2);
  t.match(usage.stderr, /missing required argument 'paths'/);
});

t.test('a reader that closes the pipe early (check … | head): no stack trace, the exit status is the verdict', async (t) => {
  const bin = path.join(ROOT, 'dist/cli/main.js');
  for (const [args, verdict] of [[['check', 'examples/bad/'], 1], [['check', '-o', 'json', 'examples/good/'], 0]] as const) {
    // The read end is closed before the process has loaded, so its first write meets a closed pipe.
    const child = spawn(process.execPath, [bin, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: uninstrumentedEnv({ NO_COLOR: '1' }) });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [status] = (await once(child, 'close')) as [number | null];
    t.equal(stderr, '', `${args.join(' ')}: nothing on stderr`);
    t.equal(status, verdict, `${args.join(' ')}: exit status ${verdict}`);
  }
});
