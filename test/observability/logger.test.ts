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
