/**
 * Composition of the background audit for `vllm-guard serve`: credentials (the pod's service
 * account, else the default kubeconfig), the Lease in our own namespace, gauges on the
 * server's registry. Loaded only when --audit-interval is set.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { Engine } from '../engine/api.js';
import { startBackgroundAudit, type AuditLogger, type BackgroundAudit } from './background.js';
import { createKubeLister } from './kube-lister.js';
import { createKubeReportStore } from './kube-report-store.js';
import { createKubeWatcher } from './kube-watcher.js';
import { loadKubeConfig } from './kubeconfig.js';
import { createKubeLeaseApi } from './lease.js';
import { createAuditMetrics } from './metrics.js';

const NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';
export const LEASE_NAME = 'vllm-guard-audit';

export interface ClusterAuditOptions {
  intervalSeconds: number;
  writeReports: boolean;
  pageSize: number;
  getEngine: () => Engine;
  registry: Registry;
  logger: AuditLogger;
  /** Where the Lease lives; default: the pod's own namespace, else vllm-guard. */
  leaseNamespace?: string;
  kubeconfig?: string;
}

function ownNamespace(): string {
  return existsSync(NAMESPACE_FILE) ? readFileSync(NAMESPACE_FILE, 'utf8').trim() : 'vllm-guard';
}

/** Throws ERR_KUBE at start-up when there are no credentials: better a clear failure than a silent no-op. */
export function startClusterAudit(opts: ClusterAuditOptions): BackgroundAudit {
  const kube = loadKubeConfig(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {});
  const identity = hostname();
  const leaseNamespace = opts.leaseNamespace ?? ownNamespace();
  opts.logger.info({ intervalSeconds: opts.intervalSeconds, writeReports: opts.writeReports, lease: `${leaseNamespace}/${LEASE_NAME}`, identity }, 'background audit enabled');
  return startBackgroundAudit({
    intervalSeconds: opts.intervalSeconds,
    getEngine: opts.getEngine,
    lister: createKubeLister(kube),
    watcher: createKubeWatcher(kube),
    lease: createKubeLeaseApi(kube, leaseNamespace, LEASE_NAME),
    identity,
    metrics: createAuditMetrics(opts.registry),
    logger: opts.logger,
    pageSize: opts.pageSize,
    ...(opts.writeReports ? { reports: createKubeReportStore(kube) } : {}),
  });
}
