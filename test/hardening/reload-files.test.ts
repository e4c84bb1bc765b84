// Findings 3 (file part) and 9 (FIFO): what reload reads is checked before a byte is read —
// only regular files, within size limits — so a FIFO cannot hang it and a huge file cannot hold
// the event loop; the last good set keeps serving and the log says which file and why.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createReloader, loadServingState } from '../../src/server/reload.js';
import { SOURCE_LIMITS } from '../../src/server/source-files.js';
import { readTlsMaterial } from '../../src/server/tls.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLogSink, FIXTURE_POLICIES } from '../server/helpers.js';

function policiesCopy(dir: string): string {
  const to = path.join(dir, 'policies');
  cpSync(FIXTURE_POLICIES, to, { recursive: true });
  return to;
}

const mkfifo = (file: string) => execFileSync('mkfifo', [file]);

t.test('a FIFO named like a policy refuses the set at once, naming it (reading it hung forever)', async (t) => {
  const policiesDir = policiesCopy(t.testdir());
  mkfifo(path.join(policiesDir, 'zz-pipe.yaml'));
  t.throws(() => loadServingState({ configFile: null, policiesDir }), {
    code: 'ERR_POLICY',
    message: `${path.join(policiesDir, 'zz-pipe.yaml')}: a FIFO (named pipe), not a regular file; vllm-guard reads only regular files`,
  });
});

t.test('any other FIFO or socket-like file in the policy directory is skipped with a warning', async (t) => {
  const policiesDir = policiesCopy(t.testdir());
  mkfifo(path.join(policiesDir, 'notes'));
  const state = loadServingState({ configFile: null, policiesDir });
  t.ok(state.engine.policies.policies.length > 0);
  t.same(state.sourceWarnings, [`${path.join(policiesDir, 'notes')}: a FIFO (named pipe) in the policy directory, skipped`]);
});

t.test('a config file that is a FIFO, or over the size limit, is refused with file and limit', async (t) => {
  const dir = t.testdir();
  const fifo = path.join(dir, 'config.yaml');
  mkfifo(fifo);
  t.throws(() => loadServingState({ configFile: fifo, policiesDir: FIXTURE_POLICIES }), { code: 'ERR_CONFIG', message: /config\.yaml: the config is a FIFO \(named pipe\); vllm-guard reads only regular files/ });
  const big = path.join(dir, 'big.yaml');
  writeFileSync(big, `waivers: []\n# ${'x'.repeat(SOURCE_LIMITS.maxConfigBytes)}\n`);
  t.throws(() => loadServingState({ configFile: big, policiesDir: FIXTURE_POLICIES }), { code: 'ERR_CONFIG', message: /big\.yaml: the config is 257 KiB, over the limit of 256 KiB/ });
});

t.test('a policy file over the limit is refused with its size and the limit', async (t) => {
  const policiesDir = policiesCopy(t.testdir());
  writeFileSync(path.join(policiesDir, 'huge.yaml'), `# ${'x'.repeat(SOURCE_LIMITS.maxPolicyFileBytes)}\nid: huge\n`);
  t.throws(() => loadServingState({ configFile: null, policiesDir }), { code: 'ERR_POLICY', message: /huge\.yaml: 257 KiB, over the limit of 256 KiB for one policy file/ });
});

t.test('live: a FIFO dropped into the watched directory is refused, the last good set keeps serving', async (t) => {
  const policiesDir = policiesCopy(t.testdir());
  const sink = createLogSink();
  const metrics = createMetrics({ defaultMetrics: false });
  const sources = { configFile: null, policiesDir };
  const reloader = createReloader({ sources, initial: loadServingState(sources), logger: sink.logger, metrics, debounceMs: 10_000, pollMs: 60_000 });
  t.teardown(() => reloader.close());
  const before = reloader.get();
  mkfifo(path.join(policiesDir, 'pipe.yaml'));
  t.equal(reloader.check(), false, 'the reload returns (it used to block on the FIFO)');
  t.equal(reloader.get(), before, 'the last good set serves');
  const line = sink.lines.find((l) => l.msg === 'reload rejected; the last good policy set keeps serving');
  t.match(line?.error, /pipe\.yaml: a FIFO \(named pipe\), not a regular file/);
  t.match(await metrics.registry.metrics(), /vllm_guard_policy_reloads_total\{result="error"\} 1/);
});

t.test('a FIFO in place of the serving certificate is refused, not read', async (t) => {
  const dir = t.testdir();
  const cert = path.join(dir, 'tls.crt');
  mkfifo(cert);
  t.throws(() => readTlsMaterial({ certFile: cert, keyFile: path.join(dir, 'tls.key') }), { code: 'ERR_TLS', message: /tls\.crt: cannot read the certificate.*a FIFO/ });
});
