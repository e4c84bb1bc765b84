/**
 * KubeAI's `Model` (`kubeai.org/v1`): with `engine: VLLM` the KubeAI model controller makes each replica a
 * vLLM pod from the Model and its own configuration (Helm values). This writes that pod out as the controller
 * does, so the engine reviews what will run, and says what only the installation decides (the image when
 * `spec.image` is not written, the resource profile's devices, scheduling and security context): those are
 * unknown, never denied. Other engines (OLlama, FasterWhisper, Infinity) run no vLLM: no pod.
 *
 * Source, substratusai/kubeai at v0.21.0:
 * - api/k8s/v1/model_types.go: ModelSpec {URL, Engine (OLlama|VLLM|FasterWhisper|Infinity), ResourceProfile
 *   "<name>:<count>", CacheProfile, Image ("set from ResourceProfile + Engine if not specified"), Args []string,
 *   Env map[string]string, EnvFrom, Files, Adapters, PriorityClassName}.
 * - internal/modelcontroller/engine_vllm.go vLLMPodForModel: container `server`, command
 *   `python3 -m vllm.entrypoints.openai.api_server`, args `--model=<url ref>` (`/model` for pvc://, the
 *   URL itself and `--load-format=runai_streamer` for s3://, the cache dir with a cacheProfile),
 *   `--served-model-name=<name>`, then spec.args, then `--enable-lora` with adapters; env
 *   VLLM_ALLOW_RUNTIME_LORA_UPDATING (adapters) then spec.env sorted by name; port 8000 `http`; startup
 *   (/health, 5400 × 2 s), readiness (/health, 10 s) and liveness (/health, 30 s) probes; `/dev/shm` a memory
 *   emptyDir (no size limit); nodeSelector, affinity, tolerations, runtimeClassName, resources (the profile's
 *   × count) and security contexts from the controller's configuration.
 * - internal/modelcontroller/model_source.go: pvc:// mounts the claim at /model (subPath the URL's path);
 *   model_controller.go lookupServerImage (spec.image, else modelServers.VLLM.images by the profile's
 *   imageName), labelsForModel; cache.go modelCacheDir `/models/<name>-<uid>`; files.go (ConfigMap mounts).
 * - charts/kubeai/values.yaml: the default images and resource profiles, which an installation overrides.
 * Pure; bounded: at most MAX_ENTRIES args, env entries and files are read.
 * @module
 */
import { arrayAt, isObject, objectAt, stringAt } from '../util/json.js';
import type { JsonObject } from '../types.js';
import type { PathAliases } from './dynamo-graph.js';
import type { ServingKind } from './serving-kind-types.js';

export const KUBEAI_SOURCE =
  'substratusai/kubeai api/k8s/v1/model_types.go@v0.21.0 (ModelSpec); internal/modelcontroller/engine_vllm.go@v0.21.0 (vLLMPodForModel), model_source.go, model_controller.go (getModelConfig, lookupServerImage); charts/kubeai/values.yaml@v0.21.0';

const MAX_ENTRIES = 256;
type Alias = readonly [rendered: string, written: string, whole?: 'whole'];
const CONTAINER = 'spec.containers[0]';
const PROFILES = 'the KubeAI installation: its resourceProfiles, charts/kubeai/values.yaml';

/** A fact the controller decides from its own configuration: unknown here, with the reason. */
export interface ControllerUnknown {
  path: string;
  reason: string;
}

export interface KubeaiModelPod {
  metadata: JsonObject;
  spec: JsonObject;
  /** Where the Model writes what the controller put in the pod (spec.args[i], spec.env.NAME, spec.image). */
  aliases: PathAliases;
  /** Facts only the installation knows (image, devices, scheduling, security context). */
  unknowns: ControllerUnknown[];
}

/** The controller's `--model` value and what the URL's scheme adds (engine_vllm.go, model_source.go). */
function modelFlags(model: JsonObject, spec: JsonObject): { args: string[]; mounts: JsonObject[]; volumes: JsonObject[] } {
  const url = stringAt(spec, 'url') ?? '';
  // model_source.go modelURLRegex `^([a-z0-9]+):\/\/([^?]+)(\?.*)?$` (linear: one class, then one class).
  const match = /^([a-z0-9]+):\/\/([^?]+)/.exec(url.slice(0, 2048));
  const scheme = match?.[1] ?? '';
  const ref = match?.[2] ?? url;
  const name = stringAt(objectAt(model, 'metadata'), 'name') ?? '';
  const mounts: JsonObject[] = [];
  const volumes: JsonObject[] = [];
  let flag = ref;
  const extra: string[] = [];
  if (stringAt(spec, 'cacheProfile')) {
    // The cache is a PVC the controller names; the directory holds the Model's uid, known once it exists.
    const dir = `/models/${name}-${stringAt(objectAt(model, 'metadata'), 'uid') ?? '<uid>'}`;
    flag = dir;
    mounts.push({ name: 'models', mountPath: dir, subPath: dir.slice(1), readOnly: true });
    // cache.go cachePVCName: one claim per cache profile on a shared filesystem.
    volumes.push({ name: 'models', persistentVolumeClaim: { claimName: `shared-model-cache-${stringAt(spec, 'cacheProfile')}` } });
  } else if (scheme === 's3') {
    flag = url;
    extra.push('--load-format=runai_streamer');
  }
  if (scheme === 'pvc') {
    const [claim = '', ...rest] = ref.split('/');
    flag = '/model';
    mounts.push({ name: 'model', mountPath: '/model', subPath: rest.join('/') });
    volumes.push({ name: 'model', persistentVolumeClaim: { claimName: claim } });
  }
  return { args: [`--model=${flag}`, `--served-model-name=${name}`, ...extra], mounts, volumes };
}

/** A value as the text the API server would hold (a string field). */
const text = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

/** The controller's probes (engine_vllm.go; the startup probe gives the load 5400 × 2 s = 3 h), made per render: no two reviews share them. */
function probes() {
  const health = () => ({ httpGet: { path: '/health', port: 'http' } });
  return {
    startupProbe: { ...health(), failureThreshold: 5400, periodSeconds: 2, timeoutSeconds: 2, successThreshold: 1 },
    readinessProbe: { ...health(), failureThreshold: 3, periodSeconds: 10, timeoutSeconds: 2, successThreshold: 1 },
    livenessProbe: { ...health(), failureThreshold: 3, periodSeconds: 30, timeoutSeconds: 3, successThreshold: 1 },
  };
}

/** Whether a Model runs vLLM: `engine: VLLM` (the CRD's enum is case-sensitive). */
export function isVllmModel(model: unknown): boolean {
  return stringAt(objectAt(model, 'spec'), 'engine') === 'VLLM';
}

/** The URL schemes a vLLM Model may use (model_types.go URL: hf, pvc, s3, and gs and oss with a cacheProfile). */
const SCHEMES = /^(?:hf|pvc|s3|gs|oss):\/\/[^?]/;

function unknownsOf(spec: JsonObject): ControllerUnknown[] {
  const profile = stringAt(spec, 'resourceProfile');
  const devices = profile
    ? `resourceProfile ${profile.slice(0, 100)} is <profile>:<count>, the profile's resources × count, and the profiles are ${PROFILES}`
    : `no resourceProfile is written; KubeAI requires <profile>:<count>, whose resources are ${PROFILES}`;
  const out: ControllerUnknown[] = [
    { path: 'accelerators', reason: devices },
    { path: 'container.resources', reason: devices },
    // engine_vllm.go: the dshm emptyDir has no sizeLimit ("TODO: Set size limit"), and no Model field sets one.
    { path: 'shm.sizeLimitBytes', reason: 'KubeAI mounts /dev/shm as a memory emptyDir without a size limit (internal/modelcontroller/engine_vllm.go), which a Model cannot set' },
    { path: 'shm.memoryLimitBytes', reason: devices },
    { path: 'scheduling', reason: `nodeSelector, affinity and tolerations come from the resource profile, set by ${PROFILES}` },
    { path: 'security', reason: 'the pod and container securityContext come from the KubeAI installation, modelServerPods in charts/kubeai/values.yaml' },
  ];
  // The CRD requires url: without a readable one (a partial manifest) the model KubeAI passes is unknown.
  if (!SCHEMES.test(stringAt(spec, 'url') ?? '')) {
    out.push({ path: 'vllm.model', reason: 'spec.url is not an hf://, pvc://, s3://, gs:// or oss:// URL, which KubeAI turns into --model' });
  }
  if (!stringAt(spec, 'image')) {
    out.push({ path: 'image', reason: "spec.image is not written: KubeAI picks the vLLM image for the resource profile from the installation's modelServers.VLLM.images in charts/kubeai/values.yaml" });
  }
  return out;
}

/** The Model's env map as the controller writes it (sorted by name), with the aliases to `spec.env.NAME`. */
function envOf(spec: JsonObject, lora: boolean, aliases: Alias[]): JsonObject[] {
  const env: JsonObject[] = lora ? [{ name: 'VLLM_ALLOW_RUNTIME_LORA_UPDATING', value: 'True' }] : [];
  const map = objectAt(spec, 'env') ?? {};
  for (const name of Object.keys(map).slice(0, MAX_ENTRIES).sort()) {
    const value = map[name];
    const at = `${CONTAINER}.env[${env.length}]`;
    aliases.push([at, `spec.env.${name}`, 'whole']);
    env.push({ name, value: text(value) });
  }
  return env;
}

/**
 * The pod KubeAI makes for one replica of a Model with `engine: VLLM` (engine_vllm.go vLLMPodForModel),
 * `model` being the whole Model object, or null for another engine. Findings about the rendered container
 * are moved to where the Model writes them (aliases).
 */
export function renderKubeaiModel(model: JsonObject): KubeaiModelPod | null {
  if (!isVllmModel(model)) return null;
  const spec = objectAt(model, 'spec') ?? {};
  const name = stringAt(objectAt(model, 'metadata'), 'name') ?? '';
  const source = modelFlags(model, spec);
  const own = arrayAt(spec, 'args').slice(0, MAX_ENTRIES).map(text);
  const lora = arrayAt(spec, 'adapters').length > 0;
  const aliases: Alias[] = [];
  const offset = source.args.length;
  own.forEach((_, i) => aliases.push([`${CONTAINER}.args[${offset + i}]`, `spec.args[${i}]`]));
  if (lora) aliases.push([`${CONTAINER}.args[${offset + own.length}]`, 'spec.adapters']);
  aliases.push([`${CONTAINER}.args[0]`, 'spec.url'], [`${CONTAINER}.args[1]`, 'metadata.name'], [`${CONTAINER}.args[2]`, offset > 2 ? 'spec.url' : 'spec.args'], [`${CONTAINER}.args`, 'spec.args']);
  const env = envOf(spec, lora, aliases);
  const container: JsonObject = {
    name: 'server',
    command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
    args: [...source.args, ...own, ...(lora ? ['--enable-lora'] : [])],
    env,
    ports: [{ containerPort: 8000, protocol: 'TCP', name: 'http' }],
    ...probes(),
    volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }, ...source.mounts],
  };
  const image = stringAt(spec, 'image');
  if (image) {
    container.image = image;
    aliases.push([`${CONTAINER}.image`, 'spec.image']);
  }
  if (isObject(spec.envFrom) || Array.isArray(spec.envFrom)) {
    container.envFrom = spec.envFrom;
    aliases.push([`${CONTAINER}.envFrom`, 'spec.envFrom']);
  }
  const files = arrayAt(spec, 'files').slice(0, MAX_ENTRIES);
  const volumes: JsonObject[] = [{ name: 'dshm', emptyDir: { medium: 'Memory' } }, ...source.volumes];
  if (files.length > 0) {
    volumes.push({ name: 'model-files', configMap: { name: `${name}-files` } });
    // files.go patchFileVolumes: each file at its path, subPath its ConfigMap key (the path with `/` as `_`).
    for (const path of files.map((f) => stringAt(f, 'path')).filter((p) => p !== undefined)) {
      (container.volumeMounts as JsonObject[]).push({ name: 'model-files', mountPath: path, subPath: path.replaceAll('/', '_'), readOnly: true });
    }
  }
  // What the resource profile decides is written at spec.resourceProfile; the rest of the pod is the controller's.
  aliases.push([`${CONTAINER}.resources`, 'spec.resourceProfile', 'whole'], [CONTAINER, 'spec', 'whole']);
  for (const key of ['nodeSelector', 'affinity', 'tolerations', 'runtimeClassName']) aliases.push([`spec.${key}`, 'spec.resourceProfile', 'whole']);
  for (const key of ['volumes', 'securityContext', 'containers', 'serviceAccountName', 'imagePullSecrets']) aliases.push([`spec.${key}`, 'spec', 'whole']);
  const podSpec: JsonObject = { containers: [container], volumes };
  const priority = stringAt(spec, 'priorityClassName');
  if (priority) podSpec.priorityClassName = priority;
  const engine = 'vllm';
  const labels = { app: 'model', model: name, 'app.kubernetes.io/name': engine, 'app.kubernetes.io/instance': `${engine}-${name}`, 'app.kubernetes.io/managed-by': 'kubeai' };
  return { metadata: { labels, annotations: { 'model-pod-port': '8000' } }, spec: podSpec, aliases, unknowns: unknownsOf(spec) };
}

/** KubeAI's Model, an entry of SERVING_KINDS (serving-kinds.ts): one vLLM pod per replica, rendered above. */
export const KUBEAI_MODEL: ServingKind = {
  kind: 'Model',
  group: 'kubeai.org',
  versions: ['v1'],
  resource: 'models',
  onlyVersions: true,
  namespaced: true,
  templates: [{ path: 'spec', holds: 'kubeaiModel', role: 'pod' }],
  // model_types.go: Engine enum OLlama;VLLM;FasterWhisper;Infinity.
  engine: { path: 'spec.engine', value: 'VLLM' },
  source: KUBEAI_SOURCE,
  notes: 'engine VLLM only; the image (unless spec.image), the resource profile and the pod security context are the installation\'s',
};
