import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { INSTALLABLE, REPO_ROOT } from './kustomize-helpers.js';

// No container engine on the test machines: these read the Dockerfile (and the install guide) as text.
const dockerfile = await readFile(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const dockerignore = (await readFile(join(REPO_ROOT, '.dockerignore'), 'utf8')).split('\n');
const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));
const stages = instructions.filter((line) => line.startsWith('FROM '));
const runtime = instructions.slice(instructions.lastIndexOf(stages.at(-1) ?? ''));

t.test('multi-stage on a pinned Node LTS image', async (t) => {
  t.ok(stages.length >= 2, 'several stages');
  const nodeVersion = /^ARG NODE_VERSION=(\d+)\.\d+\.\d+$/m.exec(dockerfile)?.[1];
  t.ok(nodeVersion !== undefined && Number(nodeVersion) % 2 === 0 && Number(nodeVersion) >= 22, `an even (LTS) Node major, pinned to a patch release: ${nodeVersion}`);
  for (const stage of stages) t.match(stage, /^FROM node:\$\{NODE_VERSION\}-\S+-slim/, stage);
});

t.test('builds with dev dependencies, runs with production ones only', async (t) => {
  t.match(dockerfile, /RUN npm ci --ignore-scripts[^\n]*\n[\s\S]*RUN npm run build/);
  t.match(dockerfile, /RUN npm ci --omit=dev --ignore-scripts/);
  const copies = runtime.filter((line) => line.startsWith('COPY '));
  t.same(copies.map((line) => line.split(' ').at(-1)), ['./node_modules', './dist', './', './policies'], 'runtime gets dist, node_modules, package.json, policies');
  t.notMatch(runtime.join('\n'), /COPY[^\n]*\bsrc\b/, 'no TypeScript sources in the runtime image');
});

t.test('runs as a non-root user and exposes the webhook and metrics ports', async (t) => {
  const user = runtime.find((line) => line.startsWith('USER '));
  t.match(user, /^USER [1-9]\d*:[1-9]\d*$/, 'a numeric non-root user');
  t.ok(runtime.includes('EXPOSE 8443 9090'));
  for (const label of ['title', 'version', 'revision', 'source', 'licenses']) {
    t.match(dockerfile, `org.opencontainers.image.${label}=`, `OCI label ${label}`);
  }
});

t.test('.dockerignore keeps secrets, dependencies and build output out of the context', async (t) => {
  for (const entry of ['node_modules', 'dist', '.git', 'certs', '*.key', '*.pem', 'test']) t.ok(dockerignore.includes(entry), entry);
});

t.test('every `kubectl apply -k` in docs/install.md names a directory the tests render', async (t) => {
  const guide = await readFile(join(REPO_ROOT, 'docs/install.md'), 'utf8');
  const targets = [...guide.matchAll(/kubectl (?:apply|delete) -k ([^\s`]+)/g)].map((m) => m[1] ?? '');
  t.ok(targets.length >= 6, `found ${targets.length} commands`);
  const rendered = new Set<string>([...INSTALLABLE, 'certs/out/overlays/audit', 'certs/out/overlays/warn', 'certs/out/overlays/enforce']);
  for (const target of targets) t.ok(rendered.has(target), target);
});
