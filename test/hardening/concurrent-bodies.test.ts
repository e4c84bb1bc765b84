// Finding 5 (load): 16 worst-case bodies at once keep the server's peak RSS under the pod's
// memory limit (512 MiB, deploy/base/deployment.yaml) and /healthz answering. Runs the built
// `vllm-guard serve` as a child, so the RSS measured is the server's alone (VmHWM, Linux).
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { uninstrumentedEnv } from '../child-env.js';
import { HANG_CEILING_MS } from '../hang-ceiling.js';
import { Agent } from 'node:https';
import { callWebhook, metricValue, scrapeMetrics, SERVICE_NAME, startChildServer } from '../resilience/child-server.js';
import { bigStrings, containerHeavy, envHeavy, issueNestedArrays, nestedArrays, reviewBudgetMax } from './worst-bodies.js';

const POD_MEMORY_LIMIT = 512 * 1024 * 1024;

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  return kb * 1024;
}

/**
 * Polls /healthz from its own process until stdin closes, then prints the latencies (ms) as
 * JSON: the test process is busy encrypting 48 MB of bodies, which would inflate its own timings.
 */
const POLLER = `
import { request, Agent } from 'node:https';
import { readFileSync } from 'node:fs';
const [port, caFile, servername] = process.argv.slice(1);
const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: readFileSync(caFile), servername });
const times = [];
let running = true;
process.stdin.on('end', () => (running = false)).resume();
while (running) {
  const started = performance.now();
  const status = await new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: Number(port), path: '/healthz', agent, servername }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', () => resolve(0));
    req.end();
  });
  if (status === 200) times.push(performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, 10));
}
process.stdout.write(JSON.stringify(times));
agent.destroy();
`;

/**
 * Starts the poller; `stop` closes its stdin and reads its latencies. The test's teardown kills a
 * poller a failed round left running: its pipes would otherwise keep the group's process alive
 * until the group's hang ceiling (a round that failed with ECONNRESET at load 16 held the
 * hardening group for 700 s).
 */
function startPoller(port: number, caFile: string, t: { teardown(fn: () => void): void }): { stop(): Promise<number[]> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', POLLER, String(port), caFile, SERVICE_NAME], { env: uninstrumentedEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(out || '[]') as number[];
    },
  };
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

t.test('16 worst-case bodies at once: RSS under the pod limit, /healthz answering', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, async (t) => {
  // A longer request timeout than the default: 48 MB over loopback TLS on a busy test machine
  // must not turn into 408s or reset connections (with 20 s, a run at load average 15 on 2 cores
  // ended in ECONNRESET after 22 s); 30 s is the flag's maximum. The bodies, not the timeout, are
  // under test here.
  const server = await startChildServer({ dir: t.testdir(), args: ['--request-timeout', '30s'] });
  t.teardown(() => server.stop('SIGKILL'));
  const ca = server.pki.ca.certPem;
  const pid = server.child.pid!;
  const health = new Agent({ keepAlive: true, maxSockets: 1, ca, servername: SERVICE_NAME });
  t.teardown(() => health.destroy());
  const warm = await callWebhook(server.port, undefined, { ca, agent: health, path: '/healthz', method: 'GET' });
  t.equal(warm.status, 200);
  const baseline = peakRss(pid);
  const caFile = path.join(t.testdir(), 'ca.crt');
  writeFileSync(caFile, ca);

  async function round(name: string, bodies: string[]): Promise<{ statuses: number[]; healthMs: number[]; answers: any[] }> {
    await scrapeMetrics(server.metricsPort); // resets the event-loop delay histogram
    const poller = startPoller(server.port, caFile, t);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const agent = new Agent({ keepAlive: false, maxSockets: 64, ca, servername: SERVICE_NAME });
    const replies = await Promise.all(bodies.map((body) => callWebhook(server.port, body, { ca, agent, timeoutMs: 120_000 })));
    const healthMs = await poller.stop();
    const lagMax = metricValue(await scrapeMetrics(server.metricsPort), 'nodejs_eventloop_lag_max_seconds') * 1000;
    agent.destroy();
    t.comment(`${name}: peak RSS ${mb(peakRss(pid))} (baseline ${mb(baseline)}), /healthz max ${Math.max(...healthMs).toFixed(0)} ms over ${healthMs.length} calls, median ${healthMs.sort((a, b) => a - b)[Math.floor(healthMs.length / 2)]?.toFixed(0)} ms; server event-loop delay max ${lagMax.toFixed(0)} ms`);
    return { statuses: replies.map((r) => r.status), healthMs, answers: replies.map((r) => r.body) };
  }

  const refused = await round('16 × the issue 3 MB nested-array body', Array.from({ length: 16 }, (_, i) => issueNestedArrays(`nested-${i}`)));
  t.same([...new Set(refused.statuses)], [400], `each refused before parsing (${refused.statuses.join(' ')})`);
  t.equal(refused.answers[0]?.reason, 'too-many-values');

  const makers: Array<(uid: string) => string> = [bigStrings, (uid) => nestedArrays(undefined, uid), (uid) => envHeavy(undefined, uid), (uid) => containerHeavy(undefined, uid), reviewBudgetMax, reviewBudgetMax, bigStrings, reviewBudgetMax];
  const accepted = await round('16 × the worst bodies the limits accept', Array.from({ length: 16 }, (_, i) => makers[i % makers.length]!(`worst-${i}`)));
  t.same([...new Set(accepted.statuses)], [200], `each answered with an AdmissionReview (${accepted.statuses.join(' ')})`);
  const peak = peakRss(pid);
  t.ok(peak < POD_MEMORY_LIMIT, `peak RSS ${mb(peak)} under the 512 MiB limit`);
  const worstHealth = Math.max(...refused.healthMs, ...accepted.healthMs);
  t.ok(refused.healthMs.length + accepted.healthMs.length > 0, '/healthz answered during the load');
  // Generous: the target is 100 ms on a quiet machine; the figures above are what to read.
  // This ceiling only catches a server that stops answering while it works.
  // (5 s was reached at load average 25 on 2 cores: 5.8 s, event-loop delay 3.7 s.)
  t.ok(worstHealth < HANG_CEILING_MS, `/healthz slowest ${worstHealth.toFixed(0)} ms`);
  const after = await callWebhook(server.port, undefined, { ca, agent: health, path: '/healthz', method: 'GET' });
  t.equal(after.status, 200, 'still serving');
});
