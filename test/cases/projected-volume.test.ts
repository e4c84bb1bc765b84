// A ConfigMap mounted through a projected volume (`projected.sources[].configMap`) is read as a ConfigMap
// volume is: a start script or vLLM's `--config` file from it is read, and its mode is the item's `mode`,
// else the projected volume's `defaultMode`, else 0644 (k8s.io/api core/v1 v0.34.0; projected.go writes
// the sources in order, a later one's file replacing an earlier one's). A file a Secret, the downward
// API or a token writes is unknown content: could not be verified, never a deny. Before, every file on a
// projected volume was "not a ConfigMap volume".
import t from 'tap';
import { configMap, parallelism, review, scriptDeployment, type Json } from './start-script-fixtures.js';

const START = '#!/bin/sh\nexec vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4\n';
const FITS = '#!/bin/sh\nexec vllm serve Qwen/Qwen3-8B --tensor-parallel-size 2\n';
const secret: Json = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tokens', namespace: 'llm' }, data: { 'start.sh': 'ZXhpdA==' } };

/** The Deployment running /scripts/start.sh from projected volume `scripts` with `sources` (and `defaultMode`). */
const projected = (sources: Json[], extra: Json = {}, command = ['/scripts/start.sh']): Json =>
  scriptDeployment({ command }, { volumes: [{ name: 'scripts', projected: { defaultMode: 0o755, sources, ...extra } }] });
const modeDenials = (workload: Json, others: Json[] | null) => review(workload, others).findings.filter((f) => f.policy === 'vllm-args-valid' && /without an execute bit/.test(f.message));

t.test('a start script from a projected ConfigMap source is read, with items or without', async (t) => {
  const forms: [string, Json[]][] = [
    ['items key → path', [{ configMap: { name: 'vllm-start', items: [{ key: 'run', path: 'start.sh' }] } }]],
    ['every key, after a downward API file elsewhere', [{ downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }, { configMap: { name: 'vllm-start' } }]],
  ];
  for (const [what, sources] of forms) {
    const key = what.startsWith('items') ? 'run' : 'start.sh';
    const r = review(projected(sources), [configMap({ [key]: START })]);
    t.match(parallelism(r), [{ action: 'deny', outcome: 'fail', message: new RegExp(`--tensor-parallel-size 4 \\(from ConfigMap vllm-start key ${key}\\)`) }], what);
  }
  const admission = parallelism(review(projected([{ configMap: { name: 'vllm-start' } }]), null));
  t.match(admission, [{ action: 'warn', outcome: 'unknown', message: /\/scripts\/start\.sh, which comes from ConfigMap vllm-start key start\.sh, and the ConfigMap vllm-start is not looked up at admission/ }], 'admission: the ConfigMap is named');
});

t.test('a later source writing the same path wins (projected.go collectData)', async (t) => {
  const sources = [{ configMap: { name: 'first' } }, { configMap: { name: 'second' } }];
  const r = review(projected(sources), [configMap({ 'start.sh': START }, 'first'), configMap({ 'start.sh': FITS }, 'second')]);
  t.same(parallelism(r), [], 'TP 2 from the second ConfigMap fits 2 GPUs');
  const onlyFirst = review(projected(sources), [configMap({ 'start.sh': START }, 'first'), configMap({ 'other.sh': FITS }, 'second')]);
  t.match(parallelism(onlyFirst), [{ action: 'deny', message: /from ConfigMap first key start\.sh/ }], 'a second ConfigMap without the key leaves the first one\'s file');
  const unknownSecond = review(projected(sources), [configMap({ 'start.sh': START }, 'first')]);
  t.match(parallelism(unknownSecond), [{ action: 'warn', outcome: 'unknown', message: /more than one source may write it \(ConfigMap second, ConfigMap first\)/ }], 'a later ConfigMap not in the input may replace it: unknown');
});

t.test('a file a Secret, the downward API or a token writes is unknown, never a deny', async (t) => {
  const cases: [string, Json[], Json[], RegExp][] = [
    ['a Secret item after the ConfigMap', [{ configMap: { name: 'vllm-start' } }, { secret: { name: 'tokens', items: [{ key: 'start.sh', path: 'start.sh' }] } }], [], /comes from Secret tokens key start\.sh on projected volume scripts, whose values vllm-guard never reads/],
    ['a Secret with the key (check knows its key names)', [{ configMap: { name: 'vllm-start' } }, { secret: { name: 'tokens' } }], [secret], /comes from Secret tokens key start\.sh on projected volume scripts/],
    ['a downward API file', [{ configMap: { name: 'vllm-start' } }, { downwardAPI: { items: [{ path: 'start.sh', fieldRef: { fieldPath: 'metadata.annotations' } }] } }], [], /comes from the downward API on projected volume scripts, whose content is known only in the running pod/],
    ['a service account token', [{ configMap: { name: 'vllm-start' } }, { serviceAccountToken: { path: 'start.sh' } }], [], /comes from a service account token on projected volume scripts/],
  ];
  for (const [what, sources, others] of cases) {
    for (const withSet of [true, false]) {
      const workload = projected(sources, { defaultMode: 0o644 });
      const r = review(workload, withSet ? [configMap({ 'start.sh': START }), ...others] : null);
      const where = `${what} (${withSet ? 'check' : 'admission'})`;
      t.notOk(r.findings.some((f) => f.action === 'deny' && (f.policy === 'gpu-count-matches-parallelism' || f.policy === 'vllm-args-valid')), `${where}: no deny`);
      if (withSet || what !== 'a Secret with the key (check knows its key names)') t.match(parallelism(r), [{ outcome: 'unknown', message: cases.find((c) => c[0] === what)?.[3] }], where);
    }
  }
});

t.test('the mode is the item\'s, else the projected volume\'s defaultMode, else 0644', async (t) => {
  const source = (item: Json = {}): Json[] => [{ configMap: { name: 'vllm-start', items: [{ key: 'start.sh', path: 'start.sh', ...item }] } }];
  const volume = (sources: Json[], extra: Json) => scriptDeployment({ command: ['/scripts/start.sh'] }, { volumes: [{ name: 'scripts', projected: { sources, ...extra } }] });
  for (const others of [[configMap({ 'start.sh': FITS })], null]) {
    const where = others ? 'check' : 'admission';
    t.match(modeDenials(volume(source(), {}), others), [{ action: 'deny', message: /runs \/scripts\/start\.sh without an execute bit \(mode 0644\).*ConfigMap vllm-start key start\.sh, volume scripts/ }], `no defaultMode: 0644 (${where})`);
    t.match(modeDenials(volume(source({ mode: 0o600 }), { defaultMode: 0o755 }), others), [{ message: /mode 0600/ }], `an item's mode over defaultMode (${where})`);
    t.same(modeDenials(volume(source(), { defaultMode: 0o755 }), others), [], `the volume's defaultMode 0755 (${where})`);
    t.same(modeDenials(volume(source({ mode: 0o750 }), {}), others), [], `an item's mode 0750 (${where})`);
    // ConfigMapProjection has no defaultMode: what it does is not known, so nothing is said.
    t.same(modeDenials(volume([{ configMap: { name: 'vllm-start', defaultMode: 0o755 } }], {}), others), [], `a defaultMode on the source, which is no API field (${where})`);
  }
});

t.test('vLLM\'s --config file from a projected ConfigMap source is read', async (t) => {
  const workload = scriptDeployment(
    { image: 'vllm/vllm-openai:v0.10.1.1', args: ['--model', 'Qwen/Qwen3-8B', '--config', '/etc/vllm/config.yaml'], volumeMounts: [{ name: 'config', mountPath: '/etc/vllm' }] },
    { volumes: [{ name: 'config', projected: { sources: [{ configMap: { name: 'vllm-config', items: [{ key: 'serve.yaml', path: 'config.yaml' }] } }] } }] },
  );
  const r = review(workload, [configMap({ 'serve.yaml': 'tensor-parallel-size: 4\n' }, 'vllm-config')]);
  t.match(parallelism(r), [{ action: 'deny', message: /--tensor-parallel-size 4 \(from config file \/etc\/vllm\/config\.yaml\)/ }]);
});
