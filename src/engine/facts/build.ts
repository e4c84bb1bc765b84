/**
 * Builds the facts document (policies/facts.schema.json) for one checked container:
 * the pod spec as written plus everything the policies compare, derived once.
 */
import { readModelRouting } from './model-routing.js';
import { readApiKey } from './api-key.js';
import { runsDynamoWorker } from '../vllm/dynamo.js';
import { runsDemoServer } from '../vllm/demo-server.js';
import type { RelatedSet } from '../related/related-set.js';
import { readCache } from './cache.js';
import { literalSecretEntries, readEnv, literalSecrets, type SecretEnvNames } from './env.js';
import { writtenSecretFacts } from './written-credentials.js';
import { configMapSecrets } from './configmap-secrets.js';
import { addServingUnknowns } from './serving-unknowns.js';
import { readIntent, type IntentKeys } from './intent.js';
import { readAutoscalingFacts } from './autoscaling.js';
import type { AutoscalerFact } from '../related/autoscalers.js';
import { readSecurity, readScheduling } from './pod.js';
import { readPostStart, readProbe } from './probes.js';
import { readRollout } from './rollout.js';
import { readAccelerators, readShm, readVolumes, type AcceleratorMatcher } from './resources.js';
import { addUnknown, readVllmArgs, unknownFactPaths, type ServerArgFacts } from './vllm.js';
import { platformFacts, readVendorAccelerators } from './accelerators-by-vendor.js';
import type { ImageLookups } from '../knowledge/image-lookups.js';
import { readImageFacts } from './image.js';
import { addHardwareFacts } from '../knowledge/hardware-facts-memo.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { readVllmArgFacts, type VllmKnowledge } from '../vllm/facts-args.js';
import { readServiceLink, refProblems, resolveEnvFacts, resolvedEnvEntries } from './env-resolved.js';
import { withoutArgvConsumed } from './env-argv-refs.js';
import { addEnvUnverified } from './env-unverified.js';
import { reconcileArgValues } from './arg-values.js';
import { arrayAt, objectAt, stringAt, stringMapAt } from '../util/json.js';
import { readRelatedFacts } from '../related/related-facts.js';
import { readWorkloadFacts } from './workload.js';
import { readCrdParallel } from './llmisvc-parallel.js';
import { podAccelerators, readAcceleratorFacts } from './accelerator-facts.js';
import { rayPlacementPod } from '../workload/ray-accelerators.js';
import { rayArgProblems } from '../workload/ray-llm-targets.js';
import type { Target } from '../workload/select.js';
import type { Facts, VllmArgs, Workload } from '../types.js';

/** What facts need from the engine: its compiled lists and the intent annotation prefix. */
export interface FactsTables {
  readonly accelerators: AcceleratorMatcher;
  readonly secretEnv: SecretEnvNames;
  readonly intentPrefix: string; readonly intentKeys?: IntentKeys; // the prefix's keys remembered (intent.ts)
  /** Model and GPU catalogues (issue 12), built once per engine. */
  readonly knowledge: Knowledge;
  /** The vLLM option, env and image tables (src/engine/knowledge/vllm-options/). */
  readonly vllm: VllmKnowledge;
  /** Which vLLM build and release an image reference names, remembered per engine. */
  readonly images: ImageLookups;
}

export interface FactsContext {
  object: unknown;
  workload: Workload;
  target: Target;
  args: VllmArgs;
  /** Accelerators the whole serving group has (LeaderWorkerSet: leader + workers). */
  groupAccelerators: number;
  tables: FactsTables;
  /** The objects around the workload, or null when none were looked up (admission without lookups). */
  related: RelatedSet | null;
  /**
   * false: leave out `related` and `autoscaling` (and their unknowns), which no policy of the review
   * may read (engine.ts relatedFactsRead). Default true.
   */
  relatedFacts?: boolean;
}

/** A StatefulSet's volumeClaimTemplates become per-replica PVCs mounted by name. */
function claimTemplateNames(ctx: FactsContext): string[] {
  if (ctx.workload.kind !== 'StatefulSet') return [];
  return arrayAt(objectAt(ctx.object, 'spec'), 'volumeClaimTemplates')
    .map((c) => stringAt(objectAt(c, 'metadata'), 'name'))
    .filter((n): n is string => Boolean(n));
}

/**
 * The facts document (policies/facts.schema.json) of one checked container (`ctx.target`) of
 * `ctx.object`: pod and container as written plus vllm, env, accelerators, shm, probes, image,
 * security, volumes, intent, rollout, workload and, unless `relatedFacts` is false, related and
 * autoscaling facts; model, gpu and fit for the vLLM server only. What cannot be known at admission
 * goes to `unknowns` with its reason and source, never a guessed value. Pure; throws nothing of its own.
 */
export function buildFacts(ctx: FactsContext): Facts {
  const { target, tables } = ctx;
  const { template, container, index, classification } = target;
  const pod = template.spec;
  const workload = readWorkloadFacts(ctx.object, ctx.workload, target.template);
  // A Ray Serve LLM engine's arguments are written in the RayService's serveConfigV2 (engine.ts moves the path there).
  const argvField = target.rayLlm ? 'serveConfigV2' : Array.isArray(container.args) && container.args.length > 0 ? 'args' : 'command';
  let server: ServerArgFacts | null = null;
  if (target.role === 'server') { // argument and env problems as the image's vLLM release sees them: vLLM servers only
    const input = {
      command: classification.argvKnown ? classification.command : null,
      image: stringAt(container, 'image') ?? '',
      env: resolvedEnvEntries(container, target.env, target.envSources),
      argvField,
      entrypointCertain: classification.entrypointCertain === true,
      configFile: target.configFile ?? null,
      // engine_kwargs are keyword arguments: Ray refuses a key that is only a prefix of an option.
      keywordArguments: target.rayLlm !== undefined,
      reading: ctx.args, // the engine's reading of this command: a key for the validation memo (argv-memo.ts)
    };
    const facts = readVllmArgFacts(input, tables.vllm);
    facts.envProblems = withoutArgvConsumed(facts.envProblems, container);
    // A Ray Serve LLM engine's options are engine_kwargs keys, and Ray refuses an unknown one itself.
    if (target.rayLlm) rayArgProblems(facts, target.rayLlm);
    facts.envProblems.unshift(...refProblems(target.envSources));
    server = { facts, serviceLink: readServiceLink(pod, target.env, ctx.related, ctx.workload.namespace), configFile: target.configFile ?? null };
  }
  // A server's release reading goes into the one literal (an Object.assign of its ten members was ~2 % of a review).
  const vllm = readVllmArgs(ctx.args, template.groupSize, classification, argvField, server);
  if (server) reconcileArgValues(vllm, server.facts, tables.vllm.table);
  const unknowns = unknownFactPaths(ctx.args);
  if (template.llmisvcParallelism) workload.crdParallel = readCrdParallel(ctx.workload, template, tables.accelerators, unknowns);
  const env = readEnv(container);
  resolveEnvFacts(env, target.env, target.envSources, { unknowns, scriptVars: classification.scriptVars });
  const secretNames = literalSecrets(env, tables.secretEnv);
  // Whether vLLM requires a key on /v1 (api-key.ts): a probe of /v1 without one gets 401.
  const demoServer = runsDemoServer(classification.command); // /health and /generate only: no key, no /metrics
  const keyRead = readApiKey(vllm.args, env, unknowns.some((u) => u.path === 'vllm.args.api-key'), demoServer);
  if (keyRead.unknown) addUnknown(unknowns, 'apiKey', keyRead.unknown, keyRead.from ?? 'env');
  if (!classification.argvKnown) {
    const source = classification.argvSource === 'shell' ? 'shell script' : classification.argvSource === 'command' ? 'command' : 'image ENTRYPOINT';
    addUnknown(unknowns, 'vllm', classification.unknownReason ?? 'the command cannot be known at admission', source);
  }
  const vendorFacts = readVendorAccelerators(container); // read once: the serving unknowns and the vendor facts both need it
  addServingUnknowns(ctx, unknowns, vendorFacts);
  const volumes = readVolumes(pod, container, claimTemplateNames(ctx));
  const cache = readCache(vllm.args['download-dir'], env, vllm.model, vllm.modelKind, volumes.persistentMountPaths, classification.scriptVars);
  if (cache.unknown) {
    addUnknown(unknowns, 'volumes.cacheDir', cache.unknown, 'env');
    addUnknown(unknowns, 'volumes.cachePersistent', cache.unknown, 'env');
  }
  const probes = {
    readiness: readProbe(container, 'readinessProbe'), liveness: readProbe(container, 'livenessProbe'),
    startup: readProbe(container, 'startupProbe'),
    postStart: readPostStart(container),
  };
  const intent = readIntent(workload.annotations, tables.intentPrefix, vllm, tables.intentKeys);
  const coldStart = intent.coldStartSeconds;
  intent.startupWindowRatio = probes.startup && typeof coldStart === 'number' && coldStart > 0 ? probes.startup.windowSeconds / coldStart : null;
  const rollout = readRollout({
    object: ctx.object,
    kind: workload.kind,
    podSpec: pod,
    acceleratorsPerReplica: workload.kind === 'LeaderWorkerSet' ? ctx.groupAccelerators : podAccelerators(pod, tables.accelerators),
    startupWindowSeconds: probes.startup?.windowSeconds ?? null,
    coldStartSeconds: typeof coldStart === 'number' ? coldStart : null,
  });
  const accelerators = readAcceleratorFacts(container, tables.images, readAccelerators(container, tables.accelerators, ctx.groupAccelerators), vendorFacts, classification.cpu);
  const platform = platformFacts(accelerators.family, accelerators.vendors);
  const written = writtenSecretFacts(classification.argvKnown, vllm, container, env, unknowns, tables.secretEnv);
  const facts: Facts = {
    workload,
    paths: {
      template: template.path,
      // Where the pod's labels and annotations are written: findings and fixes about them point there.
      metadata: template.metadataPath ?? (template.path === '' ? 'metadata' : `${template.path}.metadata`),
      pod: template.specPath,
      container: target.path ?? `${template.specPath}.${target.list ?? 'containers'}[${index}]`,
    },
    pod,
    container,
    role: target.role,
    // Dynamo's worker and a Ray Serve LLM engine serve no vLLM HTTP API (vllm/dynamo.ts, workload/ray-serve-llm.ts).
    servesVllmApi: !runsDynamoWorker(classification.command) && !target.rayLlm, demoServer,
    // A vLLM image whose command never starts the server (vllm/launch-problems.ts); null otherwise.
    launch: classification.launch ?? null,
    // A platform label routing requests by model name (model-routing.ts); null without one.
    routing: readModelRouting(workload.labels),
    apiKey: keyRead.unknown === undefined ? keyRead : { set: keyRead.set, certain: keyRead.certain, from: keyRead.from }, // no rest copy per review
    vllm,
    env,
    literalSecretEnv: secretNames, literalSecretEnvEntries: literalSecretEntries(env, secretNames),
    configMapSecretEntries: configMapSecrets(container, ctx.related, ctx.workload.namespace, tables.secretEnv),
    literalSecretFlagEntries: written.literalSecretFlagEntries, writtenCredentials: written.writtenCredentials, // no spread: one literal shape
    accelerators,
    platform,
    shm: readShm(pod, container),
    probes,
    image: readImageFacts(stringAt(container, 'image') ?? '', tables.images),
    security: readSecurity(pod, container),
    scheduling: readScheduling(pod),
    volumes: {
      mountPaths: volumes.mountPaths,
      persistentMountPaths: volumes.persistentMountPaths,
      cacheDir: cache.cacheDir,
      cachePersistent: cache.cachePersistent,
      modelPersistent: cache.modelPersistent,
    },
    intent,
    rollout: { ...rollout },
    unknowns,
    params: {},
  };
  if (target.role === 'server') addEnvUnverified(vllm, platform.family, unknowns); // VLLM_ names no release or platform settles
  if (ctx.relatedFacts !== false) addRelatedFacts(ctx, facts, rollout);
  // Model and hardware facts (model, gpu, fit) for the vLLM server only: workers and other containers do not serve.
  if (target.role === 'server') addServerHardwareFacts(facts, target, tables.knowledge);
  return facts;
}

/**
 * Model, GPU and fit facts of a vLLM server. A Ray Serve LLM engine runs on the Ray nodes of its
 * `accelerator_type` (workload/ray-accelerators.ts rayPlacementPod), not where the head pod is placed.
 */
function addServerHardwareFacts(facts: Facts, target: Target, knowledge: Knowledge): void {
  if (!target.rayLlm) {
    addHardwareFacts(facts, knowledge);
    return;
  }
  const view: Facts = { ...facts, pod: rayPlacementPod(target.rayLlm.acceleratorType, knowledge.gpus.products) };
  addHardwareFacts(view, knowledge);
  facts.model = view.model;
  facts.gpu = view.gpu;
  facts.fit = view.fit;
}

/** The `related` and `autoscaling` facts, with their unknowns (after the others', as they always were). */
function addRelatedFacts(ctx: FactsContext, facts: Facts, rollout: ReturnType<typeof readRollout>): void {
  const { template } = ctx.target;
  const workload = facts.workload as ReturnType<typeof readWorkloadFacts>;
  const vllm = facts.vllm as ReturnType<typeof readVllmArgs>;
  const unknowns = facts.unknowns;
  const pod = template.spec;
  const written = stringMapAt(template.metadata, 'labels');
  facts.related = readRelatedFacts(
    {
      set: ctx.related,
      namespace: workload.namespace,
      kind: workload.kind,
      name: workload.name,
      podLabels: template.controllerLabels ? { ...written, ...template.controllerLabels } : written,
      writtenLabels: written,
      podAnnotations: stringMapAt(template.metadata, 'annotations'),
      pod,
      serverPort: vllm.port,
      portUnknown: unknowns.find((u) => u.path === 'vllm' || u.path === 'vllm.port' || u.path === 'vllm.args.port'),
      replicas: workload.replicas,
      controllerService: template.controllerService,
    },
    unknowns,
  );
  facts.autoscaling = readAutoscalingFacts((facts.related as { autoscalers: AutoscalerFact[] }).autoscalers, rollout, unknowns);
}
