// The decision log's cheaper parts print what pino printed: the time stamp text, and counters
// that show every count at every read.
import t from 'tap';
import { Writable } from 'node:stream';
import { createIsoTime, createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';

t.test('the time stamp is pino isoTime text, across seconds, days and years', async (t) => {
  const instants = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 59_999, 86_399_999, 951_782_400_000, 1_764_451_200_123, 1_764_451_200_999, 1_764_451_201_000, 4_102_444_799_999];
  // One clock read per call; the same logger sees instants in order, as a real clock gives them.
  let now = 0;
  const time = createIsoTime(() => now);
  for (const instant of instants) {
    now = instant;
    t.equal(time(), `,"time":"${new Date(instant).toISOString()}"`, String(instant));
  }
  // Backwards (a clock step) and within one second again.
  for (const instant of [1_764_451_200_500, 1_000, 1_764_451_200_007]) {
    now = instant;
    t.equal(time(), `,"time":"${new Date(instant).toISOString()}"`, String(instant));
  }
});

t.test('a logger line carries the time as pino printed it', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const before = Date.now();
  createLogger({ destination: sink }).info({ uid: 'u-1' }, 'admission reviewed');
  const line = JSON.parse(lines[0] ?? '{}') as { time?: string; uid?: string; msg?: string };
  t.match(line, { uid: 'u-1', msg: 'admission reviewed' });
  t.ok(line.time !== undefined && Date.parse(line.time) >= Math.floor(before / 1000) * 1000, 'an ISO time of now');
  t.equal(new Date(Date.parse(line.time ?? '')).toISOString(), line.time, 'in toISOString form');
});

t.test('counted requests and findings show at every read, series in first-counted order', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  metrics.countRequest('CREATE', 'Pod', 'skip', 'false');
  metrics.countRequest('CREATE', 'Deployment', 'deny', 'true');
  metrics.countRequest('CREATE', 'Pod', 'skip', 'false');
  metrics.countFinding('image-pinned', 'deny');
  const first = await metrics.registry.metrics();
  t.match(first, /vllm_guard_admission_requests_total\{operation="CREATE",kind="Pod",decision="skip",dry_run="false"\} 2\n.*kind="Deployment",decision="deny",dry_run="true"\} 1/s);
  t.match(first, /vllm_guard_policy_findings_total\{policy="image-pinned",action="deny"\} 1/);
  metrics.countRequest('UPDATE', 'Pod', 'allow', 'false');
  metrics.countRequest('CREATE', 'Deployment', 'deny', 'true');
  const second = (await metrics.requests.get()).values.map((v) => `${v.labels.operation} ${v.labels.kind} ${v.value}`);
  t.same(second, ['CREATE Pod 2', 'CREATE Deployment 2', 'UPDATE Pod 1']);
});

t.test('a decision line is the text pino printed for the same fields, in order with other lines', async (t) => {
  const { createDecisionLog } = await import('../../src/observability/decision-log.js');
  const capture = () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    return { lines, logger: createLogger({ destination: sink }) };
  };
  const base = {
    uid: 'u-"1"\\',
    operation: 'CREATE',
    kind: 'Deployment',
    namespace: 'ml\tteam',
    name: 'llama-70b\n',
    user: 'system:serviceaccount:argocd:argocd-application-controller ✓',
    decision: 'deny',
    policies: ['image-pinned', 'gpu-count-matches-parallelism'],
    dry_run: true,
    duration_ms: 0.123,
    route: '/validate',
  };
  const lines = [base, { ...base, policies: [], dry_run: false, decision: 'skip', skip: 'not-vllm' }, { ...base, template_unchanged: true }, { ...base, duration_ms: 12, name: 'x'.repeat(150) }];
  for (const line of lines) {
    const ours = capture();
    const theirs = capture();
    createDecisionLog(ours.logger).info(line);
    theirs.logger.info(line, 'admission reviewed');
    // The time stamps differ by when each was taken.
    const untimed = (text: string | undefined) => text?.replace(/"time":"[^"]*"/, '"time":"-"');
    t.equal(untimed(ours.lines[0]), untimed(theirs.lines[0]), line.decision);
  }
  const quiet = capture();
  quiet.logger.level = 'warn';
  createDecisionLog(quiet.logger).info(base);
  t.same(quiet.lines, [], 'nothing below info');
  const ordered = capture();
  const decisions = createDecisionLog(ordered.logger);
  ordered.logger.info('first');
  decisions.info(base);
  ordered.logger.warn('third');
  t.same(ordered.lines.map((line) => (JSON.parse(line) as { msg: string }).msg), ['first', 'admission reviewed', 'third'], 'one stream, in order');
});
