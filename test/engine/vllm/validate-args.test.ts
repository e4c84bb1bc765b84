import t from 'tap';
import { loadBundledOptionTable } from '../../../src/engine/vllm/bundled.js';
import { validateVllmArgv, type ArgProblem, type ArgToken } from '../../../src/engine/vllm/validate-args.js';

const table = loadBundledOptionTable();
const tokens = (argv: string): ArgToken[] => argv.split(' ').filter(Boolean).map((text) => ({ text }));
const run = (argv: string | ArgToken[], version: string | null) =>
  validateVllmArgv(typeof argv === 'string' ? tokens(argv) : argv, { version, table });
const brief = (p: ArgProblem) => ({ kind: p.kind, flag: p.flag, verified: p.verified });

t.test('the issue cases', async (t) => {
  const typo = run('meta-llama/Llama-3.1-8B --tensor-paralel-size 4', '0.10.1.1');
  t.same(typo.problems.map(brief), [{ kind: 'unknown-flag', flag: '--tensor-paralel-size', verified: true }]);
  t.equal(typo.problems[0]?.suggestion, '--tensor-parallel-size');
  t.equal(typo.problems[0]?.message, 'unknown option --tensor-paralel-size (did you mean --tensor-parallel-size?): vLLM exits: "unrecognized arguments: --tensor-paralel-size"');
  t.same(typo.values, {}, 'the typo sets nothing, and its value is not a second model');

  const unknownVersion = run('m --tensor-paralel-size 4', null);
  t.same(unknownVersion.problems.map(brief), [{ kind: 'unknown-flag', flag: '--tensor-paralel-size', verified: true }], 'a near miss is a typo in every release');

  for (const [value, version, message] of [
    ['abc', '0.20.1', `exits: "argument --max-model-len: invalid human_readable_int_or_auto value: 'abc'"`],
    ['128kb', '0.20.1', `exits: "argument --max-model-len: invalid human_readable_int_or_auto value: '128kb'"`],
    ['abc', '0.8.0', `exits: "argument --max-model-len: invalid int value: 'abc'"`],
    ['32k', '0.8.0', `exits: "argument --max-model-len: invalid int value: '32k'"`],
    ['auto', '0.10.1', `exits: "argument --max-model-len: invalid human_readable_int value: 'auto'"`],
  ] as const) {
    const r = run(`m --max-model-len ${value}`, version);
    t.same(r.problems.map((p) => [p.kind, p.says]), [['bad-type', message]], `${value} on ${version}`);
    t.notOk('max-model-len' in r.values);
  }
  t.same(run('m --max-model-len 0', '0.20.1').values, { 'max-model-len': 0 }, '0 parses; the max-model-len policy judges it');
  t.same(run('m --max-model-len auto', '0.20.1').values, { 'max-model-len': -1 }, 'auto is -1 where supported');
  t.same(run('m --max-model-len -1', '0.10.1').values, { 'max-model-len': -1 }, '-1 is a plain int, so every release takes it');
  const anyAuto = run('m --max-model-len auto', null);
  t.same([anyAuto.problems, anyAuto.values], [[], { 'max-model-len': -1 }], 'with an unknown version, a value some release takes is not denied');
});

t.test('values parse as vLLM parses them, last one wins', async (t) => {
  const r = run(
    'm --max_model_len=32k --gpu-memory-utilization 0.9 -tp 4 --enable-prefix-caching --no-enable-chunked-prefill --served-model-name a b --port 8000 --port=8001 -q awq',
    '0.20.1',
  );
  t.same(r.problems, []);
  t.same(r.values, {
    'max-model-len': 32000,
    'gpu-memory-utilization': 0.9,
    'tensor-parallel-size': 4,
    'enable-prefix-caching': true,
    'enable-chunked-prefill': false,
    'served-model-name': ['a', 'b'],
    port: 8001,
    quantization: 'awq',
  });
  t.same(r.model, { from: 'positional', value: 'm', tokenIndex: 0 });
  t.same(run('m --tensor-parallel 2', '0.20.1').values, { 'tensor-parallel-size': 2 }, 'argparse accepts a unique prefix');
  t.same(run('m -O3', '0.20.1').values, { 'optimization-level': '3' }, '-O3 is --optimization-level from v0.12');
  t.same(run('m -O3', '0.8.0').values, { 'compilation-config': 3 }, '-O3 is --compilation-config 3 before');
  t.same(run('m -qawq', '0.20.1').values, { quantization: 'awq' }, 'a two-character option takes an attached value');
  t.same(run('m --enable-chunked-prefill false', '0.7.0').values, { 'enable-chunked-prefill': false }, 'StoreBoolean takes true/false');
});

t.test('one case per problem kind', async (t) => {
  const cases: { name: string; argv: string; version: string | null; want: { kind: string; flag: string; verified: boolean }[] }[] = [
    { name: 'unknown flag', argv: 'm --frobnicate 1', version: '0.20.1', want: [{ kind: 'unknown-flag', flag: '--frobnicate', verified: true }] },
    {
      name: 'unknown flag, version unknown, no near miss: a newer vLLM may have it',
      argv: 'm --frobnicate 1',
      version: null,
      want: [{ kind: 'unknown-flag', flag: '--frobnicate', verified: false }],
    },
    { name: 'not yet added', argv: 'm --no-enable-prefix-caching', version: '0.6.3', want: [{ kind: 'unknown-flag', flag: '--no-enable-prefix-caching', verified: true }] },
    { name: 'ambiguous prefix', argv: 'm --max 3', version: '0.20.1', want: [{ kind: 'unknown-flag', flag: '--max', verified: true }] },
    { name: 'missing value at the end', argv: 'm --max-model-len', version: '0.20.1', want: [{ kind: 'missing-value', flag: '--max-model-len', verified: true }] },
    { name: 'missing value before a flag', argv: 'm --port --enforce-eager', version: null, want: [{ kind: 'missing-value', flag: '--port', verified: true }] },
    { name: 'nargs + without values', argv: 'm --served-model-name', version: '0.20.1', want: [{ kind: 'missing-value', flag: '--served-model-name', verified: true }] },
    { name: 'bad type', argv: 'm --gpu-memory-utilization 90%', version: '0.20.1', want: [{ kind: 'bad-type', flag: '--gpu-memory-utilization', verified: true }] },
    { name: 'explicit value on a switch', argv: 'm --trust-remote-code=true', version: '0.20.1', want: [{ kind: 'bad-type', flag: '--trust-remote-code', verified: true }] },
    { name: 'bad choice', argv: 'm --dtype bf16', version: '0.20.1', want: [{ kind: 'bad-choice', flag: '--dtype', verified: true }] },
    { name: 'bad choice, version unknown', argv: 'm --kv-cache-dtype fp9', version: null, want: [{ kind: 'bad-choice', flag: '--kv-cache-dtype', verified: false }] },
    { name: 'removed', argv: 'm --disable-log-requests', version: '0.20.1', want: [{ kind: 'removed', flag: '--disable-log-requests', verified: true }] },
    { name: 'deprecated', argv: 'm --disable-log-requests', version: '0.14.0', want: [{ kind: 'deprecated', flag: '--disable-log-requests', verified: true }] },
    { name: 'positional and --model (0.9)', argv: 'm --model x', version: '0.9.2', want: [{ kind: 'duplicate-model', flag: '--model', verified: true }] },
    { name: 'positional and --model=x (0.9) passes', argv: 'm --model=x', version: '0.9.2', want: [] },
    { name: 'positional and --model (0.20)', argv: 'm --model x', version: '0.20.1', want: [{ kind: 'duplicate-model', flag: '--model', verified: true }] },
    { name: '--model alone (0.20) is moved', argv: '--model x', version: '0.20.1', want: [] },
    {
      name: '--model alone (0.7) is refused and the model is required',
      argv: '--model x',
      version: '0.7.0',
      want: [
        { kind: 'duplicate-model', flag: '--model', verified: true },
        { kind: 'missing-value', flag: 'model_tag', verified: true },
      ],
    },
    { name: 'positional and --model, version unknown', argv: 'm --model x', version: null, want: [{ kind: 'duplicate-model', flag: '--model', verified: true }] },
    { name: 'extra positional', argv: 'm extra', version: '0.20.1', want: [{ kind: 'unrecognized-argument', flag: 'extra', verified: true }] },
    { name: 'JSON key on a non-JSON option', argv: 'm --port.x 1', version: '0.20.1', want: [{ kind: 'unknown-flag', flag: '--port.x', verified: true }] },
  ];
  for (const c of cases) t.same(run(c.argv, c.version).problems.map(brief), c.want, c.name);
  const removed = run('m --disable-log-requests', '0.20.1').problems[0];
  t.match(removed?.message, /removed in vLLM v0\.17\.0 \(last in v0\.16\.0\)/);
  const deprecated = run('m --enable-reasoning', '0.9.0').problems[0];
  t.same([deprecated?.kind, deprecated?.replacement], ['deprecated', '--reasoning-parser'], 'the replacement comes from the help text');
});

t.test('unknown values are never judged', async (t) => {
  const r = run(
    [{ text: 'm' }, { text: '--tensor-parallel-size' }, { text: '$(TP)', unknown: 'TP comes from a configMapKeyRef' }, { text: '--max-model-len=$(LEN)', unknown: 'LEN is from valueFrom' }],
    '0.20.1',
  );
  t.same(r.problems, []);
  t.same(r.unknownValues, { 'tensor-parallel-size': 'TP comes from a configMapKeyRef', 'max-model-len': 'LEN is from valueFrom' });
  const loose = run([{ text: 'm' }, { text: '$(EXTRA_ARGS)', unknown: 'EXTRA_ARGS is from valueFrom' }, { text: 'x' }], '0.20.1');
  t.same(loose.problems, [], 'what follows an unknown word may be its value');
  const model = run([{ text: '$(MODEL)', unknown: 'MODEL is from valueFrom' }, { text: '--port', }, { text: '8000' }], '0.20.1');
  t.same(model.model, { from: 'positional', value: null, tokenIndex: 0 });
});

t.test('versions outside the table are judged against any release and never settled', async (t) => {
  const newer = run('m --frobnicate 1', '0.33.0');
  t.match(newer.problems[0], { kind: 'unknown-flag', verified: false, reason: /newer than v0\.20\.1/ });
  const older = run('m --frobnicate 1', '0.5.4');
  t.match(older.problems[0], { verified: false, reason: /older than v0\.6\.0/ });
  // Unknown release: an option the newest release no longer has is named, never settled (vllm-project/vllm
  // v0.17.0 removed --disable-log-requests; ai-dynamo/dynamo PR #8693).
  t.match(run('m --disable-log-requests', null).problems, [{ kind: 'removed', verified: false, says: /^v0\.17\.0 and later exit/ }], 'removed upstream: not verified');
  t.same(run('m --disable-log-requests', '0.5.4').problems.filter((p) => p.kind === 'removed'), [], 'an image older than the table predates the removal');
});

t.test('parser corners', async (t) => {
  t.same(run('-- m', '0.20.1').model, { from: 'positional', value: 'm', tokenIndex: 1 }, 'after -- everything is positional');
  t.same(run('m -- extra', '0.20.1').problems.map(brief), [{ kind: 'unrecognized-argument', flag: 'extra', verified: true }]);
  t.same(run('m -O 3', '0.20.1').values, { 'optimization-level': '3' }, '-O 3 is --optimization-level from v0.12');
  t.same(run('m -O {"level":3}', '0.8.0').values, { 'compilation-config': { level: 3 } }, '-O is --compilation-config before');
  t.same(run('m --compilation-config.level', '0.20.1').problems.map(brief), [{ kind: 'missing-value', flag: '--compilation-config.level', verified: true }]);
  t.same(run('m --compilation-config.level=3 --port 1', '0.20.1').values, { port: 1 }, 'an inline JSON key takes no next argument');
  t.same(run('m --frobnicate.x 1', '0.20.1').problems.map(brief), [{ kind: 'unknown-flag', flag: '--frobnicate', verified: true }]);
  t.same(
    run([{ text: 'm' }, { text: '--unknown-thing' , unknown: 'from $(cmd)' }, { text: 'x' }], '0.20.1').problems,
    [],
    'an unknown option-like word may take values',
  );
  const long = run(`m --max-model-len ${'9'.repeat(80)}`, '0.20.1');
  t.same([long.problems, long.unknownValues['max-model-len']], [[], 'a 80-character number was not parsed']);
  t.same(run('m --hf-token', '0.20.1').values, { 'hf-token': true }, 'nargs ? without a value takes the const');
  t.same(run('m --enable-chunked-prefill', '0.7.0').values, { 'enable-chunked-prefill': true }, 'StoreBoolean alone is true');
  t.same(run('m --middleware a --middleware b', '0.20.1').values, { middleware: ['a', 'b'] }, 'append collects');
});

t.test('bounded work', async (t) => {
  const many = Array.from({ length: 10_000 }, () => ({ text: '--port' }));
  const r = validateVllmArgv(many, { version: '0.20.1', table });
  t.ok(r.problems.length <= 4096, 'at most 4096 tokens are read');
});

t.test('did-you-mean is looked up for the first 64 unknown flags of an argv; the rest are still reported', async (t) => {
  // Each look-up measures the name against every option of the table: 4 000 misspelt flags cost seconds
  // of CPU in one admission review before the cap (edit-distance.ts MAX_SUGGESTED_NAMES).
  const argv = ['m', ...Array.from({ length: 100 }, (_, i) => (i % 2 ? '--max-modle-len' : '--tensor-paralel-size'))].join(' ');
  const unknown = run(argv, '0.10.1.1').problems.filter((p) => p.kind === 'unknown-flag');
  t.equal(unknown.length, 100, 'every unknown flag is a problem');
  t.ok(unknown.slice(0, 64).every((p) => p.summary.startsWith('unknown option')), 'the first 64 were looked up');
  t.ok(unknown.slice(64).every((p) => p.suggestion === undefined && p.summary.endsWith('is not an option of vLLM v0.10.1.1')), 'the rest say what is wrong without a suggestion');
  t.ok(unknown.every((p) => p.verified), 'all settled: the release is known');
});
