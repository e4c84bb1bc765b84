/**
 * Admission lookups (`vllm-guard serve --lookups`): a watch-backed cache (client-node informers,
 * ListWatch: one list, then a watch) of the objects around vLLM workloads, cluster-wide, from which each
 * review gets the related set of its namespace. The webhook never waits on it: a kind whose
 * informer has not listed yet, whose API is not served or whose list is forbidden is a gap (its
 * related facts are unknown, never a reason to deny), except an optional CRD the cluster does not
 * serve (OPTIONAL_KINDS: none of it exists), and a failed informer retries on its own.
 * Secrets and ConfigMaps are not watched: a webhook that may list every Secret is too wide a grant.
 * It also holds the scalable workload kinds an autoscaler's scaleTargetRef may name (WORKLOAD_KINDS),
 * so the webhook can review the workload an applied HorizontalPodAutoscaler or ScaledObject targets.
 * @module
 */
import { ApiException, CoreV1Api, CustomObjectsApi, ListWatch, Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { createRelatedSet, type RelatedKind, type RelatedSet } from '../engine/api.js';
import { describeError } from '../errors.js';

/** Where one related or workload kind is listed and watched. */
interface WatchedKind {
  kind: RelatedKind | WorkloadKind;
  /** The cluster-wide collection path, e.g. /apis/autoscaling/v2/horizontalpodautoscalers. */
  path: string;
  list: () => Promise<KubernetesListObject<KubernetesObject>>;
}

/** Kinds the cache does not watch, with why (their related facts stay unknown at admission). */
const NOT_WATCHED: ReadonlyMap<RelatedKind, string> = new Map([
  ['Secret', 'Secrets are not watched by --lookups (a webhook that may list every Secret is too wide a grant)'],
  ['ConfigMap', 'ConfigMaps are not watched by --lookups'],
  ['ServingRuntime', 'ServingRuntimes are not watched by --lookups'],
  ['ClusterServingRuntime', 'ClusterServingRuntimes are not watched by --lookups'],
]);

/**
 * Watched kinds of optional CRDs served in one version only (KEDA, Prometheus Operator, Google Cloud
 * Managed Service for Prometheus): a 404 on the collection means the cluster does not serve the API
 * and so holds none of them, which is known (none), as the audit reads it (related-lister.ts: "an
 * optional CRD that is not installed is a note and an empty kind"). As a gap, each cluster without
 * one of them had every fact read from it unknown at admission: metrics-scraped could not be
 * verified on every cluster without GMP, Prometheus Operator's included. The informer keeps
 * retrying, so a CRD installed later is watched from then on. HTTPRoute and InferencePool are left
 * out: a 404 on the version watched here may hide objects of an older version (v1beta1, v1alpha2).
 */
const OPTIONAL_KINDS: ReadonlySet<string> = new Set(['ScaledObject', 'ServiceMonitor', 'PodMonitor', 'PodMonitoring', 'ClusterPodMonitoring']);

/** Whether a failed list is the API server's 404 for a collection it does not serve. */
function isNotServed(err: unknown): boolean {
  return err instanceof ApiException && (err as ApiException<unknown>).code === 404;
}

/** Watched kinds whose objects have no namespace: the related set of every namespace holds them all. */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['ClusterPodMonitoring']);

/** [kind, group/version, plural] of the watched kinds outside the core group. */
const GROUP_KINDS: readonly [RelatedKind, string, string][] = [
  ['NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies'],
  ['HorizontalPodAutoscaler', 'autoscaling/v2', 'horizontalpodautoscalers'],
  ['ScaledObject', 'keda.sh/v1alpha1', 'scaledobjects'],
  ['PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets'],
  ['ServiceMonitor', 'monitoring.coreos.com/v1', 'servicemonitors'],
  ['PodMonitor', 'monitoring.coreos.com/v1', 'podmonitors'],
  // Google Cloud Managed Service for Prometheus (GoogleCloudPlatform/prometheus-engine CRDs).
  ['PodMonitoring', 'monitoring.googleapis.com/v1', 'podmonitorings'],
  ['ClusterPodMonitoring', 'monitoring.googleapis.com/v1', 'clusterpodmonitorings'],
  ['Ingress', 'networking.k8s.io/v1', 'ingresses'],
  ['HTTPRoute', 'gateway.networking.k8s.io/v1', 'httproutes'],
  ['InferencePool', 'inference.networking.k8s.io/v1', 'inferencepools'],
];

/**
 * The workload kinds an autoscaler's scaleTargetRef is looked up in: [kind, group/version, plural].
 * Kept small (every object of these kinds is held in memory): the built-in scalable controllers that
 * serve models and LeaderWorkerSet (multi-node vLLM).
 */
const WORKLOAD_GROUP_KINDS = [
  ['Deployment', 'apps/v1', 'deployments'],
  ['StatefulSet', 'apps/v1', 'statefulsets'],
  ['LeaderWorkerSet', 'leaderworkerset.x-k8s.io/v1', 'leaderworkersets'],
] as const;

/** A workload kind the cache holds for autoscaler reviews. */
export type WorkloadKind = (typeof WORKLOAD_GROUP_KINDS)[number][0];

/** The workload kinds the cache holds (the names a scaleTargetRef.kind must have to be found). */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(WORKLOAD_GROUP_KINDS.map(([kind]) => kind));

function isWorkloadKind(kind: string): kind is WorkloadKind {
  return WORKLOAD_KINDS.has(kind);
}

/** The API groups and plurals the lookups overlay's ClusterRole grants get/list/watch on. */
export const WATCHED_RESOURCES: readonly { group: string; plural: string }[] = [
  { group: '', plural: 'services' },
  { group: '', plural: 'persistentvolumeclaims' },
  ...[...GROUP_KINDS, ...WORKLOAD_GROUP_KINDS].map(([, gv, plural]) => ({ group: gv.split('/')[0] ?? '', plural })),
];

function watchedKinds(config: KubeConfig): WatchedKind[] {
  const core = config.makeApiClient(CoreV1Api);
  const custom = config.makeApiClient(CustomObjectsApi);
  const kinds: WatchedKind[] = [
    { kind: 'Service', path: '/api/v1/services', list: () => core.listServiceForAllNamespaces() },
    { kind: 'PersistentVolumeClaim', path: '/api/v1/persistentvolumeclaims', list: () => core.listPersistentVolumeClaimForAllNamespaces() },
  ];
  for (const [kind, gv, plural] of [...GROUP_KINDS, ...WORKLOAD_GROUP_KINDS]) {
    const [group = '', version = ''] = gv.split('/');
    kinds.push({
      kind,
      path: `/apis/${gv}/${plural}`,
      list: async () => (await custom.listClusterCustomObject({ group, version, plural })) as KubernetesListObject<KubernetesObject>,
    });
  }
  return kinds;
}

export interface LookupCache {
  /**
   * The related set of one namespace as the cache holds it now; kinds not synced are gaps. Never
   * throws and never waits.
   */
  relatedFor(namespace: string): RelatedSet;
  /**
   * The workload of a held kind (WORKLOAD_KINDS) named `name` in `namespace`, with its kind set;
   * undefined when the kind is not held, not synced yet, or no such object is cached. Never throws.
   */
  workload(namespace: string, kind: string, name: string): unknown;
  /** Kinds listed and watching now. */
  synced(): (RelatedKind | WorkloadKind)[];
  stop(): Promise<void>;
}

export interface LookupOptions {
  /** Milliseconds before a failed informer lists again (default 10 s). */
  retryMs?: number;
  /** Told once per failure, for the log: the kind and why. */
  onError?: (kind: RelatedKind | WorkloadKind, reason: string) => void;
}

/** How long stop() waits for an informer's start under way to open its watch before stopping it again. */
const STOP_WAIT_MS = 2_000;

interface KindState {
  readonly kind: RelatedKind | WorkloadKind;
  readonly cache: { list(namespace?: string): readonly KubernetesObject[]; get(name: string, namespace?: string): KubernetesObject | undefined };
  synced: boolean;
  /** Why the kind is not synced, for the gap. */
  reason: string;
  /** An OPTIONAL_KINDS kind whose last list was a 404: none of it exists (no gap). */
  notServed: boolean;
}

/**
 * Starts one informer per watched kind and returns at once: the first lists run in the background.
 * `stop()` ends every watch and retry.
 */
export function startLookupCache(config: KubeConfig, options: LookupOptions = {}): LookupCache {
  const retryMs = options.retryMs ?? 10_000;
  const states: KindState[] = [];
  const stops: (() => Promise<void>)[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  for (const watched of watchedKinds(config)) {
    // What makeInformer builds (a list, then a watch from its resourceVersion), typed as the cache it is.
    const informer = new ListWatch(watched.path, new Watch(config), watched.list, false);
    const state: KindState = { kind: watched.kind, cache: informer, synced: false, reason: `${watched.kind} objects are not listed yet (the lookup cache is starting)`, notServed: false };
    states.push(state);
    // Set by an error during the current attempt: start() resolves even when its list failed.
    let failed = false;
    // The attempt under way: a start() stopped mid-list still opens its watch, so stop() waits for it.
    let starting: Promise<void> = Promise.resolve();
    const attempt = (): void => {
      failed = false;
      starting = informer.start().then(
        () => {
          state.synced = !failed && !stopped;
          if (state.synced) state.notServed = false;
        },
        (err: unknown) => fail(err),
      );
    };
    const fail = (err: unknown): void => {
      failed = true;
      state.synced = false;
      state.notServed = OPTIONAL_KINDS.has(watched.kind) && isNotServed(err);
      state.reason = `the ${watched.kind} lookup failed: ${describeError(err)}`;
      options.onError?.(watched.kind, state.reason);
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopped) attempt();
      }, retryMs);
      timer.unref();
      timers.add(timer);
    };
    informer.on('error', fail);
    attempt();
    stops.push(async () => {
      await informer.stop();
      // Then once more after an attempt under way has opened its watch (bounded: a hung list is left).
      await Promise.race([starting, new Promise<void>((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
      await informer.stop();
    });
  }
  return {
    relatedFor(namespace) {
      const gaps = new Map<RelatedKind, string>(NOT_WATCHED);
      const objects: KubernetesObject[] = [];
      for (const state of states) {
        const kind = state.kind;
        if (isWorkloadKind(kind)) continue;
        if (!state.synced) {
          if (!state.notServed) gaps.set(kind, state.reason);
          continue;
        }
        try {
          // List items come without kind (the API server leaves it on the list): give it back.
          // A cluster-scoped kind (ClusterPodMonitoring) has no namespace: all of it belongs to every namespace's set.
          for (const object of state.cache.list(CLUSTER_SCOPED.has(kind) ? undefined : namespace)) objects.push(object.kind === state.kind ? object : { ...object, kind: state.kind });
        } catch (err: unknown) {
          gaps.set(kind, `the ${state.kind} lookup cache could not be read: ${describeError(err)}`);
        }
      }
      return createRelatedSet(objects, { scope: `namespace ${namespace} (lookup cache)`, gaps });
    },
    workload(namespace, kind, name) {
      const state = states.find((s) => s.kind === kind);
      if (state === undefined || !state.synced || !isWorkloadKind(kind)) return undefined;
      try {
        const object = state.cache.get(name, namespace);
        return object === undefined || object.kind === kind ? object : { ...object, kind };
      } catch {
        return undefined;
      }
    },
    synced: () => states.filter((s) => s.synced).map((s) => s.kind),
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled(stops.map((stop) => stop()));
    },
  };
}
