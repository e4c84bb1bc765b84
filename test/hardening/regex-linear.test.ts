// Every regex the product runs is linear time or refused. Policy and config patterns run on RE2; the
// regex literals of src/ are proven free of super-linear backtracking by the lint
// (eslint-plugin-regexp, eslint.config.js). What neither sees: built-in patterns kept as strings in
// the knowledge tables, which run on V8's backtracking engine (image-pattern.ts: about 20 times faster
// than re2js for these fixed patterns). This test gives them the same analysis (scslre, the library
// behind the lint rules), so a table row cannot bring back what the lint keeps out of the code.
// And the fault that made the lint rule necessary, end to end: a 200 000-digit value of a float option (the quadratic form took 16 s of CPU for 60 000).
import t from 'tap';
import { analyse } from 'scslre';
import { VLLM_IMAGES } from '../../src/engine/knowledge/vllm-images.js';
import { DEFAULT_ENTRYPOINTS } from '../../src/engine/command/entrypoints.js';
import { DEFAULT_CPU_IMAGES } from '../../src/engine/vllm/detection-config.js';
import { convertArgValue } from '../../src/engine/vllm/args-coerce.js';
import { reviewObject } from '../../src/engine/api.js';
import { loadEngine } from '../../src/load-engine.js';

const builtIns: { where: string; source: string }[] = [
  ...VLLM_IMAGES.flatMap((row) => [
    { where: `knowledge/vllm-images ${row.id}`, source: row.pattern },
    ...(row.familyByTag ?? []).map((rule) => ({ where: `knowledge/vllm-images ${row.id} familyByTag`, source: rule.tag })),
  ]),
  ...DEFAULT_ENTRYPOINTS.map((rule) => ({ where: 'command/entrypoints DEFAULT_ENTRYPOINTS', source: rule.image })),
  ...DEFAULT_CPU_IMAGES.map((source) => ({ where: 'vllm/detection-config DEFAULT_CPU_IMAGES', source })),
];

t.test('built-in table patterns have no super-linear backtracking', async (t) => {
  t.ok(builtIns.length > 40, `${builtIns.length} patterns checked`);
  for (const { where, source } of builtIns) {
    // `assumeRejectingSuffix`: the patterns are searched for in any reference, so any suffix can follow.
    const { reports } = analyse({ source, flags: '' }, { assumeRejectingSuffix: true });
    t.same(reports.map((r) => `${r.type}: ${r.character.literal.source}`), [], `${where}: ${source}`);
  }
});

t.test('the analysis finds the fault it is here for', async (t) => {
  // The float pattern before the fix, and a table-style pattern with overlapping repetition.
  t.ok(analyse({ source: '^\\s*[+-]?(?:\\d+(?:_\\d+)*\\.?(?:\\d+(?:_\\d+)*)?|\\.\\d+)(?:[eE][+-]?\\d+)?\\s*$', flags: '' }).reports.length > 0);
  t.ok(analyse({ source: '(?:^|/)vllm[\\w.-]*-?[\\w.]*(?:[:@]|$)', flags: '' }, { assumeRejectingSuffix: true }).reports.length > 0);
});

// The timeout is a hang guard, not a speed target: the quadratic form took minutes on this input.
t.test('a float option with a huge digit run is read at once, and the review goes on', { timeout: 60_000 }, async (t) => {
  const digits = '1'.repeat(200_000);
  t.equal(convertArgValue('gpu-memory-utilization', `${digits}x`), `${digits}x`, 'not a float: kept as text');
  t.equal(convertArgValue('gpu-memory-utilization', '0.9_5e-0_1'), 0.095);
  t.equal(convertArgValue('gpu-memory-utilization', '1.'), 1);
  t.equal(convertArgValue('gpu-memory-utilization', '.5'), 0.5);
  const { engine } = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });
  const review = reviewObject(engine, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'ml' },
    spec: {
      selector: { matchLabels: { app: 'chat' } },
      template: {
        metadata: { labels: { app: 'chat' } },
        spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1.1', command: ['vllm', 'serve', 'Qwen/Qwen3-8B', '--gpu-memory-utilization', `${digits}x`], resources: { limits: { 'nvidia.com/gpu': 1 } } }] },
      },
    },
  });
  t.ok(review.findings.some((f) => f.action === 'deny' && /^--gpu-memory-utilization 1{20}/.test(f.message)), 'the value is refused, as vLLM would refuse it');
});
