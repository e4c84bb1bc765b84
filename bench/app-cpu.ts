/**
 * CPU time per request of the webhook app (Fastify routes, body parser, handler, engine, decision
 * log and metrics; no sockets, no TLS) for two or more builds loaded side by side in one process,
 * in alternating rounds, so that the load of a shared machine falls on all of them alike. Each app is
 * built as `vllm-guard serve` builds it (the bundled policies, the stdout logger at info: run
 * with stdout sent to a file or /dev/null), and answered through `inject`.
 *
 * Usage: node --import tsx bench/app-cpu.ts DIST_A DIST_B ... > /dev/null (figures on stderr)
 * Environment: APP_REQUESTS (2000 per round), APP_ROUNDS (8), APP_BODIES (indexes: 0 passes, 1 denied, 2 Pod).
 * @module
 */
import path from 'node:path';
import { loadBenchBodies } from './bodies.js';
import { median } from './stats.js';

interface Injected {
  statusCode: number;
}
interface App {
  ready(): Promise<unknown>;
  inject(opts: { method: string; url: string; headers: Record<string, string>; payload: string }): Promise<Injected>;
}

const requests = Number(process.env.APP_REQUESTS ?? 2000);
const rounds = Number(process.env.APP_ROUNDS ?? 8);
const bodyIndexes = process.env.APP_BODIES?.split(',').map(Number);

async function buildFrom(dist: string): Promise<App> {
  const load = async <T>(file: string): Promise<T> => (await import(path.join(path.resolve(dist), file))) as T;
  const { buildApp } = await load<{ buildApp: (deps: unknown) => App }>('server/app.js');
  const { loadServingState } = await load<{ loadServingState: (s: unknown) => unknown }>('server/reload.js');
  const { createLogger } = await load<{ createLogger: (o: unknown) => unknown }>('observability/logger.js');
  const { createMetrics } = await load<{ createMetrics: () => unknown }>('observability/metrics.js');
  const state = loadServingState({ configFile: null, policiesDir: null });
  // As serve makes them; a build whose createLogger has no `buffered` option ignores it.
  const app = buildApp({
    logger: createLogger({ level: 'info', buffered: true }),
    metrics: createMetrics(),
    getState: () => state,
    bodyLimit: 3 * 1024 * 1024,
    related: () => undefined,
    workload: () => undefined,
  });
  await app.ready();
  return app;
}

async function main(): Promise<void> {
  const dists = process.argv.slice(2);
  if (dists.length === 0) throw new Error('usage: app-cpu DIST_A [DIST_B ...]');
  const apps = await Promise.all(dists.map(buildFrom));
  const bodies = loadBenchBodies().filter((_b, i) => bodyIndexes === undefined || bodyIndexes.includes(i));
  const figures = new Map<string, number[]>();
  const run = async (app: App, json: string, n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const res = await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'application/json' }, payload: json });
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    }
  };
  for (const app of apps) for (const b of bodies) await run(app, b.json, requests);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? apps.map((a, i) => [a, i] as const) : apps.map((a, i) => [a, i] as const).reverse();
    for (const b of bodies) {
      for (const [app, i] of order) {
        const before = process.cpuUsage();
        await run(app, b.json, requests);
        const used = process.cpuUsage(before);
        const key = `${b.name}\t${i}:${dists[i]}`;
        figures.set(key, [...(figures.get(key) ?? []), (used.user + used.system) / requests]);
      }
    }
  }
  process.stderr.write(`CPU µs per request through inject, ${rounds} rounds of ${requests}\n`);
  for (const [key, values] of [...figures].sort((a, b) => a[0].localeCompare(b[0]))) {
    const [body, name] = key.split('\t');
    process.stderr.write(`${(body ?? '').padEnd(26)} ${(name ?? '').padEnd(24)} median ${median(values).toFixed(1).padStart(7)}  min ${Math.min(...values).toFixed(1).padStart(7)}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`app-cpu failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
