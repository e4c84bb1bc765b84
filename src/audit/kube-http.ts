/**
 * Plain HTTPS requests to the API server with the kubeconfig's credentials, TLS material and agent
 * (KubeConfig.applyToHTTPSOptions: bearer token, exec plugin, client certificate, proxy; the agent
 * is the reused one of agent-reuse.ts). The audit reads lists through this instead of the generated
 * typed APIs: those build model class instances for every field of every object (dates as Date
 * objects), which the audit turned back into JSON with a stringify/parse round trip, about a third
 * of the garbage per page. Here a body is read as bytes and parsed once, and a body the caller does
 * not need (the object a create or replace sends back) is not parsed at all.
 * Failures are ListFailures worded as before (kube-lister.ts toListFailure).
 * @module
 */
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createGunzip } from 'node:zlib';
import type { KubeConfig } from '@kubernetes/client-node';
import { describeError } from '../errors.js';
import { ListFailure, reasonOfStatus } from './lister.js';

/** `application/json`: the whole object or list. */
export const ACCEPT_JSON = 'application/json';

/**
 * Only the metadata of each listed object (PartialObjectMetadataList, meta.k8s.io/v1, served since
 * Kubernetes 1.15 for every resource, custom ones included); `application/json` after it lets a
 * server that does not know it send the whole list instead, as client-go's metadata client asks.
 */
export const ACCEPT_METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** Only the metadata of one object (PartialObjectMetadata), else the whole object. */
export const ACCEPT_METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

export interface KubeHttp {
  /**
   * GET `path` (e.g. `/apis/apps/v1/deployments`) with `query` (undefined values left out) and the
   * JSON body parsed once. Throws a ListFailure: the HTTP status and the Status message the server
   * sent, or `unreachable` when no answer (or no JSON) came back.
   */
  getJson(path: string, query?: Readonly<Record<string, string | number | undefined>>, accept?: string): Promise<unknown>;
  /** POST, PUT or DELETE `path` with a JSON body; the answer's body is read and dropped. Throws as getJson. */
  send(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void>;
}

/** The Status message the API server sent, when the body is one (else the body's start). */
export function statusMessage(body: unknown): string | null {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.trim().slice(0, 300) || null;
    }
  }
  const message = (value as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : null;
}

/**
 * A status outside 2xx as the generated client worded it: `STATUS MESSAGE`; a 401's body was not
 * read (`401 HTTP 401`).
 */
function statusFailure(status: number, body: string): ListFailure {
  const message = status === 401 ? null : statusMessage(body);
  return new ListFailure(reasonOfStatus(status), status, `${status} ${message ?? `HTTP ${status}`}`);
}

/** No answer: worded as node-fetch (under the generated client) worded it, for the same hints. */
function unreachable(url: URL, err: unknown): ListFailure {
  return new ListFailure('unreachable', null, `no answer from the API server (request to ${url.href} failed, reason: ${describeError(err)})`, { cause: err });
}

/** The body's bytes, gunzipped when the server compressed it (it does above 128 KiB when asked). */
function readBody(res: IncomingMessage): Promise<Buffer> {
  const source = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    source.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    });
    source.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length)));
    source.on('error', reject);
    if (source !== res) res.on('error', reject);
  });
}

/** `https://host:6443//` → `https://host:6443`. A loop: `/\/+$/` is quadratic on a run of slashes not at the end. */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end -= 1;
  return url.slice(0, end);
}

/** Requests to the current cluster of `config` (loadKubeConfig made sure there is one). */
export function createKubeHttp(config: KubeConfig): KubeHttp {
  const server = withoutTrailingSlashes(config.getCurrentCluster()?.server ?? '');

  const exchange = async (method: string, path: string, query: Readonly<Record<string, string | number | undefined>> | undefined, accept: string, body: unknown, parse: boolean): Promise<unknown> => {
    const url = new URL(server + path);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const options: RequestOptions = { method, headers: {} };
    // The credentials (an exec plugin may run here), the TLS material and the agent.
    await config.applyToHTTPSOptions(options);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    // The user agent names the tool in the API server's audit log.
    const headers: OutgoingHttpHeaders = { ...(options.headers as OutgoingHttpHeaders | undefined), Accept: accept, 'Accept-Encoding': 'gzip', 'User-Agent': 'vllm-guard' };
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.length;
    }
    options.headers = headers;
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    let res: IncomingMessage;
    let bytes: Buffer;
    try {
      res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = send(url, options, resolve);
        req.on('error', reject);
        req.end(payload);
      });
      if (!parse && res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode <= 299) {
        res.resume();
        await new Promise<void>((resolve, reject) => res.on('end', resolve).on('error', reject));
        return undefined;
      }
      bytes = await readBody(res);
    } catch (err: unknown) {
      throw unreachable(url, err);
    }
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) throw statusFailure(status, bytes.toString('utf8'));
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch (err: unknown) {
      throw unreachable(url, new Error(`the answer is not JSON (${describeError(err)})`, { cause: err }));
    }
  };

  return {
    getJson: (path, query, accept = ACCEPT_JSON) => exchange('GET', path, query, accept, undefined, true),
    async send(method, path, body) {
      await exchange(method, path, undefined, ACCEPT_JSON, body, false);
    },
  };
}

/** The URL path of a resource collection: `/api/v1/…` for the core group, `/apis/GROUP/VERSION/…` else. */
export function collectionPath(apiVersion: string, plural: string, namespace: string | null): string {
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespace === null ? `${root}/${plural}` : `${root}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
}
