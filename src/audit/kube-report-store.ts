/**
 * The ReportStore over CustomObjectsApi: PolicyReports are custom objects (wgpolicyk8s.io).
 * @module
 */
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../errors.js';
import { toListFailure } from './kube-lister.js';
import { MANAGED_BY, REPORT_API, type PolicyReport } from './policy-report.js';
import type { ReportRef, ReportStore } from './report-writer.js';

function explain(err: unknown, action: string): AppError {
  const failure = toListFailure(err);
  const hint =
    failure.reason === 'missing-api'
      ? ' — the PolicyReport CRD (wgpolicyk8s.io/v1alpha2) is not installed: install it (Kyverno and Policy Reporter ship it) or drop --write-reports'
      : failure.reason === 'forbidden'
        ? ' — grant get, list, create, update and delete on policyreports.wgpolicyk8s.io (deploy/base/rbac.yaml)'
        : '';
  return new AppError('ERR_KUBE', `${action}: ${failure.message}${hint}`, { cause: err });
}

export function createKubeReportStore(config: KubeConfig): ReportStore {
  const api = config.makeApiClient(CustomObjectsApi);
  return {
    async getVersion(ref: ReportRef): Promise<string | null> {
      try {
        const found = (await api.getNamespacedCustomObject({ ...REPORT_API, ...ref })) as { metadata?: { resourceVersion?: string } };
        return found.metadata?.resourceVersion ?? '';
      } catch (err: unknown) {
        const failure = toListFailure(err);
        // 404 on the object (not on the API) means "create it"; the API's own 404 reads the same, and create will say so.
        if (failure.status === 404) return null;
        throw explain(err, `reading PolicyReport ${ref.namespace}/${ref.name}`);
      }
    },
    async create(report: PolicyReport): Promise<void> {
      try {
        await api.createNamespacedCustomObject({ ...REPORT_API, namespace: report.metadata.namespace, body: report });
      } catch (err: unknown) {
        throw explain(err, `creating PolicyReport ${report.metadata.namespace}/${report.metadata.name}`);
      }
    },
    async replace(report: PolicyReport, resourceVersion: string): Promise<void> {
      const body = { ...report, metadata: { ...report.metadata, ...(resourceVersion ? { resourceVersion } : {}) } };
      try {
        await api.replaceNamespacedCustomObject({ ...REPORT_API, namespace: report.metadata.namespace, name: report.metadata.name, body });
      } catch (err: unknown) {
        throw explain(err, `updating PolicyReport ${report.metadata.namespace}/${report.metadata.name}`);
      }
    },
    async listManaged(namespace: string | null): Promise<ReportRef[]> {
      const labelSelector = `${MANAGED_BY.key}=${MANAGED_BY.value}`;
      try {
        const list = (namespace
          ? await api.listNamespacedCustomObject({ ...REPORT_API, namespace, labelSelector })
          : await api.listClusterCustomObject({ ...REPORT_API, labelSelector })) as { items?: { metadata?: { name?: string; namespace?: string } }[] };
        return (list.items ?? []).flatMap((item) => (item.metadata?.name && item.metadata.namespace ? [{ name: item.metadata.name, namespace: item.metadata.namespace }] : []));
      } catch (err: unknown) {
        throw explain(err, 'listing PolicyReports');
      }
    },
    async remove(ref: ReportRef): Promise<void> {
      try {
        await api.deleteNamespacedCustomObject({ ...REPORT_API, ...ref });
      } catch (err: unknown) {
        if (toListFailure(err).status === 404) return;
        throw explain(err, `deleting PolicyReport ${ref.namespace}/${ref.name}`);
      }
    },
  };
}
