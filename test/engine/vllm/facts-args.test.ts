import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import Ajv from 'ajv';
import { bundledVendorImages, loadBundledOptionTable } from '../../../src/engine/vllm/bundled.js';
import { readVllmArgFacts, serveArguments } from '../../../src/engine/vllm/facts-args.js';

const knowledge = { table: loadBundledOptionTable(), vendors: bundledVendorImages() };
const tokens = (s: string) => s.split(' ').map((text) => ({ text }));
/** Tokens as a container's `args` list holds them, each at its own field. */
const argsTokens = (s: string) => s.split(' ').map((text, i) => ({ text, at: `args[${i}]` }));
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../../policies/facts.schema.json'), 'utf8')) as {
  properties: { vllm: { properties: Record<string, object> } };
};

t.test('where the server arguments start', async (t) => {
  const cases: [string, { at: string | null; positionalModel: boolean } | null][] = [
    ['vllm serve m --port 8000', { at: 'm', positionalModel: true }],
    ['/usr/local/bin/vllm serve m', { at: 'm', positionalModel: true }],
    ['python3 -m vllm.entrypoints.openai.api_server --model m', { at: '--model', positionalModel: false }],
    ['python3 -m vllm.entrypoints.cli.main serve m', { at: 'm', positionalModel: true }],
    ['vllm bench serve', null],
    ['ray start --head', null],
  ];
  for (const [command, want] of cases) {
    const got = serveArguments(tokens(command));
    t.same(got && { at: got.tokens[0]?.text ?? null, positionalModel: got.positionalModel }, want, command);
  }
});

t.test('the facts match the proposed schema', async (t) => {
  const ajv = new Ajv.default({ strict: false });
  const vllmSchema = { type: 'object', properties: schema.properties.vllm.properties };
  const validate = ajv.compile(vllmSchema);
  const inputs = [
    { command: tokens('vllm serve m --tensor-paralel-size 4 --disable-log-requests --dtype bf16'), image: 'vllm/vllm-openai:v0.14.0', env: [{ name: 'VLLM_TRACE_FUNCTION', value: '1' }] },
    { command: tokens('vllm serve m --frobnicate'), image: 'vllm/vllm-openai@sha256:' + 'c'.repeat(64), env: [{ name: 'VLLM_X', value: null, unknown: 'valueFrom' }] },
    { command: null, image: 'nvcr.io/nvidia/vllm:26.05-py3', env: [] },
  ];
  for (const input of inputs) {
    const facts = readVllmArgFacts(input, knowledge);
    t.ok(validate(facts), `${input.image}: ${JSON.stringify(validate.errors)}`);
  }
});

t.test('version, errors, notices and fixes', async (t) => {
  const facts = readVllmArgFacts(
    { command: tokens('vllm serve m --disable-log-requests --tensor-paralel-size 4 --dtype bf16'), image: 'vllm/vllm-openai:v0.14.0', env: [] },
    knowledge,
  );
  t.same(
    { value: facts.version.value, how: facts.version.how, release: facts.version.release, judgedWith: facts.version.judgedWith },
    { value: '0.14.0', how: 'official-tag', release: 'v0.14.0', judgedWith: 'vLLM v0.14.0' },
  );
  t.same(facts.argProblems.map((p) => [p.kind, p.fix]), [
    ['deprecated', 'plan to remove --disable-log-requests'],
    ['unknown-flag', 'use --tensor-parallel-size'],
    ['bad-choice', 'use one of auto, bfloat16, float, float16, float32, half'],
  ]);
  t.equal(facts.argError?.kind, 'unknown-flag', 'the first problem that stops vLLM');
  // Without fields (tokens of one script): one item names them all.
  t.same(facts.argErrors.map((p) => [p.kind, p.at, p.summary, p.count]), [['several', 'args', '3 arguments: --disable-log-requests (deprecated), and 2 more', 3]], 'cut at an argument to fit a message placeholder (80 characters)');
  t.same(facts.argNotices, [], 'the deprecated flag is named with the errors of its field');
  const listed = readVllmArgFacts({ command: argsTokens('vllm serve m --disable-log-requests --tensor-paralel-size 4 --dtype bf16'), image: 'vllm/vllm-openai:v0.14.0', env: [] }, knowledge);
  t.same(listed.argErrors.map((p) => [p.kind, p.flag, p.at, p.rename]), [['unknown-flag', '--tensor-paralel-size', 'args[4]', '--tensor-parallel-size'], ['bad-choice', '--dtype', 'args[6]', undefined]], 'every problem that stops vLLM, each at its field');
  t.same(listed.argNotices.map((p) => [p.kind, p.flag, p.at]), [['deprecated', '--disable-log-requests', 'args[3]']]);
  const none = readVllmArgFacts({ command: null, image: 'vllm/vllm-openai:latest', env: [] }, knowledge);
  t.same([none.argProblems, none.argErrors, none.argNotices, none.argError, none.argValues], [[], [], [], null, {}], 'no command, nothing judged');
  t.match(none.version, { value: null, judgedAs: 'unknown', judgedWith: /^any vLLM release v0\.6\.0–v0\.20\.1 \(the image does not name its vLLM version\)$/ });
  const newer = readVllmArgFacts({ command: tokens('vllm serve m'), image: 'nvcr.io/nvidia/vllm:26.10-py3', env: [] }, knowledge);
  t.match(newer.version, { value: '0.31.0', how: 'vendor-table', judgedAs: 'newer', judgedWith: /0\.31\.0 is newer than the table/ });
});
