/**
 * The shape of an entry of the serving-kind table (serving-kinds.ts): where a kind's pod templates
 * sit, what each template holds, and how its pods form one serving group. Its own file: read by the
 * table, the kinds in their own files (knative-kinds.ts, ome-kthena-kinds.ts) and extraction
 * (serving-extract.ts, extract.ts).
 *
 * Paths are dotted; `[]` after a segment walks every element of an array
 * (`spec.workerGroupSpecs[].template`), and extraction reports the concrete index
 * (`spec.workerGroupSpecs[0].template`); `{}` walks every value of a map, reported with its key
 * (`spec.services{}` → `spec.services.VllmDecodeWorker`). Each entry cites the API type or the public
 * example it follows.
 * @module
 */

/**
 * What sits at a template path. `template`: a PodTemplateSpec ({metadata, spec}). `podSpec`: a PodSpec
 * (or a type that inlines one, such as KServe's PredictorSpec and WorkerSpec). `dynamoService`: a
 * DynamoGraphDeployment service, whose pod the Dynamo operator renders (workload/dynamo-graph.ts).
 * `dynamoComponent`: a v1beta1 DynamoGraphDeployment component (workload/dynamo-component.ts). `kubeaiModel`:
 * a KubeAI Model's spec, whose vLLM pod the KubeAI controller renders (workload/kubeai-model.ts).
 */
export type Holder = 'template' | 'podSpec' | 'dynamoService' | 'dynamoComponent' | 'kubeaiModel';

/** The part a template plays in its serving group. */
export type ServingRole = 'pod' | 'leader' | 'worker' | 'head' | 'prefill' | 'prefill-worker' | 'runtime' | 'runtime-worker' | 'role';

/** One template path of a serving kind: what it holds, the part it plays, and how many pods it makes per group. */
export interface ServingTemplateEntry {
  path: string;
  holds: Holder;
  role: ServingRole;
  /** Pods this template makes in one group: a number, or a path relative to the array element (Ray `replicas`). */
  podsPerGroup?: number | { path: string; times?: string; default: number };
  /**
   * Containers outside the pod spec that the controller merges into it: KServe's `predictor.model`
   * becomes the `kserve-container`, with the ServingRuntime's image and command and these args appended.
   * `ownName`: the container keeps the name it is written with (`as` when it has none).
   */
  mergedContainers?: readonly { path: string; as: string; ownName?: true }[];
  /**
   * Templates of one object with the same group form one serving group (their pods summed); other
   * templates of the object are other groups. `element`: the array element the last `[]` walked into
   * (kthena: each role instance is an entry pod and its workers). Without it, all templates of the
   * object form one group.
   */
  group?: string;
  /** Not read when the object holds this dotted path (OME: a leader replaces the engine's own pod spec). */
  absentWith?: string;
  /**
   * Dotted path of an object whose `labels` and `annotations` the controller puts on the pod (OME's and
   * KServe's components write them inline): findings and fixes about pod labels point there.
   */
  metadataFrom?: string;
}

/** How the engine learns TP × PP for the group, when the CRD carries it outside argv. */
export interface ParallelismPaths {
  tensor?: string;
  pipeline?: string;
  data?: string;
  dataLocal?: string;
  /** What the numbers mean, from the API docs. */
  meaning: string;
}

/** One serving CRD: identity, resource, its template paths and how its pods form a group, with the source it follows. */
export interface ServingKind {
  kind: string;
  group: string;
  versions: readonly string[];
  /** Plural resource, for webhook rules and audit listing. */
  resource: string;
  namespaced: boolean;
  templates: readonly ServingTemplateEntry[];
  parallelism?: readonly ParallelismPaths[];
  /**
   * `inference-service`: a runtime template whose accelerators come from the InferenceService that
   * uses it; GPU rules report what they see and never deny on it.
   */
  acceleratorsFrom?: 'inference-service';
  /**
   * A template of several pods gets its multi-node launch from the controller (the backend and node
   * flags it adds differ by release): that launch is unknown here, and the multi-node rules never deny.
   */
  multinodeLaunch?: string;
  /**
   * The pods are independent (each its own vLLM, as a Job's pods are) unless a template launches a
   * multi-node engine (workload/jobset-group.ts): the text says why, for the docs and the table.
   */
  independentPods?: string;
  /** Env variables the controller sets in every container it makes, with who sets them: `$(NAME)` is known only at run time. */
  controllerEnv?: { names: readonly string[]; by: string };
  /**
   * The engine field of a kind that serves with several engines (KubeAI's Model `spec.engine`): only an
   * object whose field holds `value` runs vLLM; another is skipped, saying which engine it names.
   */
  engine?: { path: string; value: string };
  /** Only `versions` are read: another version may lay its pods out differently (skipped, never guessed). */
  onlyVersions?: true;
  source: string;
  notes?: string;
}
