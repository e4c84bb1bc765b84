/**
 * What the audit could not see, and what to do about it: a 403 on one kind, a CRD that is not
 * installed, an API server that cannot be reached. Partial results are still reported.
 * @module
 */
import { describeError } from '../errors.js';
import type { AuditKind } from './kinds.js';
import { ListFailure, type FailureReason } from './lister.js';

export interface AuditGap {
  kind: string;
  /** null = all namespaces. */
  namespace: string | null;
  reason: FailureReason;
  status: number | null;
  message: string;
  /** What a person can do about it. */
  hint: string;
  /** False for an optional API that is simply not installed: nothing was missed. */
  incomplete: boolean;
  /** Objects of this kind already listed before the failure. */
  listedBefore: number;
}

function scopeText(namespace: string | null): string {
  return namespace === null ? 'cluster-wide' : `in namespace ${namespace}`;
}

function hintFor(kind: AuditKind, reason: FailureReason, namespace: string | null): string {
  switch (reason) {
    case 'forbidden':
      return `grant get and list on ${kind.resource} ${scopeText(namespace)} to the identity running the audit (deploy/base/rbac.yaml has the ClusterRole), or audit the namespaces you may read with -n`;
    case 'unauthorized':
      return 'the API server refused the credentials: refresh the kubeconfig (log in again) or pick another --context';
    case 'missing-api':
      return kind.optional
        ? `the ${kind.kind} API (${kind.apiVersion}) is not installed in this cluster, so there is nothing of that kind to check`
        : `the API server does not serve ${kind.resource} ${kind.apiVersion}; check the cluster version`;
    case 'expired':
      return 'the list changed too much while it was paged; run the audit again (a larger audit.pageSize makes fewer pages)';
    case 'unreachable':
      return 'check the server address in the kubeconfig, the network or VPN, and --context; nothing was listed after this';
    case 'failed':
      return 'run the audit again; if it persists, check the API server health';
    case 'truncated':
      return 'the listing was cut by the audit page bounds; see the message';
    case 'out-of-scope':
      return `audit without -n to list ${kind.resource}`;
  }
}

/**
 * A list failure as a gap: `err` (a ListFailure, anything else counts as reason `failed`) with its HTTP
 * status, the message naming kind and scope, a hint for a person, and `incomplete` false only for an
 * optional API that is not installed. Never throws.
 */
export function describeGap(kind: AuditKind, namespace: string | null, err: unknown, listedBefore: number): AuditGap {
  const failure = err instanceof ListFailure ? err : new ListFailure('failed', null, describeError(err));
  const incomplete = !(failure.reason === 'missing-api' && kind.optional);
  return {
    kind: kind.kind,
    namespace,
    reason: failure.reason,
    status: failure.status,
    message: `cannot list ${kind.kind} ${scopeText(namespace)}: ${failure.message}`,
    hint: hintFor(kind, failure.reason, namespace),
    incomplete,
    listedBefore,
  };
}

/**
 * A CRD whose API this cluster does not serve (not in API discovery, or a 404 on every version):
 * nothing of that kind exists to check, so the audit stays complete. One line, no hint: a cluster
 * without KServe or KubeRay shows one such line per kind.
 */
export function notServedGap(kind: AuditKind, status: number | null): AuditGap {
  const others = kind.apiVersions.filter((v) => v !== kind.apiVersion).map((v) => v.slice(v.indexOf('/') + 1));
  return {
    kind: kind.kind,
    namespace: null,
    reason: 'missing-api',
    status,
    message: `${kind.apiVersion} ${kind.kind}: not served by this cluster${others.length ? ` (nor ${others.join(', ')})` : ''}`,
    hint: '',
    incomplete: false,
    listedBefore: 0,
  };
}

/** A cluster-scoped kind (ClusterServingRuntime) when the audit is limited to one namespace with -n. */
export function outOfScopeGap(kind: AuditKind, namespace: string): AuditGap {
  return {
    kind: kind.kind,
    namespace,
    reason: 'out-of-scope',
    status: null,
    message: `${kind.apiVersion} ${kind.kind} is cluster-scoped: not listed in an audit of namespace ${namespace}`,
    hint: hintFor(kind, 'out-of-scope', namespace),
    incomplete: false,
    listedBefore: 0,
  };
}

/** After these, every other call fails the same way: stop instead of repeating it per kind. */
export function isFatal(gap: AuditGap): boolean {
  return gap.reason === 'unreachable' || gap.reason === 'unauthorized';
}
