// What kubectl and a code-scanning UI show of a fix: the webhook's warning and denial name it, and
// SARIF results carry it as an artifact change.
import t from 'tap';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { formatDenyMessage, formatWarning, WARNING_HARD_LIMIT } from '../../src/admission/messages.js';
import { reviewObject } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { runCli } from '../../src/cli/program.js';
import { loadEngine } from '../../src/load-engine.js';
import { readFileSync } from 'node:fs';

const BAD = path.resolve(import.meta.dirname, '../../examples/bad');
const { engine } = loadEngine({ configFile: null, policiesDir: null });
const object = parseDocuments(readFileSync(path.join(BAD, 'latest-tp4-on-2-gpus.yaml'), 'utf8'))[0]?.value;
const findings = reviewObject(engine, object).findings;

t.test('webhook text names the fix within the API server limits', (t) => {
  const taint = findings.find((f) => f.policy === 'gpu-taint-toleration');
  t.ok(taint?.fix, 'the toleration finding has a fix');
  const warning = formatWarning(taint!);
  t.ok(warning.length <= WARNING_HARD_LIMIT, `one warning stays under ${WARNING_HARD_LIMIT} characters`);
  t.match(warning, /^gpu-taint-toleration: pod template requests nvidia\.com\/gpu .*tainted nodes; vllm-guard fix: tolerate the nvidia\.com\/gpu:NoSchedule taint of the accelerator's nodes$/);
  const shm = findings.find((f) => f.policy === 'shm-mounted');
  const long = formatWarning(shm!);
  t.ok(long.length <= WARNING_HARD_LIMIT, 'a long message stays within the limit');
  t.notMatch(long, /vllm-guard fix/, 'and keeps its own words rather than make room for the fix');
  const deny = formatDenyMessage({ kind: 'Deployment', namespace: 'llm', name: 'qwen-32b' }, findings.filter((f) => f.action === 'deny'));
  t.match(deny, /vllm-guard fix: set nvidia\.com\/gpu to 4 per pod/);
  t.end();
});

t.test('SARIF results carry fixes as artifact changes', async (t) => {
  const file = path.join(t.testdir({}), 'x.yaml');
  copyFileSync(path.join(BAD, 'latest-tp4-on-2-gpus.yaml'), file);
  let out = '';
  await runCli(['node', 'vllm-guard', 'check', '-o', 'sarif', file], {
    stdout: (s) => (out += s), stderr: () => {}, readStdin: () => '', stdoutIsTty: false, stderrIsTty: false, colorAllowed: false,
  });
  const results = (JSON.parse(out) as { runs: { results: { ruleId: string; fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { startLine: number }; insertedContent: { text: string } }[] }[] }[] }[] }[] }).runs[0]!.results;
  const gpu = results.find((r) => r.ruleId === 'gpu-count-matches-parallelism');
  const change = gpu?.fixes?.[0]?.artifactChanges[0];
  t.equal(change?.artifactLocation.uri, file);
  t.match(change?.replacements[0]?.insertedContent.text, /nvidia\.com\/gpu: "4"/);
  t.notOk(results.find((r) => r.ruleId === 'image-pinned')?.fixes, 'no fix where the value is not knowable (which release :latest is)');
  t.equal(readFileSync(file, 'utf8'), readFileSync(path.join(BAD, 'latest-tp4-on-2-gpus.yaml'), 'utf8'), 'check writes nothing');
});
