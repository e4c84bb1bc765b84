import t from 'tap';
import { parseHumanInt, parsePythonInt, parseQuantity } from '../../src/engine/util/quantity.js';

t.test('parseHumanInt follows vLLM human_readable_int', async (t) => {
  const cases: { name: string; input: string; want: number | null }[] = [
    { name: 'plain int', input: '4096', want: 4096 },
    { name: 'minus one', input: '-1', want: -1 },
    { name: 'plus sign and spaces', input: ' +8 ', want: 8 },
    { name: 'python underscores', input: '32_768', want: 32768 },
    { name: 'lowercase k is decimal', input: '1k', want: 1000 },
    { name: 'uppercase K is binary', input: '1K', want: 1024 },
    { name: '32k', input: '32k', want: 32000 },
    { name: '32K', input: '32K', want: 32768 },
    { name: 'decimal with decimal suffix', input: '25.6k', want: 25600 },
    { name: 'decimal truncates like int(float())', input: '1.5k', want: 1500 },
    { name: '1m', input: '1m', want: 1_000_000 },
    { name: '1M', input: '1M', want: 1_048_576 },
    { name: '1g', input: '1g', want: 1e9 },
    { name: '1G', input: '1G', want: 2 ** 30 },
    { name: '2t', input: '2t', want: 2e12 },
    { name: '1T', input: '1T', want: 2 ** 40 },
    { name: 'decimal with binary suffix is refused', input: '1.5K', want: null },
    { name: 'unknown suffix', input: '1x', want: null },
    { name: 'two suffixes', input: '1kk', want: null },
    { name: 'negative with suffix', input: '-1k', want: null },
    { name: 'auto is not an int', input: 'auto', want: null },
    { name: 'float without suffix', input: '1.5', want: null },
    { name: 'empty', input: '', want: null },
    { name: 'garbage', input: 'abc', want: null },
    { name: 'too long', input: '1'.repeat(100), want: null },
  ];
  for (const c of cases) t.equal(parseHumanInt(c.input), c.want, c.name);
});

t.test('parsePythonInt accepts what int() accepts', async (t) => {
  const cases: { name: string; input: string; want: number | null }[] = [
    { name: 'int', input: '8000', want: 8000 },
    { name: 'negative', input: '-3', want: -3 },
    { name: 'suffix refused', input: '1k', want: null },
    { name: 'double underscore refused', input: '1__0', want: null },
    { name: 'too long', input: '9'.repeat(80), want: null },
  ];
  for (const c of cases) t.equal(parsePythonInt(c.input), c.want, c.name);
});

t.test('parseQuantity reads Kubernetes quantities', async (t) => {
  const cases: { name: string; input: unknown; want: number | null }[] = [
    { name: 'number passes through', input: 2, want: 2 },
    { name: 'non-finite number', input: Number.POSITIVE_INFINITY, want: null },
    { name: 'integer string', input: '4', want: 4 },
    { name: 'Ki', input: '1Ki', want: 1024 },
    { name: 'Mi', input: '512Mi', want: 512 * 2 ** 20 },
    { name: 'Gi', input: '20Gi', want: 20 * 2 ** 30 },
    { name: 'Ti', input: '1Ti', want: 2 ** 40 },
    { name: 'Pi', input: '1Pi', want: 2 ** 50 },
    { name: 'Ei', input: '1Ei', want: 2 ** 60 },
    { name: 'k', input: '2k', want: 2000 },
    { name: 'M', input: '1M', want: 1e6 },
    { name: 'G', input: '1.5G', want: 1.5e9 },
    { name: 'T', input: '1T', want: 1e12 },
    { name: 'P', input: '1P', want: 1e15 },
    { name: 'E (exa)', input: '1E', want: 1e18 },
    { name: 'milli', input: '100m', want: 0.1 },
    { name: 'micro', input: '5u', want: 5e-6 },
    { name: 'nano', input: '5n', want: 5e-9 },
    { name: 'lowercase exponent', input: '1e3', want: 1000 },
    { name: 'uppercase exponent', input: '1E3', want: 1000 },
    { name: 'negative exponent', input: '5e-1', want: 0.5 },
    { name: 'leading dot', input: '.5', want: 0.5 },
    { name: 'trailing dot', input: '5.', want: 5 },
    { name: 'signed', input: '+1Gi', want: 2 ** 30 },
    { name: 'lowercase ki is not a suffix', input: '1ki', want: null },
    { name: 'bytes suffix is not kubernetes', input: '1GB', want: null },
    { name: 'empty', input: '', want: null },
    { name: 'exponent overflow', input: '1e999', want: null },
    { name: 'too long', input: '1'.repeat(65), want: null },
    { name: 'object', input: { a: 1 }, want: null },
    { name: 'null', input: null, want: null },
    { name: 'leading zeros', input: '007', want: 7 },
    { name: 'surrounding spaces', input: ' 4Gi ', want: 4 * 2 ** 30 },
    { name: 'digits and an unknown binary suffix', input: '12Xi', want: null },
    { name: 'a binary suffix without digits', input: 'Gi', want: null },
    { name: 'a binary suffix and more', input: '1Gib', want: null },
  ];
  for (const c of cases) t.equal(parseQuantity(c.input), c.want, c.name);
});
