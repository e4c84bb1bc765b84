/**
 * One replica audits at a time: a coordination.k8s.io/v1 Lease, taken when it is free or
 * expired, renewed by its holder at each run. Optimistic concurrency (resourceVersion) decides
 * races: the loser's update gets a 409 and it simply does not audit this time.
 * @module
 */
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { toListFailure } from './kube-lister.js';

export interface LeaseRecord {
  holder: string | null;
  renewTime: Date | null;
  durationSeconds: number;
  transitions: number;
  acquireTime: Date | null;
  resourceVersion: string;
}

export interface LeaseApi {
  read(): Promise<LeaseRecord | null>;
  create(record: Omit<LeaseRecord, 'resourceVersion'>): Promise<void>;
  replace(record: LeaseRecord): Promise<void>;
}

/** True when `identity` holds the lease now (taken or renewed); false when another live holder has it or the race was lost. */
export async function tryAcquireLease(api: LeaseApi, identity: string, durationSeconds: number, now: Date): Promise<boolean> {
  const current = await api.read();
  const next = { holder: identity, renewTime: now, durationSeconds };
  try {
    if (!current) {
      await api.create({ ...next, transitions: 0, acquireTime: now });
      return true;
    }
    const expires = (current.renewTime?.getTime() ?? 0) + current.durationSeconds * 1000;
    const mine = current.holder === identity;
    if (!mine && current.holder && expires > now.getTime()) return false;
    await api.replace({
      ...next,
      resourceVersion: current.resourceVersion,
      transitions: mine ? current.transitions : current.transitions + 1,
      acquireTime: mine ? current.acquireTime : now,
    });
    return true;
  } catch (err: unknown) {
    if (toListFailure(err).status === 409) return false;
    throw err;
  }
}

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  return typeof value === 'string' ? new Date(value) : null;
}

/**
 * The Lease `namespace/name` through the Kubernetes API: read (null when there is none: 404), create and
 * replace (with the record's resourceVersion: a stale one gets a 409). Calls reject with the client's
 * own error (see toListFailure for its HTTP status); building the API throws nothing.
 */
export function createKubeLeaseApi(config: KubeConfig, namespace: string, name: string): LeaseApi {
  const api = config.makeApiClient(CoordinationV1Api);
  const body = (record: Omit<LeaseRecord, 'resourceVersion'>, resourceVersion?: string): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
    spec: {
      ...(record.holder ? { holderIdentity: record.holder } : {}),
      leaseDurationSeconds: record.durationSeconds,
      leaseTransitions: record.transitions,
      // MicroTime: the API server wants six fractional digits, which V1MicroTime writes.
      ...(record.renewTime ? { renewTime: new V1MicroTime(record.renewTime.getTime()) } : {}),
      ...(record.acquireTime ? { acquireTime: new V1MicroTime(record.acquireTime.getTime()) } : {}),
    },
  });
  return {
    async read() {
      try {
        const lease = await api.readNamespacedLease({ name, namespace });
        return {
          holder: lease.spec?.holderIdentity ?? null,
          renewTime: toDate(lease.spec?.renewTime),
          durationSeconds: lease.spec?.leaseDurationSeconds ?? 0,
          transitions: lease.spec?.leaseTransitions ?? 0,
          acquireTime: toDate(lease.spec?.acquireTime),
          resourceVersion: lease.metadata?.resourceVersion ?? '',
        };
      } catch (err: unknown) {
        if (toListFailure(err).status === 404) return null;
        throw err;
      }
    },
    async create(record) {
      await api.createNamespacedLease({ namespace, body: body(record) });
    },
    async replace(record) {
      await api.replaceNamespacedLease({ name, namespace, body: body(record, record.resourceVersion) });
    },
  };
}
