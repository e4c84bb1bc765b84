/**
 * The `related` section of the facts document (policies/facts.schema.json): for one checked
 * workload, the objects around it that select or target it, read from the related set by the small
 * readers beside this file. What could not be searched is unknown, never absent: with no set (the
 * webhook without lookups) every related fact is unknown; a kind in `set.gaps` (an API the cluster
 * does not serve, a forbidden list, too many objects) makes the facts read from it unknown with the
 * gap's reason. Rules that fail on an unknown fact say "could not be verified" and never deny.
 */
import type { JsonObject, UnknownFact } from '../types.js';
import { addUnknown } from '../facts/vllm.js';
import type { RelatedContext } from './context.js';
import type { RelatedKind, RelatedSet } from './related-set.js';
import { labelsText } from './selector.js';
import { matchingServices, serviceFacts } from './services.js';
import { readNetworkPolicies } from './network-policies.js';
import { readAutoscalers } from './autoscalers.js';
import { readDisruptionBudgets } from './disruption-budgets.js';
import { readMonitors } from './monitors.js';
import { readRoutes } from './routes.js';
import { readInferencePools } from './inference-pools.js';
import { readVolumeClaims } from './volume-claims.js';

export const NOT_LOOKED_UP = 'related objects are not looked up at admission (enable --lookups)';

/** The facts under `related` that each kind feeds: a gap in the kind makes them unknown. */
const FACTS_OF_KIND: Readonly<Partial<Record<RelatedKind, readonly string[]>>> = {
  Service: ['services', 'serviceNames', 'serverServices', 'monitors', 'monitorNames', 'scrapedBy', 'routes'],
  NetworkPolicy: ['networkPolicies', 'networkPolicyNames', 'ingressRestrictedBy'],
  HorizontalPodAutoscaler: ['autoscalers', 'autoscalerNames', 'minReplicas', 'maxReplicas'],
  ScaledObject: ['autoscalers', 'autoscalerNames', 'minReplicas', 'maxReplicas'],
  PodDisruptionBudget: ['disruptionBudgets', 'disruptionBudgetNames'],
  ServiceMonitor: ['monitors', 'monitorNames', 'scrapedBy'],
  PodMonitor: ['monitors', 'monitorNames', 'scrapedBy'],
  PodMonitoring: ['monitors', 'monitorNames', 'scrapedBy'],
  ClusterPodMonitoring: ['monitors', 'monitorNames', 'scrapedBy'],
  Ingress: ['routes'],
  HTTPRoute: ['routes'],
  InferencePool: ['inferencePools', 'routes'],
  PersistentVolumeClaim: ['volumeClaims', 'singleNodeClaims', 'unresolvedClaims'],
};

/** Facts that compare with vLLM's port: unknown when the port is. */
const PORT_FACTS = ['serverServices', 'scrapedBy', 'inferencePools'];

/** What the readers need (RelatedContext), before the set is known to exist, plus why the port is unknown. */
export interface RelatedInput extends Omit<RelatedContext, 'set'> {
  set: RelatedSet | null;
  /** Why vLLM's port is unknown, when it is (from the facts' unknowns). */
  portUnknown: UnknownFact | undefined;
}

function replicaRange(replicas: number | null, autoscalers: ReturnType<typeof readAutoscalers>) {
  if (autoscalers.length === 0) return { minReplicas: replicas, maxReplicas: replicas };
  const maxima = autoscalers.map((a) => a.maxReplicas).filter((m): m is number => m !== null);
  return {
    minReplicas: Math.min(...autoscalers.map((a) => a.minReplicas)),
    maxReplicas: Math.max(replicas ?? 0, ...maxima),
  };
}

function readAll(ctx: RelatedContext, lookedUp: boolean) {
  const services = matchingServices(ctx);
  const networkPolicies = readNetworkPolicies(ctx);
  const autoscalers = readAutoscalers(ctx);
  const disruptionBudgets = readDisruptionBudgets(ctx);
  const monitors = readMonitors(ctx, services);
  const inferencePools = readInferencePools(ctx);
  const routes = readRoutes(ctx, services.map((s) => s.name), inferencePools.map((p) => p.name));
  const volumeClaims = readVolumeClaims(ctx);
  const range = replicaRange(ctx.replicas, autoscalers);
  return {
    lookedUp,
    scope: lookedUp ? ctx.set.scope : null,
    podLabels: labelsText(ctx.writtenLabels ?? ctx.podLabels),
    services: serviceFacts(services),
    serviceNames: services.map((s) => s.name),
    serverServices: services.filter((s) => s.reachesServer).map((s) => s.name),
    networkPolicies,
    networkPolicyNames: networkPolicies.map((p) => p.name),
    ingressRestrictedBy: networkPolicies.filter((p) => p.restrictsIngress).map((p) => p.name),
    autoscalers,
    autoscalerNames: autoscalers.map((a) => `${a.kind} ${a.name}`),
    minReplicas: range.minReplicas,
    maxReplicas: range.maxReplicas,
    disruptionBudgets,
    disruptionBudgetNames: disruptionBudgets.map((b) => b.name),
    monitors,
    monitorNames: monitors.map((m) => (m.kind === 'annotations' ? `prometheus.io annotations on the ${m.name}` : `${m.kind} ${m.name}`)),
    scrapedBy: monitors.filter((m) => m.reachesServer).map((m) => (m.kind === 'annotations' ? `prometheus.io annotations on the ${m.name}` : `${m.kind} ${m.name}`)),
    routes,
    inferencePools,
    volumeClaims,
    singleNodeClaims: volumeClaims.filter((c) => c.found && c.singleNode).map((c) => c.name),
    unresolvedClaims: volumeClaims.filter((c) => !c.found).map((c) => c.name),
  };
}

/**
 * The `related` facts of one workload, adding to `unknowns` what could not be searched. Bounded:
 * each reader walks its kind once (at most MAX_RELATED_PER_KIND objects) and lists at most
 * MAX_LISTED matches.
 */
export function readRelatedFacts(input: RelatedInput, unknowns: UnknownFact[]): JsonObject {
  const set = input.set ?? { scope: '', byKind: new Map(), gaps: new Map() };
  const ctx: RelatedContext = { ...input, set };
  // One literal, no spread: copying readAll's object property by property was most of this step's cost.
  const facts: JsonObject = readAll(ctx, input.set !== null);
  if (input.set === null) {
    addUnknown(unknowns, 'related', NOT_LOOKED_UP, 'related objects');
    return facts;
  }
  for (const [kind, reason] of input.set.gaps) {
    for (const fact of FACTS_OF_KIND[kind] ?? []) addUnknown(unknowns, `related.${fact}`, reason, kind);
  }
  const unresolved = facts.unresolvedClaims as string[];
  if (unresolved.length > 0) {
    addUnknown(unknowns, 'related.unresolvedClaims', `PersistentVolumeClaim ${unresolved.join(', ')} is not in ${input.set.scope}`, 'PersistentVolumeClaim');
  }
  if (input.portUnknown) {
    for (const fact of PORT_FACTS) addUnknown(unknowns, `related.${fact}`, input.portUnknown.reason, input.portUnknown.source);
  }
  const unsure = input.controllerService?.port === null ? input.controllerService : undefined;
  if (unsure && (facts.serverServices as string[]).length === 0) addUnknown(unknowns, 'related.serverServices', unsure.unknown ?? `${unsure.by} sets the port its Service targets`, unsure.by);
  return facts;
}
