/**
 * What the scanner needs from a cluster: one page of one kind at a time. The real one wraps
 * @kubernetes/client-node (kube-lister.ts); tests pass an in-memory one.
 * @module
 */
import type { JsonObject } from '../engine/api.js';
import type { AuditKind } from './kinds.js';

export interface ListRequest {
  /** null = all namespaces. */
  namespace: string | null;
  limit: number;
  continueToken?: string;
}

export interface ListPage {
  /** Objects in their wire shape, with kind and apiVersion filled in. */
  items: JsonObject[];
  continueToken?: string;
  /** The list's resourceVersion, when the API server sent one: a watch starts from it. */
  resourceVersion?: string;
}

export interface Lister {
  list(kind: AuditKind, request: ListRequest): Promise<ListPage>;
  /**
   * The group/versions the API server serves (API discovery, `GET /apis`), e.g. `ray.io/v1`; null
   * when discovery gave no answer. Never throws. Without it (or on null), a CRD is listed anyway and
   * a 404 means its API is not served.
   */
  servedApiVersions?(): Promise<ReadonlySet<string> | null>;
}

/**
 * `truncated`: the audit's own page bounds cut the listing (page-bounds.ts), not a failed call.
 * `out-of-scope`: a cluster-scoped kind, not listed when the audit is limited to one namespace.
 */
export type FailureReason = 'forbidden' | 'unauthorized' | 'missing-api' | 'expired' | 'unreachable' | 'failed' | 'truncated' | 'out-of-scope';

/** A list call that did not succeed, with what a person needs to act on it. */
export class ListFailure extends Error {
  readonly reason: FailureReason;
  readonly status: number | null;

  constructor(reason: FailureReason, status: number | null, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ListFailure';
    this.reason = reason;
    this.status = status;
  }
}

/** The reason for an HTTP status the API server answered. */
export function reasonOfStatus(status: number): FailureReason {
  if (status === 403) return 'forbidden';
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'missing-api';
  // 410 Gone: the continue token expired while we paged (a very large or busy cluster).
  if (status === 410) return 'expired';
  return 'failed';
}
