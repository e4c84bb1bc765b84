// The engine stays pure (no I/O, HTTP, logging, metrics, env) and imports only point downward.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
}

const FORBIDDEN_IN_ENGINE = [/^node:(fs|http|https|net|tls|child_process|worker_threads)/, /^fastify/, /^pino/, /^prom-client/, /^@kubernetes\//];

t.test('the engine imports no I/O, HTTP, logging or metrics module', async (t) => {
  for (const file of sources(path.join(SRC, 'engine'))) {
    const rel = path.relative(SRC, file);
    for (const spec of importsOf(file)) {
      t.notOk(FORBIDDEN_IN_ENGINE.some((re) => re.test(spec)), `${rel} imports ${spec}`);
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec);
      const allowed = target.startsWith(path.join(SRC, 'engine')) || target === path.join(SRC, 'errors.js');
      t.ok(allowed, `${rel} reaches outside the engine: ${spec}`);
    }
    t.notMatch(readFileSync(file, 'utf8'), /process\.env/, `${rel} reads process.env`);
  }
});

// Layers from bottom to top; a module may import its own layer or below.
const LAYER: Record<string, number> = { errors: 0, engine: 1, io: 1, config: 2, policy: 2, 'load-engine': 2, report: 3, admission: 3, tls: 3, observability: 3, audit: 4, server: 4, cli: 5 };

function layerOf(rel: string): number | undefined {
  const top = (rel.split(path.sep)[0] ?? '').replace(/\.[jt]s$/, '');
  return LAYER[top];
}

t.test('imports point downward: cli → server/audit → admission/report → policy/config → engine', async (t) => {
  for (const file of sources(SRC)) {
    const rel = path.relative(SRC, file);
    const own = layerOf(rel);
    t.not(own, undefined, `${rel} sits in a folder with no layer; add it to LAYER`);
    for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
      const theirs = layerOf(target);
      t.ok(own !== undefined && theirs !== undefined && theirs <= own, `${rel} (layer ${own}) imports ${target} (layer ${theirs})`);
    }
  }
});

t.test('outside the engine, only engine/api.ts is imported: one door', async (t) => {
  const api = path.join(SRC, 'engine', 'api.js');
  for (const file of sources(SRC).filter((f) => !f.startsWith(path.join(SRC, 'engine') + path.sep))) {
    const rel = path.relative(SRC, file);
    for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(path.join(SRC, 'engine') + path.sep)) continue;
      t.equal(target, api, `${rel} imports ${spec}: use engine/api.js`);
    }
  }
});

/**
 * Module-level mutable state would be shared by every engine in a process (a reload's old and new,
 * tests): caches belong to the engine object. Constant lookup tables are typed Readonly*.
 */
const MUTABLE_TOP_LEVEL = [
  /^(?:export\s+)?(?:let|var)\s/m,
  /^(?:export\s+)?const\s+\w+\s*(?::(?!\s*Readonly)[^=]+)?=\s*new\s+(?:Map|WeakMap|WeakSet|Set|Ajv)\b/m,
];

t.test('no module in src/ holds top-level mutable state', async (t) => {
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of MUTABLE_TOP_LEVEL) t.notMatch(text, pattern, `${path.relative(SRC, file)}: top-level mutable state`);
  }
});
