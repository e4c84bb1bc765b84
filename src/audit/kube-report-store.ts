/**
 * The ReportStore over the API server: PolicyReports are custom objects (wgpolicyk8s.io), read and
 * written with plain requests (kube-http.ts). Reading a report's version and listing ours ask for
 * the metadata only (PartialObjectMetadata): a report of 2,000 results is ~900 KB, and only its
 * resourceVersion or name is needed; the object a create or replace sends back is not parsed.
 * @module
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../errors.js';
import { ACCEPT_METADATA, ACCEPT_METADATA_LIST, collectionPath, createKubeHttp } from './kube-http.js';
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

/**
 * Reports per page when listing ours: the first page asks for 50 (whole reports of up to ~900 KB stay
 * under 50 MB, should a server ignore the metadata-only Accept); once the server has answered with
 * metadata only, 500 names a page.
 */
const FIRST_PAGE = 50;
const METADATA_PAGE = 500;

interface MetadataList {
  kind?: unknown;
  items?: { metadata?: { name?: string; namespace?: string } }[];
  metadata?: { continue?: string };
}

/** The store for one report format (default: wgpolicyk8s.io PolicyReport). */
export function createKubeReportStore(config: KubeConfig, format: ReportFormat = 'policyreport'): ReportStore {
  const http = createKubeHttp(config);
  const { group, version, plural } = REPORT_APIS[format];
  const apiVersion = `${group}/${version}`;
  const collection = (namespace: string | null) => collectionPath(apiVersion, plural, namespace);
  const object = (ref: ReportRef) => `${collection(ref.namespace)}/${encodeURIComponent(ref.name)}`;
  const explain = explainFor(format);
  return {
    async getVersion(ref: ReportRef): Promise<string | null> {
      try {
        const found = (await http.getJson(object(ref), undefined, ACCEPT_METADATA)) as { metadata?: { resourceVersion?: string } } | null;
        return found?.metadata?.resourceVersion ?? '';
      } catch (err: unknown) {
        const failure = toListFailure(err);
        // 404 on the object (not on the API) means "create it"; the API's own 404 reads the same, and create will say so.
        if (failure.status === 404) return null;
        throw explain(err, `reading PolicyReport ${ref.namespace}/${ref.name}`);
      }
    },
    async create(report: PolicyReport): Promise<void> {
      try {
        await http.send('POST', collection(report.metadata.namespace), toReportFormat(report, format));
      } catch (err: unknown) {
        throw explain(err, `creating PolicyReport ${report.metadata.namespace}/${report.metadata.name}`);
      }
    },
    async replace(report: PolicyReport, resourceVersion: string): Promise<void> {
      const body = toReportFormat({ ...report, metadata: { ...report.metadata, ...(resourceVersion ? { resourceVersion } : {}) } }, format);
      try {
        await http.send('PUT', object(report.metadata), body);
      } catch (err: unknown) {
        throw explain(err, `updating PolicyReport ${report.metadata.namespace}/${report.metadata.name}`);
      }
    },
    async listManaged(namespace: string | null): Promise<ReportRef[]> {
      const labelSelector = `${MANAGED_BY.key}=${MANAGED_BY.value}`;
      const refs: ReportRef[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      let limit = FIRST_PAGE;
      try {
        do {
          const list = (await http.getJson(collection(namespace), { labelSelector, limit, continue: token }, ACCEPT_METADATA_LIST)) as MetadataList | null;
          limit = list?.kind === 'PartialObjectMetadataList' ? METADATA_PAGE : FIRST_PAGE;
          for (const item of list?.items ?? []) if (item.metadata?.name && item.metadata.namespace) refs.push({ name: item.metadata.name, namespace: item.metadata.namespace });
          token = list?.metadata?.continue || undefined;
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
        await http.send('DELETE', object(ref));
      } catch (err: unknown) {
        if (toListFailure(err).status === 404) return;
        throw explain(err, `deleting PolicyReport ${ref.namespace}/${ref.name}`);
      }
    },
  };
}
