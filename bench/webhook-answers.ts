/**
 * Every answer the webhook app gives over a corpus of AdmissionReviews, as text, so two builds
 * can be compared byte for byte (`diff`) after a change to the request path. The corpus: every
 * AdmissionReview JSON under test/fixtures, examples and /work/shared/cases, the load bench's
 * bodies, and every Kubernetes object in the YAML there, sent as CREATE, as an UPDATE with the
 * same object stored (template unchanged) and as an UPDATE from an empty stored object, on each
 * review route; plus a few malformed bodies. Each answer: route, HTTP status, content-type and
 * body. Then the decision log lines (time and duration dropped) and the metrics (counters only).
 *
 * Usage: node --import tsx bench/webhook-answers.ts DIST > answers.txt
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { findRepoRoot, loadBenchBodies } from './bodies.js';

interface Injected {
  statusCode: number;
  headers: Record<string, unknown>;
  payload: string;
}
interface App {
  ready(): Promise<unknown>;
  inject(opts: { method: string; url: string; headers: Record<string, string>; payload: string }): Promise<Injected>;
  close(): Promise<unknown>;
}

function walk(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    if (name === 'node_modules' || name === 'results') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

function review(object: Record<string, unknown>, operation: 'CREATE' | 'UPDATE', oldObject: unknown, uid: string): string {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : 'v1';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const metadata = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group, version, kind: object.kind },
      name: metadata.name,
      namespace: metadata.namespace ?? 'default',
      operation,
      userInfo: { username: 'alice' },
      object,
      oldObject,
      dryRun: false,
    },
  });
}

async function main(): Promise<void> {
  const dist = path.resolve(process.argv[2] ?? 'dist');
  const root = findRepoRoot();
  const load = async <T>(file: string): Promise<T> => (await import(path.join(dist, file))) as T;
  const { buildApp } = await load<{ buildApp: (deps: unknown) => App }>('server/app.js');
  const { loadServingState } = await load<{ loadServingState: (s: unknown) => unknown }>('server/reload.js');
  const { createLogger } = await load<{ createLogger: (o: unknown) => unknown }>('observability/logger.js');
  const { createMetrics } = await load<{ createMetrics: (o: unknown) => { registry: { getMetricsAsJSON(): Promise<Array<{ name: string; type: string; values: unknown[] }>> } } }>('observability/metrics.js');
  const { parseDocuments } = await load<{ parseDocuments: (t: string) => Array<{ value: unknown }> }>('io/yaml.js');

  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') logLines.push(line);
      done();
    },
  });
  const logger = createLogger({ destination: sink });
  const metrics = createMetrics({ defaultMetrics: false });
  const state = loadServingState({ configFile: null, policiesDir: null });
  const app = buildApp({
    logger,
    metrics,
    getState: () => state,
    bodyLimit: 3 * 1024 * 1024,
    now: () => new Date('2026-11-29T12:00:00Z'),
    clock: () => 0,
    related: () => undefined,
    workload: () => undefined,
  });
  await app.ready();

  const bodies: Array<[string, string]> = [];
  for (const b of loadBenchBodies(root)) bodies.push([`bench: ${b.name}`, b.json]);
  const files = [...walk(path.join(root, 'test')), ...walk(path.join(root, 'examples')), ...walk(path.join(root, 'bench', 'fixtures')), ...walk('/work/shared/cases')];
  let n = 0;
  for (const file of files) {
    const rel = path.relative(root, file);
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) {
      if (text.includes('"AdmissionReview"')) bodies.push([rel, text]);
      continue;
    }
    if (!file.endsWith('.yaml') && !file.endsWith('.yml')) continue;
    let docs: Array<{ value: unknown }>;
    try {
      docs = parseDocuments(text);
    } catch {
      continue;
    }
    for (const [i, doc] of docs.entries()) {
      const object = doc.value as Record<string, unknown> | null;
      if (object === null || typeof object !== 'object' || Array.isArray(object) || typeof object.kind !== 'string') continue;
      n += 1;
      const uid = `uid-${n}`;
      bodies.push([`${rel}#${i} CREATE`, review(object, 'CREATE', null, uid)]);
      bodies.push([`${rel}#${i} UPDATE same`, review(object, 'UPDATE', object, uid)]);
      bodies.push([`${rel}#${i} UPDATE from empty`, review(object, 'UPDATE', { kind: object.kind, apiVersion: object.apiVersion, metadata: {} }, uid)]);
    }
  }
  bodies.push(['malformed: not JSON', '{"apiVersion":'], ['malformed: array', '[]'], ['malformed: wrong kind', '{"kind":"Pod"}']);
  bodies.push(['malformed: no uid', '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}}']);
  bodies.push(['malformed: proto', '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","__proto__":{"x":1},"request":{"uid":"p","operation":"DELETE","kind":{"kind":"Pod"}}}']);

  const routes = ['/validate', '/validate/warn', '/validate/audit', '/validate/enforce'];
  const out: string[] = [];
  for (const [name, payload] of bodies) {
    for (const url of routes) {
      const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
      out.push(`${name} ${url} ${res.statusCode} ${String(res.headers['content-type'])}\n${res.payload}`);
    }
  }
  for (const line of logLines) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    delete parsed.time;
    delete parsed.duration_ms;
    delete parsed.pid;
    delete parsed.hostname;
    out.push(`log ${JSON.stringify(parsed)}`);
  }
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    if (metric.type !== 'counter') continue;
    out.push(`metric ${metric.name} ${JSON.stringify(metric.values)}`);
  }
  await app.close();
  process.stdout.write(`${out.join('\n')}\n`);
  process.stderr.write(`${bodies.length} bodies × ${routes.length} routes\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`webhook-answers failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
