/** Probe facts with Kubernetes defaults applied, named ports resolved through the container's ports. */
import { arrayAt, isObject, numberAt, objectAt, stringAt } from '../util/json.js';
import type { JsonObject } from '../types.js';

export interface ProbeFacts {
  type: 'httpGet' | 'tcpSocket' | 'exec' | 'grpc' | 'none';
  path: string | null;
  port: number | null;
  portName: string | null;
  host: string | null;
  initialDelaySeconds: number;
  periodSeconds: number;
  failureThreshold: number;
  windowSeconds: number;
  /** The httpGet.httpHeaders names the kubelet sends, lower-cased (`authorization`); empty for other handlers. */
  headers: string[];
  /** The httpGet path is one of vLLM's /v1 routes (`/v1`, `/v1/…`, `/v1?…`), which its API key covers. */
  v1Route: boolean;
}

/** `/v1`, `/v1/…` or `/v1?…`: vLLM's AuthenticationMiddleware checks the paths under /v1 (api_server.py). */
function isV1Route(path: string | null): boolean {
  return path !== null && path.startsWith('/v1') && (path.length === 3 || path[3] === '/' || path[3] === '?');
}

const HANDLERS = ['httpGet', 'tcpSocket', 'grpc', 'exec'] as const;

function resolvePort(raw: unknown, container: JsonObject): { port: number | null; portName: string | null } {
  if (typeof raw === 'number') return { port: Number.isInteger(raw) ? raw : null, portName: null };
  if (typeof raw !== 'string') return { port: null, portName: null };
  if (/^\d+$/.test(raw)) return { port: Number(raw), portName: null };
  for (const entry of arrayAt(container, 'ports')) {
    if (stringAt(entry, 'name') === raw) return { port: numberAt(entry, 'containerPort') ?? null, portName: raw };
  }
  return { port: null, portName: raw };
}

/** Names of an httpGet handler's httpHeaders, lower-cased (HTTP header names are case-insensitive). */
function headerNames(handler: JsonObject | undefined): string[] {
  const names: string[] = [];
  for (const header of arrayAt(handler, 'httpHeaders')) {
    const name = stringAt(header, 'name');
    if (name) names.push(name.toLowerCase());
  }
  return names;
}

/** The first handler HANDLERS names that the probe holds, else none (a loop: no closure per probe). */
function handlerOf(probe: JsonObject): ProbeFacts['type'] {
  for (const h of HANDLERS) if (isObject(probe[h])) return h;
  return 'none';
}

/**
 * The probe at `container[field]` (`readinessProbe`, `livenessProbe`, `startupProbe`), or null when absent.
 * Kubernetes' defaults fill unset fields (initialDelaySeconds 0, periodSeconds 10, failureThreshold 3:
 * core/v1 Probe, kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/); an httpGet
 * without a path requests `/`.
 * windowSeconds = initialDelaySeconds + failureThreshold × periodSeconds: the seconds a failing container gets.
 * A named port resolves through the container's ports (port null when no entry has that name). Never throws.
 */
export function readProbe(container: JsonObject, field: string): ProbeFacts | null {
  const probe = objectAt(container, field);
  if (!probe) return null;
  const type = handlerOf(probe);
  const handler = type === 'none' ? undefined : objectAt(probe, type);
  const { port, portName } = type === 'exec' || type === 'none' ? { port: null, portName: null } : resolvePort(handler?.port, container);
  // Kubernetes defaults: periodSeconds 10, failureThreshold 3, initialDelaySeconds 0.
  const initialDelaySeconds = numberAt(probe, 'initialDelaySeconds') ?? 0;
  const periodSeconds = numberAt(probe, 'periodSeconds') ?? 10;
  const failureThreshold = numberAt(probe, 'failureThreshold') ?? 3;
  const path = type === 'httpGet' ? (stringAt(handler, 'path') ?? '/') : null;
  return {
    type,
    path,
    port,
    portName,
    host: stringAt(handler, 'host') ?? null,
    initialDelaySeconds,
    periodSeconds,
    failureThreshold,
    windowSeconds: initialDelaySeconds + failureThreshold * periodSeconds,
    headers: type === 'httpGet' ? headerNames(handler) : [],
    v1Route: isV1Route(path),
  };
}

/**
 * The container's `lifecycle.postStart` hook read as a probe's handler (type, path, port resolved
 * through the container's ports, host), or null without one. The kubelet runs it once, right after
 * it creates the container, and kills the container when it fails (kubernetes.io/docs/concepts/
 * containers/container-lifecycle-hooks); an httpGet is not retried. The timing fields are the probe
 * defaults and mean nothing for a hook. Never throws.
 */
export function readPostStart(container: JsonObject): ProbeFacts | null {
  const postStart = objectAt(objectAt(container, 'lifecycle'), 'postStart');
  return postStart ? readProbe({ ports: container.ports ?? null, postStart }, 'postStart') : null;
}
