/**
 * One cell of the load table: autocannon against one server, one body, one connection count,
 * with latencies taken from every response at sub-millisecond resolution (autocannon's own
 * histogram rounds to whole milliseconds, too coarse for a 5 ms target).
 * @module
 */
import autocannon from 'autocannon';
import { sampleRss } from './processes.js';

export interface CellResult {
  readonly server: string;
  readonly body: string;
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly rssMb: number | null;
}

export interface CellOptions {
  readonly server: string;
  readonly port: number;
  readonly pid: number;
  readonly body: { name: string; json: string };
  readonly connections: number;
  readonly seconds: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export async function runCell(opts: CellOptions): Promise<CellResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const rss = sampleRss(opts.pid);
  let finish: (value: autocannon.Result) => void = () => undefined;
  let fail: (reason: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // The callback form returns the instance, whose 'response' events carry each latency.
  const instance = autocannon({
    url: `https://127.0.0.1:${opts.port}/validate`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: opts.body.json,
    connections: opts.connections,
    pipelining: 1,
    duration: opts.seconds,
    servername: 'localhost',
    timeout: 10,
  }, (err: unknown, result: autocannon.Result) => (err ? fail(err) : finish(result)));
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  });
  const result = await done;
  const rssMb = rss.stop();
  const sorted = latencies.subarray(0, count).sort();
  return {
    server: opts.server,
    body: opts.body.name,
    connections: opts.connections,
    seconds: result.duration,
    requests: count,
    rps: count / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    rssMb,
  };
}
