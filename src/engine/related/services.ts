/**
 * Services whose selector picks the workload's pods (selector ⊆ pod labels, the endpoints
 * controller's rule), with each port's targetPort resolved to a container port: a number as is, a
 * name through the pod's `ports` (Kubernetes Service docs, "Defining a Service"; targetPort
 * defaults to port).
 */
import type { JsonObject } from '../types.js';
import { isObject, numberAt, objectAt, stringAt } from '../util/json.js';
import { itemsAt, MAX_LISTED, nameOf, resolvePort, type RelatedContext } from './context.js';
import { relatedOfKind } from './related-set.js';
import { mapSelects } from './selector.js';

export interface ServicePortFact {
  name: string | null;
  port: number | null;
  /** As written (number or name); the port itself when absent. */
  targetPort: number | string | null;
  /** The container port it reaches, null when a name resolves to none. */
  containerPort: number | null;
  protocol: string;
}

export interface ServiceFact {
  name: string;
  type: string;
  ports: ServicePortFact[];
  /** Some port reaches vLLM's port. */
  reachesServer: boolean;
  /** The Service object, for readers that follow it (ServiceMonitor, Ingress). */
  object: JsonObject;
}

function readPort(ctx: RelatedContext, entry: unknown): ServicePortFact {
  const port = numberAt(entry, 'port') ?? null;
  const written = isObject(entry) ? entry.targetPort : undefined;
  const targetPort = typeof written === 'number' || typeof written === 'string' ? written : port;
  return {
    name: stringAt(entry, 'name') ?? null,
    port,
    targetPort,
    containerPort: resolvePort(ctx.pod, targetPort),
    protocol: stringAt(entry, 'protocol') ?? 'TCP',
  };
}

/** Knative's port when a container writes none (knative/serving pkg/apis/serving/v1 DefaultUserPort). */
const KNATIVE_DEFAULT_USER_PORT = 8080;

/**
 * The Service a Knative Service's route makes, which reaches the pods through the queue-proxy on the
 * user port: the first containerPort of the container that writes one, else 8080
 * (knative/serving pkg/reconciler/revision/resources/deploy.go getUserPort). vLLM ignores the PORT
 * variable Knative sets, so the user port must be its --port. Only a Knative Service reaches here
 * as a workload of kind Service: a core Service is never one.
 */
function knativeRouteService(ctx: RelatedContext): ServiceFact {
  let userPort = KNATIVE_DEFAULT_USER_PORT;
  for (const container of itemsAt(ctx.pod, 'containers')) {
    const first = itemsAt(container, 'ports')[0];
    if (first === undefined) continue;
    userPort = numberAt(first, 'containerPort') ?? KNATIVE_DEFAULT_USER_PORT;
    break;
  }
  const port: ServicePortFact = { name: null, port: 80, targetPort: userPort, containerPort: userPort, protocol: 'TCP' };
  const name = `${ctx.name} (Knative routes to containerPort ${userPort})`;
  return { name, type: 'ClusterIP', ports: [port], reachesServer: userPort === ctx.serverPort, object: { metadata: { name: ctx.name } } };
}

/**
 * KubeAI's proxy, which reaches the pods of a Model itself: it lists the Ready pods labelled `model: <name>`
 * and sends requests to the pod IP at the port of the pod's `model-pod-port` annotation, 8000 for vLLM
 * (substratusai/kubeai internal/loadbalancer/load_balancer.go@v0.21.0, engine_vllm.go). So the port must be
 * vLLM's --port. Only a KubeAI Model's rendered pod (workload/kubeai-model.ts) carries that annotation.
 */
function kubeaiProxy(ctx: RelatedContext): ServiceFact | null {
  const port = Number(ctx.podAnnotations['model-pod-port']);
  if (ctx.kind !== 'Model' || !Number.isInteger(port)) return null;
  const fact: ServicePortFact = { name: 'http', port, targetPort: port, containerPort: port, protocol: 'TCP' };
  const name = `${ctx.name} (KubeAI's proxy routes to port ${port})`;
  return { name, type: 'ClusterIP', ports: [fact], reachesServer: port === ctx.serverPort, object: { metadata: { name: ctx.name } } };
}

/**
 * The Service a serving controller makes for the pods (PodTemplate controllerService: KServe's component
 * Service), reaching them at the port it targets; when that port is not written in the object, the
 * Service is there but whether it reaches vLLM is unknown (related-facts.ts says so), never a finding.
 */
function controllerService(ctx: RelatedContext): ServiceFact | null {
  const made = ctx.controllerService;
  if (made === undefined) return null;
  // What a ServiceMonitor reads of it (monitors.ts): its labels, and the name of its port.
  const object = { metadata: made.carriesPodLabels ? { name: made.name, labels: ctx.podLabels } : { name: made.name } };
  if (made.port === null) return { name: `${made.name} (${made.by}'s)`, type: 'ClusterIP', ports: [], reachesServer: false, object };
  const port: ServicePortFact = { name: made.portName ?? null, port: 80, targetPort: made.port, containerPort: made.port, protocol: 'TCP' };
  const name = `${made.name} (${made.by}'s, to containerPort ${made.port})`;
  return { name, type: 'ClusterIP', ports: [port], reachesServer: made.port === ctx.serverPort, object };
}

/** Services in the set that select the workload's pods, in set order (all of them, for other readers). */
export function matchingServices(ctx: RelatedContext): ServiceFact[] {
  const proxy = kubeaiProxy(ctx) ?? controllerService(ctx);
  const out: ServiceFact[] = ctx.kind === 'Service' ? [knativeRouteService(ctx)] : proxy ? [proxy] : [];
  for (const service of relatedOfKind(ctx.set, 'Service', ctx.namespace)) {
    const spec = objectAt(service, 'spec');
    if (!mapSelects(spec?.selector, ctx.podLabels)) continue;
    const ports = itemsAt(spec, 'ports').map((p) => readPort(ctx, p));
    out.push({
      name: nameOf(service),
      type: stringAt(spec, 'type') ?? 'ClusterIP',
      ports,
      reachesServer: ports.some((p) => p.containerPort === ctx.serverPort && p.protocol === 'TCP'),
      object: service,
    });
  }
  return out;
}

/** The facts-document view: without the object, at most MAX_LISTED. */
export function serviceFacts(services: readonly ServiceFact[]) {
  return services.slice(0, MAX_LISTED).map(({ name, type, ports, reachesServer }) => ({ name, type, ports, reachesServer }));
}
