/**
 * A STAND-IN for the kube-apiserver (there is no kube-apiserver binary on these machines):
 * HTTPS with a test CA, bearer-token auth, the list endpoints of the kinds the audit reads
 * serving the JSON fixtures in test/fixtures/audit page by page (`limit`/`continue`), a 403
 * Status for the kinds told to forbid, a 404 for API groups told to be missing (a CRD that is
 * not installed), and PolicyReports and Leases stored in memory with resourceVersion checks.
 * Also: generated collections served lazily page by page (the scale bench, bench/audit.ts), and
 * `?watch=1` (or `watch=true`, as client-node sends it) streaming the events of change() as JSON lines.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createCertificateAuthority, issueServingCertificate } from '../../src/tls/certificates.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/audit');
export const TOKEN = 'stand-in-token-4f1d';

type Json = Record<string, unknown>;

export interface StandInOptions {
  /** Plurals answered with 403 (e.g. daemonsets). */
  forbidden?: string[];
  /** API group/version prefixes answered with 404 (e.g. leaderworkerset.x-k8s.io/v1). */
  missingGroups?: string[];
  /**
   * Generated collections served INSTEAD of the fixtures for these plurals (the scale bench and the
   * page test): `count` objects made one at a time by `item(index)`, never all held at once, paged
   * by `limit` with the offset as the continue token.
   */
  generated?: Record<string, GeneratedCollection>;
  /** With `generated`: every other list answers empty instead of serving the fixtures. */
  onlyGenerated?: boolean;
}

export interface GeneratedCollection {
  count: number;
  item(index: number): Json;
}

/** One watch event the stand-in sends (ADDED, MODIFIED, DELETED), to every open watch on the plural. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface RequestRecord {
  method: string;
  path: string;
  query: URLSearchParams;
}

export interface KubeStandIn {
  url: string;
  caPem: string;
  requests: RequestRecord[];
  /** Stored custom objects by `group/plural/namespace/name` (PolicyReports, Leases). */
  objects: Map<string, Json>;
  /** Watch connections open now, by plural. */
  watching(plural: string): number;
  /**
   * Changes an object of a listed plural as a controller would: later lists show it (an ADDED or
   * MODIFIED object replaces the one with the same namespace/name or is appended; DELETED drops
   * it) and every open watch on the plural gets the event as one JSON line.
   */
  change(plural: string, type: WatchEventType, object: Json): void;
  kubeconfig(): string;
  close(): Promise<void>;
}

/** plural → pages, in order; page N's metadata.continue names page N+1. */
function loadPages(): Map<string, Json[]> {
  const pages = new Map<string, Json[]>();
  for (const file of readdirSync(FIXTURES).filter((f) => /\.page\d+\.json$/.test(f)).sort()) {
    const plural = file.split('.')[0] as string;
    const list = pages.get(plural) ?? [];
    list.push(JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Json);
    pages.set(plural, list);
  }
  return pages;
}

function status(code: number, reason: string, message: string, details: Json = {}): Json {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

function send(res: ServerResponse, code: number, body: Json): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Json> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as Json;
}

const LIST = /^\/(?:api\/v1|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?\/([a-z]+)$/;
const STORED = /^\/apis\/(wgpolicyk8s\.io\/v1alpha2|openreports\.io\/v1alpha1|coordination\.k8s\.io\/v1)(?:\/namespaces\/([^/]+))?\/(policyreports|reports|leases)(?:\/([^/]+))?$/;

const keyOf = (item: Json): string => `${String((item.metadata as Json).namespace)}/${String((item.metadata as Json).name)}`;

/** Items of a page with the changes made through change() applied; the last page also gets the added objects. */
function applyChanges(items: Json[], changed: Map<string, Json | null> | undefined, listed: Set<string> | null): Json[] {
  if (!changed?.size) return items;
  const out: Json[] = [];
  for (const item of items) {
    const key = keyOf(item);
    const replaced = changed.has(key) ? changed.get(key) : item;
    if (replaced) out.push(replaced);
  }
  if (listed) for (const [key, item] of changed) if (item && !listed.has(key)) out.push(item);
  return out;
}

const allKeys = (pages: Json[]): Set<string> => new Set(pages.flatMap((p) => (p.items as Json[]).map(keyOf)));

function servePage(pages: Json[], query: URLSearchParams, namespace: string | undefined, changed: Map<string, Json | null> | undefined, version: string): Json {
  const first = pages[0] as Json;
  if (namespace) {
    // Filtered lists come back in one page: enough for -n.
    const items = applyChanges(pages.flatMap((p) => p.items as Json[]), changed, allKeys(pages)).filter((i) => (i.metadata as Json).namespace === namespace);
    return { ...first, metadata: { resourceVersion: version }, items };
  }
  const token = query.get('continue');
  const index = token ? pages.findIndex((p) => (p.metadata as Json).continue === token) + 1 : 0;
  const page = pages[index];
  if (index < 0 || !page) throw new Error(`stand-in: unknown continue token ${token}`);
  const metadata = { ...(page.metadata as Json), resourceVersion: version };
  return { ...page, metadata, items: applyChanges(page.items as Json[], changed, index === pages.length - 1 ? allKeys(pages) : null) };
}

/** One page of a generated collection: the JSON text is built item by item, so the stand-in holds one page at a time. */
function generatedPage(plural: string, source: GeneratedCollection, query: URLSearchParams, namespace: string | undefined, version: string): string {
  const offset = Number(query.get('continue') ?? '0');
  const limit = Number(query.get('limit') ?? '0') || source.count;
  const parts: string[] = [];
  let index = offset;
  for (; index < source.count && parts.length < limit; index++) {
    const item = source.item(index);
    if (!namespace || (item.metadata as Json).namespace === namespace) parts.push(JSON.stringify(item));
  }
  const more = index < source.count ? `,"continue":"${index}"` : '';
  return `{"kind":"${plural}List","apiVersion":"v1","metadata":{"resourceVersion":"${version}"${more}},"items":[${parts.join(',')}]}`;
}

function handleStored(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray, objects: Map<string, Json>, body: Json | null): void {
  const [, groupVersion, namespace, plural, name] = match;
  const group = (groupVersion as string).split('/')[0];
  const prefix = `${group}/${plural}/`;
  const key = (ns: string, n: string) => `${prefix}${ns}/${n}`;
  if (req.method === 'GET' && !name) {
    const items = [...objects.entries()].filter(([k]) => k.startsWith(namespace ? `${prefix}${namespace}/` : prefix)).map(([, v]) => v);
    send(res, 200, { apiVersion: groupVersion, kind: plural === 'leases' ? 'LeaseList' : 'PolicyReportList', metadata: { resourceVersion: '9' }, items });
    return;
  }
  if (!namespace) return send(res, 405, status(405, 'MethodNotAllowed', 'stand-in: namespaced only'));
  if (req.method === 'POST' && body) {
    const n = (body.metadata as Json).name as string;
    if (objects.has(key(namespace, n))) return send(res, 409, status(409, 'AlreadyExists', `${plural} "${n}" already exists`));
    const stored = { ...body, metadata: { ...(body.metadata as Json), namespace, resourceVersion: '1', uid: `uid-${n}` } };
    objects.set(key(namespace, n), stored);
    return send(res, 201, stored);
  }
  const existing = name ? objects.get(key(namespace, name)) : undefined;
  if (!existing || !name) return send(res, 404, status(404, 'NotFound', `${plural} "${name}" not found`, { name, group, kind: plural }));
  if (req.method === 'GET') return send(res, 200, existing);
  if (req.method === 'DELETE') {
    objects.delete(key(namespace, name));
    return send(res, 200, status(200, '', 'deleted'));
  }
  if (req.method === 'PUT' && body) {
    const version = (existing.metadata as Json).resourceVersion as string;
    const sent = (body.metadata as Json).resourceVersion;
    if (sent !== version) return send(res, 409, status(409, 'Conflict', `the object has been modified; please apply your changes to the latest version`));
    const stored = { ...body, metadata: { ...(body.metadata as Json), namespace, resourceVersion: String(Number(version) + 1), uid: (existing.metadata as Json).uid } };
    objects.set(key(namespace, name), stored);
    return send(res, 200, stored);
  }
  send(res, 405, status(405, 'MethodNotAllowed', `stand-in: ${req.method} not supported`));
}

export async function startKubeStandIn(options: StandInOptions = {}): Promise<KubeStandIn> {
  const ca = await createCertificateAuthority({ commonName: 'stand-in cluster CA' });
  const serving = await issueServingCertificate(ca, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const pages = loadPages();
  const requests: RequestRecord[] = [];
  const objects = new Map<string, Json>();
  // Changes made through change(), by plural then namespace/name (null: deleted); the watches open now.
  const changes = new Map<string, Map<string, Json | null>>();
  const watches = new Map<string, Set<ServerResponse>>();
  let version = 481516;
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://stand-in');
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    const groupVersion = /^\/apis\/([^/]+\/[^/]+)/.exec(url.pathname)?.[1];
    if (groupVersion && options.missingGroups?.includes(groupVersion)) {
      return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    }
    const stored = STORED.exec(url.pathname);
    if (stored) return handleStored(req, res, stored, objects, req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : null);
    const list = LIST.exec(url.pathname);
    if (req.method === 'GET' && list) {
      const [, gv, namespace, plural] = list as unknown as [string, string | undefined, string | undefined, string];
      if (options.forbidden?.includes(plural)) {
        const group = gv?.split('/')[0] ?? '';
        const where = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
        return send(res, 403, status(403, 'Forbidden', `${plural}${group ? `.${group}` : ''} is forbidden: User "system:serviceaccount:ci:auditor" cannot list resource "${plural}" in API group "${group}" ${where}`, { group, kind: plural }));
      }
      const watch = url.searchParams.get('watch');
      if (watch === '1' || watch === 'true') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        const open = watches.get(plural) ?? new Set();
        watches.set(plural, open.add(res));
        res.on('close', () => open.delete(res));
        return;
      }
      const source = options.generated?.[plural] ?? (options.onlyGenerated ? { count: 0, item: () => ({}) } : undefined);
      if (source) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(generatedPage(plural, source, url.searchParams, namespace, String(version)));
        return;
      }
      const kindPages = pages.get(plural);
      if (kindPages) return send(res, 200, servePage(kindPages, url.searchParams, namespace, changes.get(plural), String(version)));
    }
    send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
  };
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    handler(req, res).catch((err: unknown) => send(res, 500, status(500, 'InternalError', String(err))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    caPem: ca.certPem,
    requests,
    objects,
    watching: (plural) => watches.get(plural)?.size ?? 0,
    change(plural, type, object) {
      version += 1;
      const stored = { ...object, metadata: { ...(object.metadata as Json), resourceVersion: String(version) } };
      const changed = changes.get(plural) ?? new Map<string, Json | null>();
      changes.set(plural, changed.set(keyOf(stored), type === 'DELETED' ? null : stored));
      for (const res of watches.get(plural) ?? []) res.write(`${JSON.stringify({ type, object: stored })}\n`);
    },
    kubeconfig: () =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '  - name: stand-in',
        `    cluster: { server: "${url}", certificate-authority-data: ${Buffer.from(ca.certPem).toString('base64')} }`,
        'users:',
        `  - name: auditor`,
        `    user: { token: ${TOKEN} }`,
        'contexts:',
        '  - name: stand-in',
        '    context: { cluster: stand-in, user: auditor }',
        'current-context: stand-in',
        '',
      ].join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
