/**
 * Builds the facts document (policies/facts.schema.json) for one checked container:
 * the pod spec as written plus everything the policies compare, derived once.
 */
import { readCache } from './cache.js';
import { literalSecretEntries, readEnv, literalSecrets } from './env.js';
import { readIntent } from './intent.js';
import { readSecurity, readScheduling } from './pod.js';
import { readProbe } from './probes.js';
import { readAcceleratorLimit, readAccelerators, readShm, readVolumes, type AcceleratorMatcher } from './resources.js';
import type { SecretEnvNames } from './env.js';
import { addUnknown, readVllmArgs, unknownFactPaths } from './vllm.js';
import { parseImageRef } from '../vllm/image-ref.js';
import { arrayAt, mergeStringMapAt, numberAt, objectAt, stringAt, valueAtPath } from '../util/json.js';
import { addHardwareFacts } from '../knowledge/hardware-facts.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { Target } from '../workload/select.js';
import type { Facts, JsonObject, VllmArgs, Workload } from '../types.js';

/** What facts need from the engine: its compiled lists and the intent annotation prefix. */
export interface FactsTables {
  readonly accelerators: AcceleratorMatcher;
  readonly secretEnv: SecretEnvNames;
  readonly intentPrefix: string;
  /** Model and GPU catalogues (issue 12), built once per engine. */
  readonly knowledge: Knowledge;
}

export interface FactsContext {
  object: unknown;
  workload: Workload;
  target: Target;
  args: VllmArgs;
  /** Accelerators the whole serving group has (LeaderWorkerSet: leader + workers). */
  groupAccelerators: number;
  tables: FactsTables;
}

function integerAt(object: unknown, path: string): number | null {
  const value = valueAtPath(object, path);
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

function readWorkloadFacts(ctx: FactsContext) {
  const { object, workload, target } = ctx;
  const template = target.template;
  const kind = workload.kind;
  const backoffPath = kind === 'CronJob' ? 'spec.jobTemplate.spec.backoffLimit' : 'spec.backoffLimit';
  return {
    apiVersion: workload.apiVersion,
    kind,
    name: workload.name,
    namespace: workload.namespace,
    labels: mergeStringMapAt(workload.labels, template.metadata, 'labels'),
    annotations: mergeStringMapAt(workload.annotations, template.metadata, 'annotations'),
    role: template.role,
    groupSize: template.groupSize,
    isTemplate: kind !== 'Pod',
    restartPolicy: stringAt(template.spec, 'restartPolicy') ?? null,
    backoffLimit: kind === 'Job' || kind === 'CronJob' ? integerAt(object, backoffPath) : null,
    groupRestartPolicy: kind === 'LeaderWorkerSet' ? (stringAt(valueAtPath(object, 'spec.leaderWorkerTemplate'), 'restartPolicy') ?? null) : null,
    progressDeadlineSeconds: kind === 'Deployment' ? integerAt(object, 'spec.progressDeadlineSeconds') : null,
    terminationGracePeriodSeconds: numberAt(template.spec, 'terminationGracePeriodSeconds') ?? null,
  };
}

/** A StatefulSet's volumeClaimTemplates become per-replica PVCs mounted by name. */
function claimTemplateNames(ctx: FactsContext): string[] {
  if (ctx.workload.kind !== 'StatefulSet') return [];
  return arrayAt(objectAt(ctx.object, 'spec'), 'volumeClaimTemplates')
    .map((c) => stringAt(objectAt(c, 'metadata'), 'name'))
    .filter((n): n is string => Boolean(n));
}

export function buildFacts(ctx: FactsContext): Facts {
  const { target, tables } = ctx;
  const { template, container, index, classification } = target;
  const pod = template.spec;
  const workload = readWorkloadFacts(ctx);
  const argvField = Array.isArray(container.args) && container.args.length > 0 ? 'args' : 'command';
  const vllm = readVllmArgs(ctx.args, template.groupSize, classification, argvField);
  const env = readEnv(container);
  const secretNames = literalSecrets(env, tables.secretEnv);
  const unknowns = unknownFactPaths(ctx.args);
  if (!classification.argvKnown) {
    const source = classification.argvSource === 'shell' ? 'shell script' : classification.argvSource === 'command' ? 'command' : 'image ENTRYPOINT';
    addUnknown(unknowns, 'vllm', classification.unknownReason ?? 'the command cannot be known at admission', source);
  }
  const prefix = template.path === '' ? '' : `${template.path}.`;
  const volumes = readVolumes(pod, container, claimTemplateNames(ctx));
  const cache = readCache(vllm.args['download-dir'], env, vllm.model, vllm.modelKind, volumes.persistentMountPaths);
  if (cache.unknown) {
    addUnknown(unknowns, 'volumes.cacheDir', cache.unknown, 'env');
    addUnknown(unknowns, 'volumes.cachePersistent', cache.unknown, 'env');
  }
  const probes = {
    readiness: readProbe(container, 'readinessProbe'),
    liveness: readProbe(container, 'livenessProbe'),
    startup: readProbe(container, 'startupProbe'),
  };
  const intent = readIntent(workload.annotations, tables.intentPrefix, vllm);
  const coldStart = intent.coldStartSeconds;
  intent.startupWindowRatio = probes.startup && typeof coldStart === 'number' && coldStart > 0 ? probes.startup.windowSeconds / coldStart : null;
  const facts: Facts = {
    workload,
    paths: {
      template: template.path,
      metadata: `${prefix}metadata`,
      pod: template.specPath,
      container: `${template.specPath}.containers[${index}]`,
    },
    pod,
    container,
    role: target.role,
    vllm,
    env,
    literalSecretEnv: secretNames,
    literalSecretEnvEntries: literalSecretEntries(env, secretNames),
    accelerators: readAccelerators(container, tables.accelerators, ctx.groupAccelerators),
    shm: readShm(pod, container),
    probes,
    image: parseImageRef(stringAt(container, 'image') ?? ''),
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
    unknowns,
    params: {},
  };
  // Model and hardware facts (model, gpu, fit) for the vLLM server only: workers and other containers do not serve.
  if (target.role === 'server') addHardwareFacts(facts, tables.knowledge);
  return facts;
}

/** Sum of accelerator limits over a pod's containers; used for group totals. */
export function podAccelerators(pod: JsonObject, matcher: AcceleratorMatcher): number {
  let sum = 0;
  for (const c of arrayAt(pod, 'containers')) sum += readAcceleratorLimit(c as JsonObject, matcher);
  return sum;
}
