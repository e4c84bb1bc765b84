// Gating a build: --fail-on, --quiet, the closing summary, file:line:column locations,
// --output github and wrapping, as a CI log or a terminal shows them.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { ROOT, run } from './run.js';

process.chdir(ROOT);
const BAD = 'examples/bad/latest-tp4-on-2-gpus.yaml';

interface JsonReport {
  results: { findings: { policy: string; action: string; path: string; line: number; column: number }[] }[];
  summary: { deny: number; warn: number; audit: number };
}

async function json(args: string[]): Promise<JsonReport> {
  return JSON.parse((await run(['check', '-o', 'json', ...args])).stdout) as JsonReport;
}

t.test('--fail-on: deny by default, warn and audit tighten the gate', async (t) => {
  t.equal((await run(['check', BAD])).status, 1, 'a deny fails the default gate');
  // In warn mode every deny is a warn: passes the default gate, fails --fail-on warn.
  const warned = await json(['--mode', 'warn', BAD]);
  t.equal(warned.summary.deny, 0);
  t.ok(warned.summary.warn > 0);
  t.equal((await run(['check', '--mode', 'warn', BAD])).status, 0);
  t.equal((await run(['check', '--mode', 'warn', '--fail-on', 'warn', BAD])).status, 1);
  // In audit mode everything is audit: only --fail-on audit fails.
  t.equal((await run(['check', '--mode', 'audit', '--fail-on', 'warn', BAD])).status, 0);
  t.equal((await run(['check', '--mode', 'audit', '--fail-on', 'audit', BAD])).status, 1);
  t.equal((await run(['check', '--fail-on', 'audit', 'examples/good/application.yaml'])).status, 0, 'a whole application that passes passes every gate');
  const bad = await run(['check', '--fail-on', 'error', BAD]);
  t.equal(bad.status, 2);
  t.match(bad.stderr, /argument 'error' is invalid.*deny, warn, audit/);
});

t.test('--quiet shows only what fails the build, then the full summary', async (t) => {
  const full = await json(['examples/bad/']);
  const quiet = await run(['check', '--quiet', 'examples/bad/']);
  t.equal(quiet.status, 1);
  t.notMatch(quiet.stdout, /^ {2}(WARN|AUDIT|PASS)/m, 'no warnings, audits or passes');
  t.equal(quiet.stdout.match(/^ {2}DENY /gm)?.length, full.summary.deny, 'every deny is listed');
  t.notMatch(quiet.stdout, /^ +0 +\d+ +\d+ {2}\S+$/m, 'summary rows only for what fails the build');
  t.match(quiet.stdout, new RegExp(`: ${full.summary.deny} deny, ${full.summary.warn} warn, ${full.summary.audit} audit\\n$`));
  const quietWarn = await run(['check', '-q', '--fail-on', 'warn', 'examples/bad/']);
  t.equal(quietWarn.stdout.match(/^ {2}WARN /gm)?.length, full.summary.warn, 'with --fail-on warn the warnings fail too, so they show');
});

t.test('the closing summary counts per policy and per file, matching the findings', async (t) => {
  const report = await json(['examples/bad/']);
  const { stdout } = await run(['check', 'examples/bad/']);
  const perPolicy = stdout.slice(stdout.indexOf('Findings per policy:'), stdout.indexOf('Findings per file:'));
  const policies = new Set(report.results.flatMap((r) => r.findings.map((f) => f.policy)));
  t.equal(perPolicy.trim().split('\n').length - 2, policies.size, 'one row per policy with findings');
  for (const policy of policies) {
    const count = (action: string) => report.results.flatMap((r) => r.findings).filter((f) => f.policy === policy && f.action === action).length;
    t.match(perPolicy, new RegExp(`^ +${count('deny')} +${count('warn')} +${count('audit')}  ${policy}$`, 'm'), policy);
  }
  const rows = [...perPolicy.matchAll(/^ +(\d+) +(\d+) +(\d+) {2}\S+$/gm)].map((m) => Number(m[1]));
  t.same(rows, [...rows].sort((a, b) => b - a), 'most denials first');
  t.match(stdout, /Findings per file:\n {3}deny {2}warn audit\n( +\d+ +\d+ +\d+ {2}examples\/bad\/\S+\.yaml\n)+/);
});

t.test('locations are file:line:column and point at the field', async (t) => {
  const { stdout } = await run(['check', BAD]);
  const match = /at (examples\/bad\/latest-tp4-on-2-gpus\.yaml):(\d+):(\d+) spec\.template\.spec\.containers\[0\]\.image$/m.exec(stdout);
  t.ok(match, 'the image finding has a file:line:column location');
  const lines = readFileSync(BAD, 'utf8').split('\n');
  const at = lines[Number(match?.[2]) - 1]?.slice(Number(match?.[3]) - 1);
  t.match(at, /^vllm\/vllm-openai:latest/, 'line and column land on the image value');
  const report = await json([BAD]);
  const image = report.results[0]?.findings.find((f) => f.path.endsWith('.image'));
  t.same([image?.line, image?.column], [Number(match?.[2]), Number(match?.[3])], 'JSON carries the same line and column');
});

t.test('--output github: one workflow annotation per finding, then the summary', async (t) => {
  const report = await json(['examples/bad/']);
  const { status, stdout } = await run(['check', '-o', 'github', 'examples/bad/']);
  t.equal(status, 1);
  t.equal(stdout.match(/^::error /gm)?.length, report.summary.deny);
  t.equal(stdout.match(/^::warning /gm)?.length, report.summary.warn);
  t.equal(stdout.match(/^::notice /gm)?.length ?? 0, report.summary.audit);
  t.match(stdout, /^::error file=examples\/bad\/latest-tp4-on-2-gpus\.yaml,line=\d+,col=\d+,title=vllm-guard gpu-count-matches-parallelism \(deny\)::Deployment llm\/qwen-32b: .+ Fix: .+/m);
  t.match(stdout, /\d+ resources \(\d+ vLLM.*\): \d+ deny, \d+ warn, \d+ audit\n$/);
  const stdin = await run(['check', '-o', 'github', '-'], { input: readFileSync(BAD, 'utf8') });
  t.match(stdin.stdout, /^::error title=vllm-guard /m, 'stdin has no file to annotate: the annotation goes to the run');
});

t.test('a terminal gets lines wrapped to its width; a pipe does not', async (t) => {
  const wide = await run(['check', BAD]);
  t.ok(wide.stdout.split('\n').some((l) => l.length > 100), 'unwrapped output has long lines');
  const narrow = await run(['check', BAD], { tty: true, columns: 80 });
  for (const line of narrow.stdout.split('\n')) {
    // A single word longer than the width (a long path) cannot be broken.
    if (line.length > 80) t.notMatch(line.trim(), / /, `only an unbreakable word overflows: ${line}`);
  }
  t.match(narrow.stdout, /\n {8}\S/, 'continuations are indented under the finding');
  t.equal(narrow.stdout.replace(/\s+/g, ' '), wide.stdout.replace(/\s+/g, ' '), 'wrapping only moves line breaks');
});

t.test('the table says which findings `vllm-guard fix` edits, and how many', async (t) => {
  const report = JSON.parse((await run(['check', '-o', 'json', BAD])).stdout) as { results: { findings: { policy: string; fix?: { description: string } }[] }[] };
  const fixable = report.results.flatMap((r) => r.findings).filter((f) => f.fix);
  t.ok(fixable.length > 0, 'the example has fixable findings');
  const { stdout } = await run(['check', BAD]);
  for (const f of fixable) t.ok(stdout.includes(`vllm-guard fix: ${f.fix?.description}`), `${f.policy}: its fix is shown`);
  t.equal(stdout.split('\n').filter((line) => line.trimStart().startsWith('vllm-guard fix: ')).length, fixable.length, 'only fixable findings get the line');
  t.match(stdout, new RegExp(`^${fixable.length} findings with a "vllm-guard fix:" line: \`vllm-guard fix <files>\` edits the manifests for you \\(those marked "with --accept" need that flag\\)\\n.*deny, .*warn, .*audit\\n$`, 'm'), 'the count comes right before the totals line, which stays last');
  const good = await run(['check', 'examples/good/application.yaml']);
  t.notMatch(good.stdout, /vllm-guard fix/, 'nothing to fix: no line');
});

t.test('the fix count is of the "vllm-guard fix:" lines shown: fewer with --quiet, none in GitHub annotations', async (t) => {
  const fixLines = (text: string) => text.split('\n').filter((line) => line.trimStart().startsWith('vllm-guard fix: ')).length;
  const counted = (text: string) => Number(/^(\d+) findings? with a "vllm-guard fix:" line/m.exec(text)?.[1] ?? 0);
  const full = await run(['check', 'examples/bad/']);
  const quiet = await run(['check', '--quiet', 'examples/bad/']);
  t.ok(fixLines(quiet.stdout) > 0 && fixLines(quiet.stdout) < fixLines(full.stdout), '--quiet hides the fixes of findings that do not fail the build');
  t.equal(counted(full.stdout), fixLines(full.stdout), 'the count is the lines shown');
  t.equal(counted(quiet.stdout), fixLines(quiet.stdout), 'with --quiet too');
  const github = await run(['check', '-o', 'github', 'examples/bad/']);
  t.notMatch(github.stdout, /vllm-guard fix:/, 'annotations have no "vllm-guard fix:" line, so the summary does not point to one');
});
