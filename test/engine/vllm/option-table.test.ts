import t from 'tap';
import options from '../../../src/engine/knowledge/vllm-options/options.json' with { type: 'json' };
import { loadBundledOptionTable } from '../../../src/engine/vllm/bundled.js';
import { createOptionTable } from '../../../src/engine/vllm/option-table.js';
import { validateVllmArgv } from '../../../src/engine/vllm/validate-args.js';
import type { OptionTableData } from '../../../src/engine/vllm/option-types.js';

const table = loadBundledOptionTable();
const data = options as unknown as OptionTableData;

t.test('the data covers every minor release from 0.6 on, each with its tag commit and source files', async (t) => {
  const minors = new Set(data.releases.map((r) => r.tag.split('.').slice(0, 2).join('.')));
  for (let m = 6; m <= 20; m++) t.ok(minors.has(`v0.${m}`), `a v0.${m}.x release is covered`);
  for (const r of data.releases) t.match(r.commit, /^[0-9a-f]{40}$/, `${r.tag} names its commit`);
  t.equal(data.source.repository, 'vllm-project/vllm');
  const files = new Set<string>();
  for (const o of data.options) {
    t.ok(o.name.startsWith('-'), `${o.name} is an option string`);
    for (const s of o.spans) {
      files.add(s.file);
      t.ok(table.releases.indexOf(s.from) <= table.releases.indexOf(s.to), `${o.name} span ${s.from}..${s.to} is ordered`);
    }
  }
  t.same([...files].sort(), ['vllm/engine/arg_utils.py', 'vllm/entrypoints/cli/serve.py', 'vllm/entrypoints/openai/cli_args.py', 'vllm/scripts.py']);
});

t.test('lookups by long name, alias and --no- form, per release', async (t) => {
  const cases: { spelled: string; release: string | null; name: string; status: string; negated?: boolean }[] = [
    { spelled: '-tp', release: 'v0.11.0', name: '--tensor-parallel-size', status: 'present' },
    { spelled: '-q', release: null, name: '--quantization', status: 'present' },
    { spelled: '--no-enable-prefix-caching', release: 'v0.8.0', name: '--enable-prefix-caching', status: 'present', negated: true },
    { spelled: '--no-enable-prefix-caching', release: 'v0.6.3', name: '--enable-prefix-caching', status: 'not-yet', negated: true },
    { spelled: '--disable-log-requests', release: 'v0.20.1', name: '--disable-log-requests', status: 'removed' },
  ];
  for (const c of cases) {
    const hit = table.lookup(c.spelled, c.release);
    t.equal(hit?.name, c.name, `${c.spelled} @ ${c.release} is ${c.name}`);
    t.equal(hit?.status, c.status, `${c.spelled} @ ${c.release} is ${c.status}`);
    t.equal(hit?.negated, c.negated ?? false);
  }
  t.equal(table.lookup('--no-enable-prefix-caching', 'v0.6.3')?.addedIn, 'v0.6.5', 'BooleanOptionalAction arrived in v0.6.5');
  const removed = table.lookup('--disable-log-requests', 'v0.20.1');
  t.equal(removed?.lastIn, 'v0.16.0');
  t.equal(removed?.removedIn, 'v0.17.0');
  t.equal(table.lookup('--tensor-paralel-size', null), null, 'a typo is not an option');
  t.throws(() => table.lookup('--port', 'v9.9.9'), /not covered/, 'a release must be resolved first');
});

t.test('argparse abbreviations: a unique prefix resolves, a shared one is ambiguous', async (t) => {
  const unique = table.lookupPrefix('--tensor-parallel', 'v0.20.1');
  t.equal(unique && 'hit' in unique ? unique.hit.name : null, '--tensor-parallel-size');
  const shared = table.lookupPrefix('--max', 'v0.20.1');
  t.ok(shared && 'ambiguous' in shared && shared.ambiguous.includes('--max-model-len'));
  t.equal(table.lookupPrefix('--zzz', 'v0.20.1'), null);
  t.equal(table.lookupPrefix('-t', 'v0.20.1'), null, 'single-dash prefixes are not resolved');
});

t.test('an abbreviation is an option on a command line, and an unknown name as a keyword argument (Ray engine_kwargs)', async (t) => {
  const tokens = [{ text: 'm' }, { text: '--max-num-seq' }, { text: '8' }];
  const argv = validateVllmArgv(tokens, { version: 'v0.11.0', table, positionalModel: true });
  t.same(argv.problems.map((p) => p.kind), [], 'argparse takes --max-num-seq for --max-num-seqs');
  const keywords = validateVllmArgv(tokens, { version: 'v0.11.0', table, positionalModel: true, abbreviations: false });
  t.match(keywords.problems, [{ kind: 'unknown-flag', flag: '--max-num-seq', suggestion: '--max-num-seqs' }]);
});

t.test('did you mean', async (t) => {
  const cases: [string, string | null][] = [
    ['--tensor-paralel-size', '--tensor-parallel-size'],
    ['--gpu-memory-utilisation', '--gpu-memory-utilization'],
    ['--max_model_len', '--max-model-len'],
    ['--prot', '--port'],
    ['--enabel-prefix-caching', '--enable-prefix-caching'],
    ['--completely-different-thing', null],
  ];
  for (const [word, want] of cases) t.equal(table.suggest(word, 'v0.20.1'), want, word);
  t.equal(table.suggestEnv('VLLM_TRACE_FUNCTON'), 'VLLM_TRACE_FUNCTION');
  t.equal(table.suggestEnv('VLLM_SOMETHING_ELSE_ENTIRELY'), null);
});

t.test('versions resolve to covered releases or say why not', async (t) => {
  t.same(table.resolveRelease('0.10.1.1'), { kind: 'covered', tag: 'v0.10.1.1' });
  t.same(table.resolveRelease('v0.9.2'), { kind: 'covered', tag: 'v0.9.2' });
  t.match(table.resolveRelease('0.8.5.post1'), { kind: 'covered', tag: 'v0.8.5', note: /post release/ });
  t.match(table.resolveRelease('0.9.0rc2'), { kind: 'uncovered', reason: /pre-release/ });
  t.match(table.resolveRelease('0.33.0'), { kind: 'newer', newest: table.newest });
  t.match(table.resolveRelease('0.5.4'), { kind: 'older', oldest: 'v0.6.0' });
  t.match(table.resolveRelease('latest'), { kind: 'unknown' });
  t.match(table.resolveRelease(null), { kind: 'unknown' });
});

t.test('the table is immutable and rejects corrupt data', async (t) => {
  t.ok(Object.isFrozen(table));
  t.throws(() => {
    (table as unknown as { newest: string }).newest = 'v9';
  });
  const broken: OptionTableData = { ...data, options: [{ name: '--x', spans: [{ action: 'store', file: 'f', from: 'v9.9.9', to: 'v9.9.9' }] }] };
  t.throws(() => createOptionTable(broken), /does not list/);
  t.same(table.history('--tensor-parallel-size')[0]?.aliases, ['-tp']);
  t.same(table.history('--nope'), []);
});

t.test('env variables by release', async (t) => {
  t.ok(table.envVar('VLLM_TRACE_FUNCTION', 'v0.6.0'));
  t.equal(table.envVar('VLLM_USE_V1', 'v0.6.0'), null, 'VLLM_USE_V1 arrived later');
  t.ok(table.envVar('VLLM_USE_V1', null));
});
