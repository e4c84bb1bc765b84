/**
 * Ways in from outside the namespace: Ingresses (networking.k8s.io/v1: rules[].http.paths[].backend
 * and defaultBackend name a Service) and Gateway API HTTPRoutes (gateway.networking.k8s.io/v1:
 * rules[].backendRefs name a Service, the default kind, or an InferencePool) whose backends are a
 * Service or InferencePool that reaches the workload. HTTPRoute filters are kept by type
 * (RequestHeaderModifier, ExtensionRef, …): an auth layer in front may be one of them.
 */
import type { JsonObject } from '../types.js';
import { numberAt, objectAt, stringAt } from '../util/json.js';
import { itemsAt, MAX_LISTED, nameOf, type RelatedContext } from './context.js';
import { relatedOfKind } from './related-set.js';

export interface RouteFact {
  kind: 'Ingress' | 'HTTPRoute';
  name: string;
  /** The backend that reaches the workload: a Service name, or `InferencePool NAME`. */
  backend: string;
  /** The backend port as written (Ingress: number or name), null when none. */
  port: number | string | null;
  /** HTTPRoute filter types on the rule or the backend; [] for an Ingress. */
  filters: string[];
  /** Ingress class (spec.ingressClassName) or the HTTPRoute's first parent Gateway, null when none. */
  via: string | null;
}

function ingressBackends(ingress: JsonObject): JsonObject[] {
  const spec = objectAt(ingress, 'spec');
  const out: JsonObject[] = [];
  const fallback = objectAt(objectAt(spec, 'defaultBackend'), 'service');
  if (fallback) out.push(fallback);
  for (const rule of itemsAt(spec, 'rules')) {
    for (const path of itemsAt(objectAt(rule, 'http'), 'paths')) {
      const service = objectAt(objectAt(path, 'backend'), 'service');
      if (service) out.push(service);
    }
  }
  return out;
}

function readIngresses(ctx: RelatedContext, services: ReadonlySet<string>, out: RouteFact[]): void {
  for (const ingress of relatedOfKind(ctx.set, 'Ingress', ctx.namespace)) {
    const backend = ingressBackends(ingress).find((b) => services.has(stringAt(b, 'name') ?? ''));
    if (!backend) continue;
    const port = objectAt(backend, 'port');
    out.push({
      kind: 'Ingress',
      name: nameOf(ingress),
      backend: stringAt(backend, 'name') ?? '',
      port: numberAt(port, 'number') ?? stringAt(port, 'name') ?? null,
      filters: [],
      via: stringAt(objectAt(ingress, 'spec'), 'ingressClassName') ?? null,
    });
  }
}

function filterTypes(holder: unknown): string[] {
  return itemsAt(holder, 'filters').map((f) => stringAt(f, 'type') ?? '').filter(Boolean);
}

function readHttpRoutes(ctx: RelatedContext, services: ReadonlySet<string>, pools: ReadonlySet<string>, out: RouteFact[]): void {
  for (const route of relatedOfKind(ctx.set, 'HTTPRoute', ctx.namespace)) {
    const spec = objectAt(route, 'spec');
    for (const rule of itemsAt(spec, 'rules')) {
      const ref = itemsAt(rule, 'backendRefs').find((r) => {
        const kind = stringAt(r, 'kind') ?? 'Service';
        const name = stringAt(r, 'name') ?? '';
        return (kind === 'Service' && services.has(name)) || (kind === 'InferencePool' && pools.has(name));
      });
      if (!ref) continue;
      const kind = stringAt(ref, 'kind') ?? 'Service';
      const name = stringAt(ref, 'name') ?? '';
      out.push({
        kind: 'HTTPRoute',
        name: nameOf(route),
        backend: kind === 'Service' ? name : `InferencePool ${name}`,
        port: numberAt(ref, 'port') ?? null,
        filters: [...new Set([...filterTypes(rule), ...filterTypes(ref)])],
        via: stringAt(itemsAt(spec, 'parentRefs')[0], 'name') ?? null,
      });
      break;
    }
  }
}

/** Ingresses and HTTPRoutes in front of the workload (through `services` or `pools`, by name). */
export function readRoutes(ctx: RelatedContext, services: readonly string[], pools: readonly string[]): RouteFact[] {
  const out: RouteFact[] = [];
  readIngresses(ctx, new Set(services), out);
  readHttpRoutes(ctx, new Set(services), new Set(pools), out);
  return out.slice(0, MAX_LISTED);
}
