/**
 * What scrapes the workload's pods: Prometheus-operator ServiceMonitors (monitoring.coreos.com/v1,
 * through a matching Service: endpoint `port` names a Service port, `targetPort` a container port)
 * and PodMonitors (`port` names a container port, `portNumber` gives it), each endpoint's path
 * defaulting to /metrics; and the `prometheus.io/scrape|port|path` annotations on the pod template
 * or a matching Service read by the common Kubernetes scrape configs (prometheus/prometheus
 * documentation/examples/prometheus-kubernetes.yml). A monitor reaches vLLM when an endpoint's
 * port is vLLM's `--port` and its path is /metrics, where vLLM serves Prometheus metrics (VMET).
 * Google Cloud Managed Service for Prometheus (GKE) has its own kinds, monitoring.googleapis.com/v1
 * PodMonitoring (pods of its own namespace) and ClusterPodMonitoring (every namespace): `selector`
 * picks the pods, each of `endpoints` names a container port (`port`, a name or a number) and a `path`
 * (default /metrics) (GoogleCloudPlatform/prometheus-engine doc/api.md, ScrapeEndpoint). The kubecon
 * demos of kubernetes-sigs/inference-perf (7de5ef2e) scrape vLLM that way.
 */
import type { JsonObject } from '../types.js';
import { arrayAt, isObject, numberAt, objectAt, stringAt, stringMapAt } from '../util/json.js';
import { declaresPort, itemsAt, MAX_LISTED, nameOf, namespaceOf, resolvePort, type RelatedContext } from './context.js';
import type { ServiceFact } from './services.js';
import { labelSelectorMatches } from './selector.js';

export const METRICS_PATH = '/metrics';

export interface MonitorFact {
  kind: 'ServiceMonitor' | 'PodMonitor' | 'PodMonitoring' | 'ClusterPodMonitoring' | 'annotations';
  /** The monitor's name; for annotations, where they are ("pod template" or "Service NAME"). */
  name: string;
  /** The Service a ServiceMonitor or Service annotation goes through, else null. */
  service: string | null;
  /** Container ports scraped (resolved), with the path of each endpoint. */
  endpoints: { port: number | null; path: string }[];
  /** Some endpoint is vLLM's port with path /metrics. */
  reachesServer: boolean;
}

/** Whether a monitor in `monitorNs` looks in the workload's namespace (namespaceSelector; its own by default). */
function watchesNamespace(monitor: JsonObject, ctx: RelatedContext): boolean {
  const selector = objectAt(objectAt(monitor, 'spec'), 'namespaceSelector');
  if (selector?.any === true) return true;
  const names = arrayAt(selector, 'matchNames');
  if (names.length > 0) return ctx.namespace === '' || names.includes(ctx.namespace);
  const own = namespaceOf(monitor);
  return own === '' || ctx.namespace === '' || own === ctx.namespace;
}

function monitorsOf(ctx: RelatedContext, kind: 'ServiceMonitor' | 'PodMonitor' | 'PodMonitoring'): JsonObject[] {
  return (ctx.set.byKind.get(kind) ?? []).filter((m) => watchesNamespace(m, ctx));
}

function fact(kind: MonitorFact['kind'], name: string, service: string | null, endpoints: MonitorFact['endpoints'], port: number): MonitorFact {
  return { kind, name, service, endpoints, reachesServer: endpoints.some((e) => e.port === port && e.path === METRICS_PATH) };
}

function serviceMonitorEndpoints(monitor: JsonObject, service: ServiceFact, ctx: RelatedContext): MonitorFact['endpoints'] {
  return itemsAt(objectAt(monitor, 'spec'), 'endpoints').flatMap((endpoint) => {
    const path = stringAt(endpoint, 'path') ?? METRICS_PATH;
    const portName = stringAt(endpoint, 'port');
    if (portName !== undefined) {
      const port = service.ports.find((p) => p.name === portName);
      return port ? [{ port: port.containerPort, path }] : [];
    }
    const target = isObject(endpoint) ? endpoint.targetPort : undefined;
    if (target !== undefined) return [{ port: resolvePort(ctx.pod, target), path }];
    // No port: every port of the Service.
    return service.ports.map((p) => ({ port: p.containerPort, path }));
  });
}

function podMonitorEndpoints(monitor: JsonObject, ctx: RelatedContext): MonitorFact['endpoints'] {
  return itemsAt(objectAt(monitor, 'spec'), 'podMetricsEndpoints').map((endpoint) => {
    const path = stringAt(endpoint, 'path') ?? METRICS_PATH;
    const number = numberAt(endpoint, 'portNumber');
    const named = stringAt(endpoint, 'port');
    const target = isObject(endpoint) ? endpoint.targetPort : undefined;
    const port = number ?? (named !== undefined ? resolvePort(ctx.pod, named) : resolvePort(ctx.pod, target));
    return { port, path };
  });
}

/** A PodMonitoring's or ClusterPodMonitoring's endpoints: `port` is a container port's name or number. */
function podMonitoringEndpoints(monitor: JsonObject, ctx: RelatedContext): MonitorFact['endpoints'] {
  return itemsAt(objectAt(monitor, 'spec'), 'endpoints').map((endpoint) => {
    const path = stringAt(endpoint, 'path') ?? METRICS_PATH;
    return { port: resolvePort(ctx.pod, isObject(endpoint) ? endpoint.port : undefined), path };
  });
}

function annotationFact(annotations: Readonly<Record<string, string>>, where: string, service: ServiceFact | null, ctx: RelatedContext): MonitorFact | null {
  if (annotations['prometheus.io/scrape'] !== 'true') return null;
  const path = annotations['prometheus.io/path'] ?? METRICS_PATH;
  const written = annotations['prometheus.io/port'];
  const number = written !== undefined && written.trim() !== '' && Number.isInteger(Number(written)) ? Number(written) : null;
  let ports: (number | null)[];
  if (number !== null) ports = [number];
  else if (service) ports = service.ports.map((p) => p.containerPort);
  else ports = declaresPort(ctx.pod, ctx.serverPort) ? [ctx.serverPort] : [null];
  return fact('annotations', where, service?.name ?? null, ports.map((port) => ({ port, path })), ctx.serverPort);
}

/** Monitors that select the pods (directly or through one of `services`), then annotations. */
export function readMonitors(ctx: RelatedContext, services: readonly ServiceFact[]): MonitorFact[] {
  const out: MonitorFact[] = [];
  for (const monitor of monitorsOf(ctx, 'ServiceMonitor')) {
    const selector = objectAt(monitor, 'spec')?.selector;
    for (const service of services) {
      if (!labelSelectorMatches(selector, stringMapAt(objectAt(service.object, 'metadata'), 'labels'))) continue;
      out.push(fact('ServiceMonitor', nameOf(monitor), service.name, serviceMonitorEndpoints(monitor, service, ctx), ctx.serverPort));
    }
  }
  for (const monitor of monitorsOf(ctx, 'PodMonitor')) {
    if (!labelSelectorMatches(objectAt(monitor, 'spec')?.selector, ctx.podLabels)) continue;
    out.push(fact('PodMonitor', nameOf(monitor), null, podMonitorEndpoints(monitor, ctx), ctx.serverPort));
  }
  const gmp = [
    ...monitorsOf(ctx, 'PodMonitoring').map((m) => ['PodMonitoring', m] as const),
    ...(ctx.set.byKind.get('ClusterPodMonitoring') ?? []).map((m) => ['ClusterPodMonitoring', m] as const),
  ];
  for (const [kind, monitor] of gmp) {
    if (!labelSelectorMatches(objectAt(monitor, 'spec')?.selector, ctx.podLabels)) continue;
    out.push(fact(kind, nameOf(monitor), null, podMonitoringEndpoints(monitor, ctx), ctx.serverPort));
  }
  const own = annotationFact(ctx.podAnnotations, 'pod template', null, ctx);
  if (own) out.push(own);
  for (const service of services) {
    const annotated = annotationFact(stringMapAt(objectAt(service.object, 'metadata'), 'annotations'), `Service ${service.name}`, service, ctx);
    if (annotated) out.push(annotated);
  }
  return out.slice(0, MAX_LISTED);
}
