/**
 * Bounds on the audit's page loop, so an API server that misbehaves (a `continue` token that
 * never ends, or comes back again) cannot keep the audit listing forever: one such server
 * drew 6,616 calls and 392 MB in 40 s. Each bound that cuts a listing leaves a gap saying
 * what was cut and after how much.
 * @module
 */
import type { AuditGap } from './gaps.js';
import type { AuditKind } from './kinds.js';

export interface PageBounds {
  /** Pages of one kind before the listing stops. */
  readonly maxPagesPerKind: number;
  /** Objects of all kinds together before the audit stops listing. */
  readonly maxObjects: number;
}

/**
 * 2,000 pages of audit.pageSize (500 by default) is a million objects of one kind; half a
 * million objects of all kinds is well past the largest clusters Kubernetes supports
 * (150,000 pods: kubernetes.io "Considerations for large clusters").
 */
export const DEFAULT_PAGE_BOUNDS: PageBounds = { maxPagesPerKind: 2_000, maxObjects: 500_000 };

export type PageCut = 'repeated-continue' | 'page-limit' | 'object-limit';

function scope(namespace: string | null): string {
  return namespace === null ? 'cluster-wide' : `in namespace ${namespace}`;
}

const HINTS: Readonly<Record<PageCut, string>> = {
  'repeated-continue': 'the API server sent a continue token it had sent before, which would list the same pages forever; check the API server (or an aggregated API or proxy in front of it) and run the audit again',
  'page-limit': 'a larger audit.pageSize makes fewer pages; if the count is far above what the cluster holds, the API server keeps sending continue tokens and needs checking',
  'object-limit': 'audit the namespaces one at a time with -n; if the count is far above what the cluster holds, the API server needs checking',
};

/** The gap for a listing the bounds cut short; `listedBefore` objects of this kind were checked. */
export function pageCutGap(kind: AuditKind, namespace: string | null, cut: PageCut, detail: { pages: number; listedBefore: number; bounds: PageBounds }): AuditGap {
  const what: Record<PageCut, string> = {
    'repeated-continue': `the same continue token came back after ${detail.pages} pages`,
    'page-limit': `stopped after ${detail.pages} pages, the limit per kind`,
    'object-limit': `stopped at ${detail.bounds.maxObjects} objects in all, the limit per audit, and the kinds after it were not listed`,
  };
  return {
    kind: kind.kind,
    namespace,
    reason: 'truncated',
    status: null,
    message: `listing ${kind.kind} ${scope(namespace)} was cut short: ${what[cut]}; ${detail.listedBefore} ${kind.kind} objects were checked`,
    hint: HINTS[cut],
    incomplete: true,
    listedBefore: detail.listedBefore,
  };
}
