/**
 * The related set of one namespace for the audit: every related kind (related-kinds.ts) listed in
 * that namespace, page by page, on first use and kept for the run, so each vLLM workload is
 * reviewed with the Services, autoscalers, budgets, monitors, routes, claims and ConfigMaps around it
 * (Secrets are not listed: see NOT_LISTED). What
 * could not be listed (forbidden, unreachable, a built-in API not served) becomes a gap twice over:
 * in the set (those facts are unknown, never a deny) and in the audit's gaps; an optional CRD that
 * is not installed is a note and an empty kind. A missing API is asked once for the whole run (it is missing in
 * every namespace); a forbidden list is a gap of that namespace; after an unreachable or
 * unauthorized answer nothing more is asked.
 * @module
 */
import { createRelatedSet, MAX_RELATED_PER_KIND, type JsonObject, type RelatedKind, type RelatedSet } from '../engine/api.js';
import { createConfigMapKeeper } from './related-configmaps.js';
import { describeGap, isFatal, notServedGap, type AuditGap } from './gaps.js';
import type { Lister } from './lister.js';
import { RELATED_AUDIT_KINDS, type RelatedAuditKind } from './related-kinds.js';

/** Pages of one kind in one namespace; with the default page size this passes MAX_RELATED_PER_KIND. */
const MAX_PAGES = 50;

/**
 * Kinds of the related set the audit does not list: their facts stay unknown, not empty. Listing
 * Secrets needs read access to every Secret's value (list returns `data`), too wide a grant for an
 * audit; so whether a Secret has a key stays "could not be verified".
 */
const NOT_LISTED: readonly [RelatedKind, string][] = [['Secret', 'the audit does not list Secrets (that would need read access to every Secret\'s value)']];

export interface RelatedLister {
  /** The related set of `namespace`, listed on first use. Never rejects: failures become gaps. */
  forNamespace(namespace: string): Promise<RelatedSet>;
  /** The gaps met so far, for the audit's report. */
  readonly gaps: AuditGap[];
}

/** What the workload scan already knows of the cluster's APIs (scanner.ts), so a kind is not asked for twice. */
export interface ServedApis {
  /** The group/versions API discovery lists; null when discovery was refused. */
  served: ReadonlySet<string> | null;
  /** `apiVersion/kind` of the kinds the scan found not served (a 404). */
  notServed: ReadonlySet<string>;
  /** Kinds the scan lists as workloads: it notes their absence itself. */
  scanned: ReadonlySet<string>;
  /** The audit is of one namespace (`-n`): cluster-scoped kinds are not listed (its RBAC may not allow it). */
  namespaceOnly: boolean;
}

interface State {
  gaps: AuditGap[];
  /** Versions found not served (missing API), with the gap's message. */
  missing: Map<string, string>;
  /** Set after an unreachable or unauthorized answer: the message every later kind gets. */
  fatal: string | null;
}

/**
 * Every object of `kind` in `namespace`, page by page; ConfigMaps are reduced as each page arrives
 * (related-configmaps.ts), and a string is the reason they are a gap (too much data to keep).
 */
async function listAll(lister: Lister, kind: RelatedAuditKind, namespace: string | null, pageSize: number): Promise<JsonObject[] | string> {
  const keeper = kind.kind === 'ConfigMap' && namespace !== null ? createConfigMapKeeper(namespace) : null;
  const items: JsonObject[] = keeper ? keeper.kept : [];
  let continueToken: string | undefined;
  let pages = 0;
  do {
    const page = await lister.list(kind, { namespace, limit: pageSize, ...(continueToken ? { continueToken } : {}) });
    if (keeper) {
      if (!keeper.add(page.items)) return keeper.overflow() ?? '';
    } else items.push(...page.items);
    continueToken = page.continueToken;
    pages += 1;
  } while (continueToken && pages < MAX_PAGES && items.length <= MAX_RELATED_PER_KIND);
  return items;
}

/**
 * One related kind in one namespace: its objects, or the reason it is a gap. An optional CRD that
 * is not installed has no objects anywhere: that is known (none), noted once in the audit's gaps
 * as for LeaderWorkerSet, not a reason to leave the facts unknown (most clusters lack KEDA or the
 * Inference Extension; their autoscaler and pool facts would otherwise never be known).
 */
async function listKind(lister: Lister, versions: readonly RelatedAuditKind[], namespace: string | null, pageSize: number, state: State, apis: ServedApis | undefined): Promise<JsonObject[] | string> {
  let reason = '';
  for (const kind of versions) {
    if (state.fatal !== null) return state.fatal;
    const key = `${kind.apiVersion}/${kind.kind}`;
    // A CRD the scan lists as a workload and found not served (or discovery does not list) has no objects:
    // not asked again, and noted once, by the scan.
    if (kind.optional && apis?.scanned.has(kind.kind) && (apis.notServed.has(key) || (apis.served !== null && !apis.served.has(kind.apiVersion)))) {
      state.missing.set(key, '');
      continue;
    }
    const known = state.missing.get(key);
    if (known !== undefined) {
      reason = known;
      continue;
    }
    try {
      return await listAll(lister, kind, namespace, pageSize);
    } catch (err: unknown) {
      const gap = describeGap(kind, namespace, err, 0);
      if (gap.reason === 'missing-api') {
        // An optional CRD not installed is a note in the words of the serving kinds' notes; a built-in API is a gap.
        const wide = kind.optional ? notServedGap({ ...kind, apiVersion: versions[0]?.apiVersion ?? kind.apiVersion, apiVersions: versions.map((v) => v.apiVersion) }, gap.status) : describeGap(kind, null, err, 0);
        state.missing.set(key, kind.optional ? '' : wide.message);
        // The last version tried speaks for the kind; a kind the scan lists as a workload is noted there.
        if (kind === versions[versions.length - 1] && !(kind.optional && apis?.scanned.has(kind.kind))) state.gaps.push(wide);
        reason = kind.optional ? '' : wide.message;
        continue;
      }
      state.gaps.push(gap);
      if (isFatal(gap)) state.fatal = gap.message;
      return gap.message;
    }
  }
  // Every version missing: none, when the API is an optional CRD; else the reason.
  return reason === '' ? [] : reason;
}

/**
 * True for an optional cluster-scoped CRD (ClusterPodMonitoring) whose versions API discovery does not
 * list: it has no objects, so it is not asked for (a cluster-wide list of an API the cluster does not serve).
 */
function undiscovered(versions: readonly RelatedAuditKind[], apis: ServedApis | undefined): boolean {
  const served = apis?.served;
  return served !== null && served !== undefined && versions.every((v) => v.optional && !served.has(v.apiVersion));
}

/** None, noted once as not served (as a 404 would note it: listKind), unless the scan lists the kind and notes it. */
function noneServed(versions: readonly RelatedAuditKind[], state: State, apis: ServedApis | undefined): Promise<JsonObject[]> {
  const first = versions[0] as RelatedAuditKind;
  if (!apis?.scanned.has(first.kind)) state.gaps.push(notServedGap({ ...first, apiVersions: versions.map((v) => v.apiVersion) }, null));
  return Promise.resolve([]);
}

/** A RelatedLister over `lister`; `pageSize` as for the workloads (audit.pageSize). */
export function createRelatedLister(lister: Lister, options: { pageSize: number; apis?: ServedApis }): RelatedLister {
  const state: State = { gaps: [], missing: new Map(), fatal: null };
  const sets = new Map<string, Promise<RelatedSet>>();
  // A cluster-scoped kind (ClusterServingRuntime) is the same for every namespace: listed once per audit
  // (2 000 namespaces would otherwise list it 2 000 times), its result shared by every namespace's set.
  const clusterWide = new Map<string, Promise<JsonObject[] | string>>();
  const listed = (versions: readonly RelatedAuditKind[], namespace: string): Promise<JsonObject[] | string> => {
    const first = versions[0] as RelatedAuditKind;
    if (first.namespaced) return listKind(lister, versions, namespace, options.pageSize, state, options.apis);
    let once = clusterWide.get(first.kind);
    if (!once) {
      once = undiscovered(versions, options.apis) ? noneServed(versions, state, options.apis) : listKind(lister, versions, null, options.pageSize, state, options.apis);
      clusterWide.set(first.kind, once);
    }
    return once;
  };
  const build = async (namespace: string): Promise<RelatedSet> => {
    const objects: JsonObject[] = [];
    const gaps: [RelatedKind, string][] = [...NOT_LISTED];
    for (const versions of RELATED_AUDIT_KINDS) {
      const first = versions[0] as RelatedAuditKind;
      // An optional cluster-scoped CRD discovery does not list has no objects: known (none), also with -n.
      if (!first.namespaced && options.apis?.namespaceOnly && !undiscovered(versions, options.apis)) {
        gaps.push([first.kind, `${first.kind} is cluster-scoped: not listed in an audit of namespace ${namespace}`]);
        continue;
      }
      const found = await listed(versions, namespace);
      if (typeof found === 'string') gaps.push([first.kind, found]);
      else objects.push(...found);
    }
    return createRelatedSet(objects, { scope: `namespace ${namespace}`, gaps });
  };
  return {
    gaps: state.gaps,
    forNamespace(namespace: string): Promise<RelatedSet> {
      let set = sets.get(namespace);
      if (!set) {
        set = build(namespace);
        sets.set(namespace, set);
      }
      return set;
    },
  };
}
