// Finding 7: durations are checked against Node's timer range (2^31-1 ms) and sensible bounds,
// with an error naming the flag (or the config field), before anything starts.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkAuditInterval, MAX_TIMER_MS, parseCountFlag, parseDurationFlag } from '../../src/server/limits.js';
import { watchDirectories } from '../../src/server/watch.js';
import { createLogSink, createPki } from '../server/helpers.js';
import { runVllmGuard } from './cli-run.js';

t.test('--audit-interval 2200000 (25 days) is refused before serving, naming the flag and the range', async (t) => {
  const dir = t.testdir();
  // Certificate files that do not exist: should the interval pass, serve fails on them instead.
  const run = await runVllmGuard(['serve', '--audit-interval', '2200000', '--port', '0', '--metrics-port', '0', '--host', '127.0.0.1', '--tls-cert', path.join(dir, 'no.crt'), '--tls-key', path.join(dir, 'no.key')]);
  t.equal(run.status, 2);
  t.match(run.stderr, /--audit-interval must be 0 \(off\) or between 10 and 2147483 seconds/);
  t.notMatch(run.stderr, /at .*\.ts:\d+/, 'no stack trace');
});

t.test('audit.interval in the config file is held to the same range, naming the file and field', async (t) => {
  const dir = t.testdir();
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, 'audit:\n  interval: 2200000\n');
  // The config is read once, with the policies, when the webhook starts; it then stops again.
  const pki = await createPki(path.join(dir, 'tls'));
  const run = await runVllmGuard(['serve', '--config', config, '--port', '0', '--metrics-port', '0', '--host', '127.0.0.1', '--tls-cert', pki.certFile, '--tls-key', pki.keyFile]);
  t.equal(run.status, 2);
  t.match(run.stderr, new RegExp(`${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?::\\d+)?: audit.interval must be (?:0 \\(off\\) or between|<= 2147483)`));
});

t.test('checkAuditInterval: 0 is off, the range holds, fractions and overflow are refused', async (t) => {
  t.equal(checkAuditInterval(0, { flag: '--audit-interval' }), 0);
  t.equal(checkAuditInterval(3600, { flag: '--audit-interval' }), 3600);
  t.equal(checkAuditInterval(2_147_483, { flag: '--audit-interval' }), 2_147_483, 'the largest that fits the timer');
  t.ok(2_147_484 * 1000 > MAX_TIMER_MS);
  t.throws(() => checkAuditInterval(2_147_484, { flag: '--audit-interval' }), { code: 'ERR_USAGE' });
  t.throws(() => checkAuditInterval(5, { flag: '--audit-interval' }), /between 10 and/);
  t.throws(() => checkAuditInterval(60.5, { configFile: 'c.yaml' }), { code: 'ERR_CONFIG', message: /^c\.yaml: audit\.interval/ });
});

t.test('duration and count flags: units, ranges, and messages naming the flag', async (t) => {
  t.equal(parseDurationFlag('2s', '--request-timeout'), 2000);
  t.equal(parseDurationFlag('1.5', '--request-timeout'), 1500, 'a bare number is seconds');
  t.equal(parseDurationFlag('750ms', '--idle-timeout'), 750);
  t.equal(parseDurationFlag('2m', '--keep-alive-timeout'), 120_000);
  t.throws(() => parseDurationFlag('60s', '--request-timeout'), { code: 'ERR_USAGE', message: /--request-timeout must be between 100ms and 30s, got "60s"/ });
  t.throws(() => parseDurationFlag('999999999h', '--keep-alive-timeout'), /--keep-alive-timeout must be between/);
  t.throws(() => parseDurationFlag('soon', '--idle-timeout'), /--idle-timeout must be a duration such as 2s or 500ms, got "soon"/);
  t.equal(parseCountFlag('64Mi', '--max-pending-body-bytes'), 64 * 1024 * 1024);
  t.throws(() => parseCountFlag('0', '--max-connections'), /--max-connections must be between 1 and/);
  t.throws(() => parseCountFlag('-1', '--max-body-depth'), /--max-body-depth must be a whole number/);
});

t.test('serve refuses a bad limit flag with exit 2 and the flag named', async (t) => {
  const run = await runVllmGuard(['serve', '--request-timeout', '45s', '--port', '0']);
  t.equal(run.status, 2);
  t.match(run.stderr, /--request-timeout must be between 100ms and 30s/);
});

t.test('the directory watcher refuses a debounce or poll past the timer range', async (t) => {
  const logger = createLogSink().logger;
  const dir = t.testdir();
  t.throws(() => watchDirectories({ dirs: [dir], onChange: () => {}, debounceMs: 2 ** 31, pollMs: 1000, logger }), { name: 'RangeError', message: /debounceMs must be between 0 and 2147483647 ms/ });
  t.throws(() => watchDirectories({ dirs: [dir], onChange: () => {}, debounceMs: 10, pollMs: Number.NaN, logger }), /pollMs/);
});
