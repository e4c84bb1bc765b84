import t from 'tap';
import { loadBundledOptionTable } from '../../../src/engine/vllm/bundled.js';
import { createArgvValidation } from '../../../src/engine/vllm/argv-memo.js';
import { validateVllmArgv, type ArgToken } from '../../../src/engine/vllm/validate-args.js';

const table = loadBundledOptionTable();
const at = (argv: string, field = 'args'): ArgToken[] => argv.split(' ').map((text, i) => ({ text, at: `${field}[${i}]` }));

t.test('the remembered check answers what the check answers, for every input that changes it', async (t) => {
  const validate = createArgvValidation(table);
  const cases: Array<[ArgToken[], string | null, boolean]> = [
    [at('m --tensor-paralel-size 4'), '0.10.1.1', true],
    [at('m --tensor-paralel-size 4', 'command'), '0.10.1.1', true],
    [at('m --tensor-paralel-size 4'), null, true],
    [at('--model m --max-model-len 4096'), '0.10.1.1', false],
    [at('--model m --max-model-len 4096'), '0.10.1.1', true],
    [[{ text: 'm' }, { text: '--dtype' }, { text: '', unknown: 'from Secret s' }], '0.10.1.1', true],
    [[{ text: 'm' }, { text: '--dtype' }, { text: '' }], '0.10.1.1', true],
  ];
  for (const [tokens, version, positionalModel] of cases) {
    const first = validate(tokens, version, positionalModel);
    t.same(first, validateVllmArgv(tokens, { version, table, positionalModel }), `${tokens.map((x) => x.text).join(' ')} at ${version}`);
    const second = validate(structuredClone(tokens), version, positionalModel);
    t.same(second, first, 'a second look answers alike (and is kept: an argv seen once is not)');
    t.equal(validate(structuredClone(tokens), version, positionalModel), second, 'a third look is the remembered answer');
  }
  const typo = validate(at('m --tensor-paralel-size 4', 'command'), '0.10.1.1', true);
  t.equal(typo.problems[0]?.at, 'command[1]', 'the field holding the flag is part of what is remembered');
});

t.test('a remembered answer cannot be changed by the review that got it', async (t) => {
  const validate = createArgvValidation(table);
  validate(at('m --max-model-len 4096'), '0.10.1.1', true);
  const result = validate(at('m --max-model-len 4096'), '0.10.1.1', true);
  t.throws(() => {
    (result.values as Record<string, unknown>)['max-model-len'] = 1;
  }, TypeError);
  t.throws(() => result.problems.push(result.problems[0]!), TypeError);
  t.equal(validate(at('m --max-model-len 4096'), '0.10.1.1', true).values['max-model-len'], 4096);
});

t.test('a very long command line is checked each time and still answered', async (t) => {
  const validate = createArgvValidation(table);
  const long = at(`m --served-model-name ${'x'.repeat(5000)}`);
  const first = validate(long, '0.10.1.1', true);
  t.same(first, validateVllmArgv(long, { version: '0.10.1.1', table, positionalModel: true }));
  t.not(validate(long, '0.10.1.1', true), first, 'not stored');
});

t.test('the remembered reading of a command line follows the env vars and config file it reads', async (t) => {
  const { createArgsReading } = await import('../../../src/engine/vllm/argv-memo.js');
  const { parseVllmArgs } = await import('../../../src/engine/vllm/args.js');
  const read = createArgsReading();
  const command = [{ text: 'vllm' }, { text: 'serve' }, { text: 'm', at: 'args[0]' }, { text: '--tensor-parallel-size' }, { text: '2', from: 'env TP' }];
  const noEnv = () => undefined;
  const withToken = (name: string) => (name === 'HF_TOKEN' ? { text: 'x', source: 'secretKeyRef' } : undefined);
  const first = read(command, noEnv);
  t.same(first, parseVllmArgs(command, noEnv));
  const kept = read(structuredClone(command), noEnv);
  t.equal(read(structuredClone(command), noEnv), kept, 'same command, same env: remembered from the second sight on');
  const token = read(command, withToken);
  t.same(token, parseVllmArgs(command, withToken));
  t.equal(token.fromEnv['hf-token'], 'HF_TOKEN', 'an env var the reading uses changes the answer');
  t.not(token, first);
  const unread = read(command, noEnv, { status: 'unread', reason: 'the ConfigMap is not looked up' });
  t.same(unread, parseVllmArgs(command, noEnv, { status: 'unread', reason: 'the ConfigMap is not looked up' }));
  t.same(read(null, noEnv), parseVllmArgs(null, noEnv), 'an unknown command');
  t.ok(Object.isFrozen(kept.values), 'a kept answer is frozen');
});
