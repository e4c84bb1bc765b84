// ../shared/cases/inputs/secrets.yaml: no literal credential appears in any message, warning or
// report, including values that reach argv through $(VAR) and URL user-info. Every output format
// of `check` and the webhook's answer are searched for every canary value of the file.
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/program.js';
import { decideAdmission } from '../../src/admission/handler.js';
import { loadServingState } from '../../src/server/reload.js';
import { parseDocuments } from '../../src/io/yaml.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FILE = path.join(ROOT, 'test/fixtures/cases/inputs/secrets.yaml');
const CANARIES = [
  'ANNOT-SECRET-Pa55w0rd-7f3a', 'ANNOT-SECRET-tmpl-9c2e', 'sk-ARGSECRET1111111111111111', 'hf_ARGSECRET2222222222222222',
  'hf_ENVSECRET3333333333333333333', 'ENVSECRET44444444', 'ENVSECRET-OTHER-5555', 'sk-SHSECRET6666666666666666',
  'hf_EXPANDSECRET7777777777777777', 'URLSECRET8888',
];

async function check(format: string): Promise<string> {
  let out = '';
  await runCli(['node', 'vllm-guard', 'check', '--output', format, FILE], {
    stdout: (text) => (out += text), stderr: (text) => (out += text), readStdin: () => '', stdoutIsTty: false, stderrIsTty: false, colorAllowed: false,
  });
  return out;
}

t.test('the file is read: the canaries are in it, and findings are made', async (t) => {
  const text = readFileSync(FILE, 'utf8');
  for (const canary of CANARIES) t.ok(text.includes(canary), canary);
  t.match(await check('table'), /no-literal-secrets/);
});

for (const format of ['table', 'json', 'sarif', 'junit']) {
  t.test(`check --output ${format} shows no credential`, async (t) => {
    const out = await check(format);
    for (const canary of CANARIES) t.notOk(out.includes(canary), `${format} does not show ${canary}`);
    t.match(out, /\*\*\*|no-literal-secrets/, 'the findings are there, masked');
  });
}

t.test('the webhook answer (status message and warnings) shows no credential', async (t) => {
  const state = loadServingState({ configFile: null, policiesDir: null });
  const object = parseDocuments(readFileSync(FILE, 'utf8'))[0]?.value;
  const request = { uid: 'u', kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' }, namespace: 'llm', name: 'leaky', operation: 'CREATE', userInfo: { username: 'dev' }, object };
  const answer = JSON.stringify(decideAdmission(request as never, { engine: state.engine, settings: state.settings }).response);
  t.match(answer, /denied/);
  for (const canary of CANARIES) t.notOk(answer.includes(canary), `the answer does not show ${canary}`);
});
