/**
 * What extraction produces (workload/extract.ts): the object's pod templates, where each sits and
 * how its pods form a serving group. Their own file: the first stage's output, read by every later one.
 * @module
 */
import type { JsonObject } from './vocabulary.js';
import type { RayServeApps } from '../workload/ray-serve-llm.js';
import type { LlmisvcParallelismRead } from '../workload/llmisvc-parallelism.js';

/** One pod spec an object will create, and where it sits in that object. */
export interface PodTemplate {
  /** Dotted path of the template (the object holding metadata and spec), '' for a Pod. */
  path: string;
  /** Dotted path of the pod spec itself. */
  specPath: string;
  metadata: JsonObject;
  /**
   * Dotted path of the object holding `metadata`'s `labels` and `annotations` when it is not
   * `${path}.metadata`: an OME or KServe component writes them inline (`spec.engineConfig.labels`).
   */
  metadataPath?: string;
  spec: JsonObject;
  /** pod, or leader/worker in a LeaderWorkerSet group. */
  role: 'pod' | 'leader' | 'worker';
  /** Pods that run together as one serving group (LeaderWorkerSet size), 1 otherwise. */
  groupSize: number;
  /** Serving CRDs: pods of this template in one group (Ray replicas × numOfHosts); null when unknown. */
  podsInGroup?: number | null;
  /** Containers the controller merges into this pod (KServe predictor.model → kserve-container). */
  mergedContainers?: {
    path: string;
    as: string;
    container: JsonObject;
    server: boolean;
    /**
     * The ServingRuntime merged in (workload/kserve-runtime.ts): `label` (`ServingRuntime vllm`) for
     * messages, how many of the container's args are the runtime's, whether its command is.
     */
    runtime?: { label: string; args: number; command: boolean };
  }[];
  /** A container name that is the vLLM server by construction (LLMInferenceService `main`). */
  serverContainer?: string;
  /** The operator that adds /dev/shm and probes to the first container of each pod (KubeRay). */
  injectedBy?: string;
  /**
   * The container the operator gives the pod's probes (a Dynamo v1beta1 worker's `main`): a vLLM engine
   * in another container of the pod is reached through it and is judged as an engine worker.
   */
  fronted?: string;
  /** The template's place in a serving CRD (workload/serving-kinds.ts ServingRole). */
  servingRole?: string;
  /** The serving group of the template, when its object has several (an OME component, a kthena role instance): its pods and accelerators are summed alone. */
  servingGroup?: string;
  /** Labels the controller adds to each pod (a LeaderWorkerSet's name): selectors of Services and policies see them. */
  controllerLabels?: Record<string, string>;
  /** Env variables the serving controller sets in every pod it makes (serving-kinds.ts controllerEnv), and who sets them. */
  controllerEnv?: { names: readonly string[]; by: string };
  /**
   * Env values the controller sets in every pod it makes that the object itself fixes (a LeaderWorkerSet's
   * LWS_GROUP_SIZE: its size), so a `$(VAR)` reference to one is known, not "set at run time".
   */
  controllerEnvValues?: Readonly<Record<string, string>>;
  /** Why the multi-node launch of this template's group is not written here (serving-kinds.ts multinodeLaunch). */
  multinodeLaunch?: string;
  /**
   * LLMInferenceService: the parallelism KServe's default config passes to vLLM for this template's
   * workload when `main` writes no command (workload/llmisvc-parallelism.ts).
   */
  llmisvcParallelism?: LlmisvcParallelismRead;
  /** `[rendered, written]` path prefixes: where the object writes fields of a pod an operator renders (workload/dynamo-graph.ts). */
  pathAliases?: readonly (readonly [rendered: string, written: string, whole?: 'whole'])[];
  /** Facts the controller takes from its own configuration, which the object cannot show (a KubeAI Model's profile): unknown, with the reason. */
  controllerUnknowns?: readonly { path: string; reason: string }[];
  /**
   * The Service the serving controller makes for this template's pods (KServe's component Service):
   * who makes it, its name and the container port it targets; `port` null with `unknown` (why) when
   * the port is not written in this object (`fromMergedContainer`: it is the merged container's, known
   * once its ServingRuntime is merged in, workload/kserve-runtime.ts). `portName`: the name of that
   * Service port (KServe: the container port's name, else the component's name), which a
   * ServiceMonitor endpoint may name; `carriesPodLabels`: the Service's labels are the pods' (KServe
   * gives it the component's metadata), so a ServiceMonitor selects it by them.
   */
  controllerService?: { by: string; name: string; port: number | null; portName?: string | null; carriesPodLabels?: true; unknown?: string; fromMergedContainer?: true };
}

/** One object as extraction read it: identity, labels and the pod templates it will create. */
export interface Workload {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  templates: PodTemplate[];
  /** Why nothing was extracted (unknown kind, no spec), when templates is empty. */
  skipped?: string;
  /** The skipped object names a vLLM image (workload/unread-vllm.ts): the reason is also a note. */
  holdsVllm?: boolean;
  /** Serving CRDs (workload/serving-kinds.ts): the group the CRD states, and where accelerators come from. */
  serving?: {
    /** Devices the group needs by the CRD's own rule (KServe TP × PP), or null. */
    devices: number | null;
    /** A runtime template: its accelerators come from the InferenceService that uses it. */
    acceleratorsFromService: boolean;
    /** A RayService's Ray Serve LLM apps read from spec.serveConfigV2 (workload/ray-serve-llm.ts). */
    rayServe?: RayServeApps;
  };
}
