/**
 * The pod the NVIDIA Dynamo operator makes for one component of a `nvidia.com/v1beta1`
 * DynamoGraphDeployment (`spec.components[]`), written out so the engine reviews what will run. In
 * v1beta1 a component's pod is a native `podTemplate` (PodTemplateSpec); the operator injects its
 * defaults into the container named `main` (command, env, ports, probes, volume mounts) and merges the
 * user's fields over them by name, other containers being the user's sidecars; `sharedMemorySize`
 * replaces v1alpha1's `sharedMemory` (unset: 8Gi at /dev/shm, "0": none). The worker defaults are
 * v1alpha1's (dynamo-graph.ts workerDefaults, component_worker.go), given to `worker`, `prefill` and
 * `decode` components. Pure; bounded like dynamo-graph.ts.
 *
 * Source: ai-dynamo/dynamo deploy/operator/api/v1beta1/dynamocomponentdeployment_types.go (commit
 * 006b6e10: MainContainerName "main", DynamoComponentDeploymentSharedSpec.PodTemplate,
 * SharedMemorySize, ComponentType) and examples/backends/vllm/deploy/v1beta1/agg.yaml.
 * @module
 */
import { arrayAt, isObject, objectAt, stringAt } from '../util/json.js';
import type { JsonObject } from '../types.js';
import { mergeEnvs, quantity, workerDefaults } from './dynamo-graph.js';

/** Where the v1beta1 sources are, for the kind table. */
export const DYNAMO_V1BETA1_SOURCE =
  'ai-dynamo/dynamo deploy/operator/api/v1beta1/dynamocomponentdeployment_types.go (commit 006b6e10: podTemplate, container main, sharedMemorySize)';

const MAX_ENTRIES = 256;
const WORKER_TYPES: ReadonlySet<string> = new Set(['worker', 'prefill', 'decode']);
const HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'] as const;

/** A probe the user writes merged over the operator's: the user's fields win, and the user's handler replaces the default one. */
function mergeProbe(base: unknown, own: unknown): unknown {
  if (!isObject(own)) return base;
  if (!isObject(base)) return own;
  const merged: JsonObject = { ...base, ...own };
  if (HANDLERS.some((h) => h in own)) for (const h of HANDLERS) if (!(h in own)) delete merged[h];
  return merged;
}

/** Ports merged by name (or containerPort when unnamed), the user's over the defaults. */
function mergePorts(base: unknown[], own: unknown[]): unknown[] {
  const key = (p: unknown): string => (isObject(p) ? (stringAt(p, 'name') ?? String(p.containerPort)) : '');
  const ownKeys = new Set(own.slice(0, MAX_ENTRIES).map(key));
  return [...base.filter((p) => !ownKeys.has(key(p))), ...own.slice(0, MAX_ENTRIES)];
}

export interface DynamoComponentPod {
  /**
   * `main` when the operator gives it a worker's probes: the pod is Ready when main is, and a vLLM
   * engine in another container (the gRPC sidecar layout of examples/backends/vllm/deploy/sidecar_agg.yaml)
   * is reached through main.
   */
  fronted?: string;
  metadata: JsonObject;
  /** `podTemplate.spec` with the main container rendered in place and the shared-memory volume added. */
  spec: JsonObject;
}

/** The pod of one v1beta1 component (`component` is `spec.components[i]`), as the operator renders it. */
export function renderDynamoComponent(component: JsonObject): DynamoComponentPod {
  const template = objectAt(component, 'podTemplate') ?? {};
  const metadata = objectAt(template, 'metadata') ?? {};
  const podSpec = objectAt(template, 'spec') ?? {};
  const worker = WORKER_TYPES.has(stringAt(component, 'type') ?? '');
  const shmSize = quantity(component.sharedMemorySize);
  const shm = shmSize === undefined || (shmSize !== '0' && shmSize !== 0);
  let addShm = false;
  const containers = arrayAt(podSpec, 'containers').slice(0, MAX_ENTRIES).map((c) => {
    if (!isObject(c) || stringAt(c, 'name') !== 'main') return c;
    const base = worker ? workerDefaults() : { name: 'main' };
    const main: JsonObject = { ...base, ...c, name: 'main' };
    main.env = mergeEnvs([
      { list: arrayAt(base, 'env'), at: null },
      { list: arrayAt(c, 'env'), at: null },
    ]).env;
    main.ports = mergePorts(arrayAt(base, 'ports'), arrayAt(c, 'ports'));
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const merged = mergeProbe(base[probe], c[probe]);
      if (merged !== undefined) main[probe] = merged;
    }
    // A /dev/shm the user mounts is kept as written (what the operator does with two is not sourced).
    const mounts = arrayAt(c, 'volumeMounts').slice(0, MAX_ENTRIES);
    if (shm && !mounts.some((m) => isObject(m) && m.mountPath === '/dev/shm')) {
      main.volumeMounts = [...mounts, { name: 'shared-memory', mountPath: '/dev/shm' }];
      addShm = true;
    }
    return main;
  });
  const volumes = arrayAt(podSpec, 'volumes').slice(0, MAX_ENTRIES);
  if (addShm) volumes.push({ name: 'shared-memory', emptyDir: { medium: 'Memory', sizeLimit: shmSize ?? '8Gi' } });
  const pod: DynamoComponentPod = { metadata, spec: { ...podSpec, containers, volumes } };
  if (worker && containers.some((c) => isObject(c) && stringAt(c, 'name') === 'main')) pod.fronted = 'main';
  return pod;
}
