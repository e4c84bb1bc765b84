/**
 * A STAND-IN for the kube-apiserver (there is no kube-apiserver binary on these machines):
 * HTTPS with a test CA, bearer-token auth, the list endpoints of the kinds the audit reads
 * serving the JSON fixtures in test/fixtures/audit page by page (`limit`/`continue`), a 403
 * Status for the kinds told to forbid, a 404 for API groups told to be missing (a CRD that is
 * not installed), API discovery (`GET /apis`: the groups of the fixtures' lists, as a cluster with
 * those CRDs installed answers), and PolicyReports and Leases stored in memory with resourceVersion checks.
 * Also: generated collections served lazily page by page (the scale bench, bench/audit.ts),
 * `?watch=1` (or `watch=true`, as client-node sends it) streaming the events of change() as JSON lines,
 * metadata-only answers (PartialObjectMetadataList / PartialObjectMetadata, when the Accept header's
 * first type asks for one, as the API server does for every resource), `labelSelector` (equality
 * terms) on stored objects, gzip when asked, and 410 Gone on a continue token when told to expire it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createCertificateAuthority, issueServingCertificate } from '../../src/tls/certificates.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/audit');
/** An InferenceService and a RayCluster: a cluster with KServe and KubeRay installed (fixtureDirs). */
export const SERVING_FIXTURES = path.join(FIXTURES, 'serving');
export const TOKEN = 'stand-in-token-4f1d';

type Json = Record<string, unknown>;

export interface StandInOptions {
  /** Plurals answered with 403 (e.g. daemonsets). */
  forbidden?: string[];
  /** API group/version prefixes answered with 404 (e.g. leaderworkerset.x-k8s.io/v1), and left out of discovery. */
  missingGroups?: string[];
  /** More fixture directories (SERVING_FIXTURES): their lists are served, their groups discovered. */
  fixtureDirs?: string[];
  /** Answer `GET /apis` with 403, as a proxy that refuses discovery: the audit then learns from the lists. */
  refuseDiscovery?: boolean;
  /**
   * Generated collections served INSTEAD of the fixtures for these plurals (the scale bench and the
   * page test): `count` objects made one at a time by `item(index)`, never all held at once, paged
   * by `limit` with the offset as the continue token.
   */
  generated?: Record<string, GeneratedCollection>;
  /** With `generated`: every other list answers empty instead of serving the fixtures. */
  onlyGenerated?: boolean;
  /** Plurals whose continue tokens have expired: a list with one answers 410 Gone, as an API server after etcd compaction. */
  expiredContinue?: string[];
  /** Compress list bodies with gzip when the client accepts it (an API server does above 128 KiB). */
  gzip?: boolean;
  /** Answer as a server that does not know PartialObjectMetadata: whole objects, whatever the Accept header asks. */
  wholeObjectsOnly?: boolean;
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
  /** The Accept header ('' when none). */
  accept: string;
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
function loadPages(dirs: readonly string[]): Map<string, Json[]> {
  const pages = new Map<string, Json[]>();
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((f) => /\.page\d+\.json$/.test(f)).sort()) {
      const plural = file.split('.')[0] as string;
      const list = pages.get(plural) ?? [];
      list.push(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Json);
      pages.set(plural, list);
    }
  }
  return pages;
}

/**
 * An APIGroupList of the groups whose lists the fixtures or the generated collections hold (core `v1`
 * is not a group), without the missing ones.
 */
function discovery(pages: Map<string, Json[]>, missing: readonly string[], generated: readonly GeneratedCollection[] = []): Json {
  const listed = [...pages.values()].map((list) => (list[0] as Json).apiVersion as string);
  const made = generated.filter((g) => g.count > 0).map((g) => g.item(0).apiVersion as string);
  const groupVersions = new Set([...listed, ...made].filter((gv) => typeof gv === 'string' && gv.includes('/') && !missing.includes(gv)));
  const groups = [...groupVersions].sort().map((groupVersion) => {
    const [name, version] = groupVersion.split('/') as [string, string];
    return { name, versions: [{ groupVersion, version }], preferredVersion: { groupVersion, version } };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

function status(code: number, reason: string, message: string, details: Json = {}): Json {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

function send(res: ServerResponse, code: number, body: Json): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A list body, gzipped when the stand-in compresses and the client accepts it. */
function sendText(req: IncomingMessage, res: ServerResponse, text: string, gzip: boolean): void {
  if (gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync(text));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(text);
}

/**
 * True when the Accept header's first media type asks for `as` (PartialObjectMetadataList or
 * PartialObjectMetadata) in meta.k8s.io/v1: the API server serves the first type it knows.
 */
function asks(req: IncomingMessage, as: string): boolean {
  const first = String(req.headers.accept ?? '').split(',')[0] ?? '';
  const params = new Set(first.split(';').slice(1).map((p) => p.trim()));
  return params.has(`as=${as}`) && params.has('g=meta.k8s.io') && params.has('v=v1');
}

const META = 'meta.k8s.io/v1';

/** An object as PartialObjectMetadata: its metadata only. */
const metadataOf = (item: Json): Json => ({ kind: 'PartialObjectMetadata', apiVersion: META, metadata: item.metadata });

/** A list body as PartialObjectMetadataList, when asked. */
function asMetadataList(req: IncomingMessage, list: Json): Json {
  if (!asks(req, 'PartialObjectMetadataList')) return list;
  return { kind: 'PartialObjectMetadataList', apiVersion: META, metadata: list.metadata, items: (list.items as Json[]).map(metadataOf) };
}

/** Equality terms of a label selector (`a=b,c==d`); other operators are not served by the stand-in. */
function matchesSelector(item: Json, selector: string | null): boolean {
  if (!selector) return true;
  const labels = ((item.metadata as Json | undefined)?.labels ?? {}) as Record<string, string>;
  return selector.split(',').every((term) => {
    const [key, value] = term.split(/==?/) as [string, string | undefined];
    if (value === undefined) throw new Error(`stand-in: label selector term ${term} not served`);
    return labels[key.trim()] === value.trim();
  });
}

const EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

async function readBody(req: IncomingMessage): Promise<Json> {
  // Bytes first: a character of several bytes may be split between two chunks.
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
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

function handleStored(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray, objects: Map<string, Json>, body: Json | null, query: URLSearchParams): void {
  const [, groupVersion, namespace, plural, name] = match;
  const group = (groupVersion as string).split('/')[0];
  const prefix = `${group}/${plural}/`;
  const key = (ns: string, n: string) => `${prefix}${ns}/${n}`;
  if (req.method === 'GET' && !name) {
    const all = [...objects.entries()].filter(([k, v]) => k.startsWith(namespace ? `${prefix}${namespace}/` : prefix) && matchesSelector(v, query.get('labelSelector'))).map(([, v]) => v);
    // limit/continue as the API server pages them (the offset is the token).
    const offset = Number(query.get('continue') ?? '0');
    const limit = Number(query.get('limit') ?? '0') || all.length;
    const items = all.slice(offset, offset + limit);
    const more = offset + limit < all.length ? { continue: String(offset + limit) } : {};
    send(res, 200, asMetadataList(req, { apiVersion: groupVersion, kind: plural === 'leases' ? 'LeaseList' : 'PolicyReportList', metadata: { resourceVersion: '9', ...more }, items }));
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
  if (req.method === 'GET') return send(res, 200, asks(req, 'PartialObjectMetadata') ? metadataOf(existing) : existing);
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
  const pages = loadPages([FIXTURES, ...(options.fixtureDirs ?? [])]);
  const requests: RequestRecord[] = [];
  const objects = new Map<string, Json>();
  // Changes made through change(), by plural then namespace/name (null: deleted); the watches open now.
  const changes = new Map<string, Map<string, Json | null>>();
  const watches = new Map<string, Set<ServerResponse>>();
  let version = 481516;
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://stand-in');
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, accept: String(req.headers.accept ?? '') });
    if (options.wholeObjectsOnly) req.headers.accept = 'application/json';
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    if (req.method === 'GET' && (url.pathname === '/apis' || url.pathname === '/apis/')) {
      if (options.refuseDiscovery) return send(res, 403, status(403, 'Forbidden', 'forbidden: User "system:serviceaccount:ci:auditor" cannot get path "/apis"'));
      return send(res, 200, discovery(pages, options.missingGroups ?? [], Object.values(options.generated ?? {})));
    }
    const groupVersion = /^\/apis\/([^/]+\/[^/]+)/.exec(url.pathname)?.[1];
    if (groupVersion && options.missingGroups?.includes(groupVersion)) {
      return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    }
    const stored = STORED.exec(url.pathname);
    if (stored) return handleStored(req, res, stored, objects, req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : null, url.searchParams);
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
      if (url.searchParams.get('continue') && options.expiredContinue?.includes(plural)) return send(res, 410, status(410, 'Expired', EXPIRED));
      const source = options.generated?.[plural] ?? (options.onlyGenerated ? { count: 0, item: () => ({}) } : undefined);
      if (source) {
        const page = generatedPage(plural, source, url.searchParams, namespace, String(version));
        return sendText(req, res, asks(req, 'PartialObjectMetadataList') ? JSON.stringify(asMetadataList(req, JSON.parse(page) as Json)) : page, options.gzip === true);
      }
      const kindPages = pages.get(plural);
      if (kindPages) return sendText(req, res, JSON.stringify(asMetadataList(req, servePage(kindPages, url.searchParams, namespace, changes.get(plural), String(version)))), options.gzip === true);
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
