import t, { type Test } from 'tap';
import type { OptionSpec } from '../../../src/engine/vllm/option-types.js';
import { parseOptionValue, parseStoreBoolean, pythonFloat } from '../../../src/engine/vllm/option-values.js';

const spec = (s: Partial<OptionSpec>): OptionSpec => ({ action: 'store', file: 'test', ...s });

type Want = { value: unknown } | { kind: 'bad-type' | 'bad-choice'; message: string } | { unverified: true };

function check(t: Test, name: string, s: OptionSpec, input: string, want: Want): void {
  const got = parseOptionValue(s, input);
  if ('value' in want) t.same(got, { ok: true, value: want.value }, name);
  else if ('kind' in want) t.match(got, { ok: false, kind: want.kind, message: want.message }, name);
  else t.equal(got.ok, 'unverified', name);
}

t.test('int: Python int()', async (t) => {
  const s = spec({ value: 'int' });
  const cases: [string, string, Want][] = [
    ['plain', '4', { value: 4 }],
    ['negative', '-1', { value: -1 }],
    ['spaces and sign', ' +8 ', { value: 8 }],
    ['underscores', '1_000', { value: 1000 }],
    ['suffix refused', '4k', { kind: 'bad-type', message: "invalid int value: '4k'" }],
    ['float refused', '2.0', { kind: 'bad-type', message: "invalid int value: '2.0'" }],
    ['empty refused', '', { kind: 'bad-type', message: "invalid int value: ''" }],
    ['too long is not judged', '9'.repeat(80), { unverified: true }],
  ];
  for (const [name, input, want] of cases) check(t, name, s, input, want);
});

t.test('optional_type wraps the message in parse_type', async (t) => {
  const s = spec({ value: 'int', acceptsNone: true });
  check(t, 'None means None', s, 'None', { value: null });
  check(t, 'empty means None', s, '', { value: null });
  check(t, 'bad value', s, 'x', { kind: 'bad-type', message: 'Value x cannot be converted to int.' });
});

t.test('float: Python float()', async (t) => {
  const s = spec({ value: 'float' });
  const cases: [string, string, Want][] = [
    ['decimal', '0.9', { value: 0.9 }],
    ['leading dot', '.5', { value: 0.5 }],
    ['trailing dot', '1.', { value: 1 }],
    ['int text', '1', { value: 1 }],
    ['exponent', '9e-1', { value: 0.9 }],
    ['percent refused', '90%', { kind: 'bad-type', message: "invalid float value: '90%'" }],
    ['comma refused', '0,9', { kind: 'bad-type', message: "invalid float value: '0,9'" }],
  ];
  for (const [name, input, want] of cases) check(t, name, s, input, want);
  t.equal(pythonFloat('inf'), Infinity);
  t.equal(pythonFloat('-Infinity'), -Infinity);
  t.ok(Number.isNaN(pythonFloat('nan')));
});

t.test('human_readable_int and human_readable_int_or_auto', async (t) => {
  const human = spec({ value: 'human-int' });
  const orAuto = spec({ value: 'human-int-or-auto' });
  const cases: [string, OptionSpec, string, Want][] = [
    ['1k is decimal', human, '1k', { value: 1000 }],
    ['1K is binary', human, '1K', { value: 1024 }],
    ['1m', human, '1m', { value: 1_000_000 }],
    ['25.6k', human, '25.6k', { value: 25600 }],
    ['plain -1', human, '-1', { value: -1 }],
    ['auto is not an int before human_readable_int_or_auto', human, 'auto', { kind: 'bad-type', message: "invalid human_readable_int value: 'auto'" }],
    ['128kb', human, '128kb', { kind: 'bad-type', message: "invalid human_readable_int value: '128kb'" }],
    [
      'fraction with a binary suffix, in vLLM words',
      human,
      '1.5K',
      { kind: 'bad-type', message: 'Decimals are not allowed with binary suffixes like K. Did you mean to use 1.5k instead?' },
    ],
    ['auto', orAuto, 'auto', { value: -1 }],
    ['AUTO', orAuto, 'AUTO', { value: -1 }],
    ['-1', orAuto, '-1', { value: -1 }],
    ['32k', orAuto, '32k', { value: 32000 }],
    ['abc', orAuto, 'abc', { kind: 'bad-type', message: "invalid human_readable_int_or_auto value: 'abc'" }],
  ];
  for (const [name, s, input, want] of cases) check(t, name, s, input, want);
});

t.test('JSON, JSON-or-text and key=value lists', async (t) => {
  check(t, 'json object', spec({ value: 'json' }), '{"level": 3}', { value: { level: 3 } });
  check(t, 'json broken', spec({ value: 'json' }), '{level: 3}', { kind: 'bad-type', message: "invalid loads value: '{level: 3}'" });
  check(t, 'config dataclass takes a bare level', spec({ value: 'json', field: 'VllmConfig.compilation_config' }), '3', { value: 3 });
  check(t, 'config dataclass expands human numbers', spec({ value: 'json', field: 'X.kv_transfer_config' }), '{"cpu_bytes_to_use": 80m}', {
    value: { cpu_bytes_to_use: 80_000_000 },
  });
  check(t, 'human numbers inside strings stay', spec({ value: 'json', field: 'X.y' }), '{"a": "80m", "b": 1k}', { value: { a: '80m', b: 1000 } });
  check(t, 'json-or-str text', spec({ value: 'json-or-str' }), 'my-config', { value: 'my-config' });
  check(t, 'json-or-str object', spec({ value: 'json-or-str' }), '{"a": 1}', { value: { a: 1 } });
  check(t, 'json-or-kvs key=value (parse_type of v0.8.5–v0.9.2)', spec({ value: 'json-or-kvs' }), 'image=10', { value: { image: 10 } });
  check(t, 'json-or-kvs object', spec({ value: 'json-or-kvs' }), '{"image": 10}', { value: { image: 10 } });
  check(t, 'kvs', spec({ value: 'kvs' }), 'image=2,video=1', { value: { image: 2, video: 1 } });
  check(t, 'kvs without =', spec({ value: 'kvs' }), 'image', { kind: 'bad-type', message: 'Each item should be in the form KEY=VALUE' });
  check(t, 'kvs non-int', spec({ value: 'kvs' }), 'image=two', { kind: 'bad-type', message: 'Failed to parse value of item image=two' });
  check(t, 'kvs conflict', spec({ value: 'kvs' }), 'image=1,image=2', { kind: 'bad-type', message: 'Conflicting values specified for key: image' });
});

t.test('choices are checked after conversion', async (t) => {
  const dtype = spec({ value: 'str', choices: ['auto', 'half', 'bfloat16'] });
  check(t, 'in choices', dtype, 'bfloat16', { value: 'bfloat16' });
  check(t, 'outside', dtype, 'bf16', { kind: 'bad-choice', message: "invalid choice: 'bf16' (choose from 'auto', 'half', 'bfloat16')" });
  const block = spec({ value: 'int', choices: ['8', '16', '32'] });
  check(t, 'int choice', block, '16', { value: 16 });
  check(t, 'int outside', block, '24', { kind: 'bad-choice', message: "invalid choice: '24' (choose from '8', '16', '32')" });
  check(t, 'type before choice', block, 'x', { kind: 'bad-type', message: "invalid int value: 'x'" });
  check(t, 'unknown choices are not judged', spec({ value: 'str', choicesUnknown: 'plugins' }), 'anything', { value: 'anything' });
  check(t, 'None in choices', spec({ value: 'str', acceptsNone: true, choices: ['a', 'None'] }), 'None', { value: null });
});

t.test('StoreBoolean', async (t) => {
  t.same(parseStoreBoolean('True'), { ok: true, value: true });
  t.same(parseStoreBoolean('false'), { ok: true, value: false });
  t.same(parseStoreBoolean('yes'), { ok: false, kind: 'bad-type', message: "Invalid boolean value: yes. Expected 'true' or 'false'." });
});

t.test('text options accept anything', async (t) => {
  check(t, 'str', spec({ value: 'str' }), '--looks-like-a-flag', { value: '--looks-like-a-flag' });
  check(t, 'unknown type', spec({ value: 'unknown' }), 'x', { value: 'x' });
});
