/**
 * The ReportStore over CustomObjectsApi: PolicyReports are custom objects (wgpolicyk8s.io).
 * @module
 */
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../errors.js';
import { toListFailure } from './kube-lister.js';
import { MANAGED_BY, type PolicyReport } from './policy-report.js';
import { REPORT_APIS, toReportFormat, type ReportFormat } from './report-format.js';
import type { ReportRef, ReportStore } from './report-writer.js';

function explainFor(format: ReportFormat) {
  const { group, version, plural, kind } = REPORT_APIS[format];
  const install = format === 'policyreport' ? 'install it (Kyverno and Policy Reporter ship it)' : 'install it (openreports/reports-api ships it)';
  return (err: unknown, action: string): AppError => {
    const failure = toListFailure(err);
    const hint =
      failure.reason === 'missing-api'
        ? ` — the ${kind} CRD (${group}/${version}) is not installed: ${install} or drop --write-reports`
        : failure.reason === 'forbidden'
          ? ` — grant get, list, create, update and delete on ${plural}.${group} (deploy/base/rbac.yaml)`
          : '';
    return new AppError('ERR_KUBE', `${action}: ${failure.message}${hint}`, { cause: err });
  };
}

/** Reports per page when listing ours: 50 reports of up to ~900 KB stay well under 50 MB. */
const MANAGED_PAGE = 50;

/** The store for one report format (default: wgpolicyk8s.io PolicyReport). */
export function createKubeReportStore(config: KubeConfig, format: ReportFormat = 'policyreport'): ReportStore {
  const api = config.makeApiClient(CustomObjectsApi);
  const { group, version, plural } = REPORT_APIS[format];
  const REPORT_API = { group, version, plural };
  const explain = explainFor(format);
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
        await api.createNamespacedCustomObject({ ...REPORT_API, namespace: report.metadata.namespace, body: toReportFormat(report, format) });
      } catch (err: unknown) {
        throw explain(err, `creating PolicyReport ${report.metadata.namespace}/${report.metadata.name}`);
      }
    },
    async replace(report: PolicyReport, resourceVersion: string): Promise<void> {
      const body = toReportFormat({ ...report, metadata: { ...report.metadata, ...(resourceVersion ? { resourceVersion } : {}) } }, format);
      try {
        await api.replaceNamespacedCustomObject({ ...REPORT_API, namespace: report.metadata.namespace, name: report.metadata.name, body });
      } catch (err: unknown) {
        throw explain(err, `updating PolicyReport ${report.metadata.namespace}/${report.metadata.name}`);
      }
    },
    async listManaged(namespace: string | null): Promise<ReportRef[]> {
      const labelSelector = `${MANAGED_BY.key}=${MANAGED_BY.value}`;
      const refs: ReportRef[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      try {
        // Paged: the list returns whole reports (up to ~900 KB each), and only their names are kept.
        do {
          const page = { labelSelector, limit: MANAGED_PAGE, ...(token ? { _continue: token } : {}) };
          const list = (namespace
            ? await api.listNamespacedCustomObject({ ...REPORT_API, namespace, ...page })
            : await api.listClusterCustomObject({ ...REPORT_API, ...page })) as { items?: { metadata?: { name?: string; namespace?: string } }[]; metadata?: { continue?: string } };
          for (const item of list.items ?? []) if (item.metadata?.name && item.metadata.namespace) refs.push({ name: item.metadata.name, namespace: item.metadata.namespace });
          token = list.metadata?.continue || undefined;
          // A token that comes back would page forever (page-bounds.ts): stop with what was listed.
          if (token && seen.has(token)) break;
          if (token) seen.add(token);
        } while (token);
        return refs;
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
