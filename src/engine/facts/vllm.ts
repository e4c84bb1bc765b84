/** Engine-configuration facts: typed views of the parsed vLLM arguments that policies compare. */
import type { Classification } from '../vllm/detect.js';
import type { ArgValue, UnknownFact, VllmArgs } from '../types.js';
import { maxModelLenStatus } from './arg-values.js';
import { servedModelNames } from './model-routing.js';
import type { ServiceLinkFact } from './env-resolved.js';
import type { VllmArgFacts } from '../vllm/facts-args.js';
import type { ConfigFileFact } from '../vllm/config-file.js';
import { CREDENTIAL_FLAGS, isLiteralCredential } from './credential-values.js';

/** A number when the option parsed as one, the raw text when it did not (so a policy can deny it), null when absent. */
function numeric(value: ArgValue | undefined): number | string | null {
  if (value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value;
  return String(value);
}

function text(value: ArgValue | undefined): string | null {
  if (value === undefined || typeof value === 'boolean') return null;
  return Array.isArray(value) ? value.join(',') : String(value);
}

function positiveInt(value: ArgValue | undefined): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1;
}

/**
 * hub, local, remote or none; `unknown` when a reference in the model is not resolved, unless its
 * written start already decides: `/gcs/$(MODEL_ID)` (GoogleCloudPlatform/accelerated-platforms,
 * online-inference-gpu/vllm/base) is a path whatever MODEL_ID holds, `gs://$(BUCKET)/…` a remote URI,
 * and vLLM reads neither from the hub.
 */
function modelKind(model: string | null, unknown: boolean): string {
  if (unknown) return model !== null && knownKindPrefix(model) ? modelKind(model, false) : 'unknown';
  if (!model) return 'none';
  if (model.startsWith('/') || model.startsWith('./') || model.startsWith('~')) return 'local';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(model)) return 'remote';
  return 'hub';
}

/** Whether the literal start of a partly unresolved model decides its kind: an absolute path or a URI scheme before any `$`. */
export function knownKindPrefix(model: string): boolean {
  const literal = model.slice(0, model.indexOf('$') < 0 ? model.length : model.indexOf('$'));
  return /^\/[^/]/.test(literal) || /^[a-z][a-z0-9+.-]*:\/\//i.test(literal);
}

const PARALLEL_FLAGS = ['tensor-parallel-size', 'pipeline-parallel-size', 'data-parallel-size', 'data-parallel-size-local'];

/**
 * Options whose field the policies name in a finding's path. A flag that is present points at its
 * own field (`args[3]`, or `command[2]` for a script); an absent one at the field that holds the
 * vLLM arguments, where it would be added.
 */
const LOCATED = [
  'model', 'dtype', 'max-model-len', 'max-num-seqs', 'max-num-batched-tokens', 'enable-chunked-prefill', 'tensor-parallel-size',
  'pipeline-parallel-size', 'gpu-memory-utilization', 'quantization', 'kv-cache-dtype', 'host', 'port', 'trust-remote-code',
  'revision', 'code-revision', 'api-key', 'hf-token', 'disable-log-stats', 'download-dir',
] as const;

/** Where each located option is (or would go): see LOCATED. `argvField` is `args` or `command`. */
function locate(args: VllmArgs, argvField: string): Record<(typeof LOCATED)[number], string> {
  // One literal in LOCATED's order (the type makes it name every option): a loop of keyed stores
  // with computed names cost ~2 µs per review (bench/PROFILE.md step 30).
  // The positional model sits right after `serve`; without a record, the vLLM arguments' field.
  const a = args.at;
  const f = argvField;
  return {
    model: a.model ?? f, dtype: a.dtype ?? f, 'max-model-len': a['max-model-len'] ?? f, 'max-num-seqs': a['max-num-seqs'] ?? f,
    'max-num-batched-tokens': a['max-num-batched-tokens'] ?? f, 'enable-chunked-prefill': a['enable-chunked-prefill'] ?? f,
    'tensor-parallel-size': a['tensor-parallel-size'] ?? f, 'pipeline-parallel-size': a['pipeline-parallel-size'] ?? f,
    'gpu-memory-utilization': a['gpu-memory-utilization'] ?? f, quantization: a.quantization ?? f, 'kv-cache-dtype': a['kv-cache-dtype'] ?? f,
    host: a.host ?? f, port: a.port ?? f, 'trust-remote-code': a['trust-remote-code'] ?? f, revision: a.revision ?? f,
    'code-revision': a['code-revision'] ?? f, 'api-key': a['api-key'] ?? f, 'hf-token': a['hf-token'] ?? f,
    'disable-log-stats': a['disable-log-stats'] ?? f, 'download-dir': a['download-dir'] ?? f,
  };
}

/**
 * What a vLLM server's vllm facts add (facts/build.ts): its release's reading of the arguments and env
 * (vllm/facts-args.ts), the Service link that would set VLLM_PORT, and the `--config` file as read.
 */
export interface ServerArgFacts {
  facts: VllmArgFacts;
  serviceLink: ServiceLinkFact | null;
  configFile: ConfigFileFact | null;
}

/**
 * The vllm facts: the parsed arguments, their typed views, and how the container was detected; with
 * `server`, its members too (and `envUnverified`, which env-unverified.ts sets), in that order. One
 * literal either way: adding the ten members by Object.assign was ~2 % of a passing review.
 */
export function readVllmArgs(args: VllmArgs, groupSize: number, classification: Classification, argvField = 'args', server: ServerArgFacts | null = null) {
  const v = args.values;
  const tensor = positiveInt(v['tensor-parallel-size']);
  const pipeline = positiveInt(v['pipeline-parallel-size']);
  // --data-parallel-size-local counts the ranks each pod (node) runs; in a group of several pods
  // (a LeaderWorkerSet) every pod runs that many, as in vLLM's multi-node data parallel
  // (docs/serving/data_parallel_deployment.md: --data-parallel-size-local on each node).
  const local = v['data-parallel-size-local'];
  const pods = Math.max(1, groupSize);
  const data = local !== undefined ? positiveInt(local) * pods : positiveInt(v['data-parallel-size']);
  const total = tensor * pipeline * data;
  const perPod = local !== undefined ? tensor * pipeline * positiveInt(local) : Math.ceil(total / pods);
  const rawModelLen = numeric(v['max-model-len']);
  const lenStatus = maxModelLenStatus(rawModelLen, true);
  const maxModelLen = lenStatus === 'auto' ? 'auto' : rawModelLen;
  const maxNumSeqs = numeric(v['max-num-seqs']);
  const maxNumBatchedTokens = numeric(v['max-num-batched-tokens']);
  const chunked = v['enable-chunked-prefill'];
  const chunkedPrefill = typeof chunked === 'boolean' ? chunked : null;
  const batched = typeof maxNumBatchedTokens === 'number' ? maxNumBatchedTokens : null;
  const at = locate(args, argvField);
  // The names vLLM answers to (facts/model-routing.ts): --served-model-name, else the model.
  const servedModelName = servedModelNames(v, args.model);
  const kind = modelKind(args.model, 'model' in args.unknown);
  const parallel = { tensor, pipeline, data, total, perPod, explicit: PARALLEL_FLAGS.some((f) => f in v) };
  const port = typeof v['port'] === 'number' ? v['port'] : 8000;
  // A template the shell split (`--api-key {{ .Values.apiKey }}` in an sh -c script gives vLLM `{{`) is no literal.
  const literalSecretFlags = CREDENTIAL_FLAGS.filter((f) => typeof v[f] === 'string' && isLiteralCredential(v[f]) && !(f in args.unknown));
  const belowSeqs = batched !== null && typeof maxNumSeqs === 'number' && batched < maxNumSeqs;
  const belowModelLen = batched !== null && chunkedPrefill === false && typeof maxModelLen === 'number' && maxModelLen > 0 && batched < maxModelLen;
  const c = classification;
  // maxModelLenStatus is refined by facts/arg-values.ts with the image's release for vLLM servers.
  if (server === null) {
    return {
      args: v, at, from: args.from, model: args.model, servedModelName, modelFrom: args.modelFrom, modelKind: kind, revision: text(v['revision']),
      parallel, port, host: text(v['host']), dtype: text(v['dtype']), maxModelLen, maxModelLenStatus: lenStatus, maxNumSeqs, maxNumBatchedTokens,
      chunkedPrefill, quantization: text(v['quantization']), kvCacheDtype: text(v['kv-cache-dtype']), gpuMemoryUtilization: numeric(v['gpu-memory-utilization']),
      trustRemoteCode: v['trust-remote-code'] === true, disableLogStats: v['disable-log-stats'] === true, literalSecretFlags,
      batchedTokensBelowSeqs: belowSeqs, batchedTokensBelowModelLen: belowModelLen,
      detectedBy: c.detectedBy, argvKnown: c.argvKnown, argvSource: c.argvSource, cpu: c.cpu,
    };
  }
  const f = server.facts;
  return {
    args: v, at, from: args.from, model: args.model, servedModelName, modelFrom: args.modelFrom, modelKind: kind, revision: text(v['revision']),
    parallel, port, host: text(v['host']), dtype: text(v['dtype']), maxModelLen, maxModelLenStatus: lenStatus, maxNumSeqs, maxNumBatchedTokens,
    chunkedPrefill, quantization: text(v['quantization']), kvCacheDtype: text(v['kv-cache-dtype']), gpuMemoryUtilization: numeric(v['gpu-memory-utilization']),
    trustRemoteCode: v['trust-remote-code'] === true, disableLogStats: v['disable-log-stats'] === true, literalSecretFlags,
    batchedTokensBelowSeqs: belowSeqs, batchedTokensBelowModelLen: belowModelLen,
    detectedBy: c.detectedBy, argvKnown: c.argvKnown, argvSource: c.argvSource, cpu: c.cpu,
    version: f.version, argProblems: f.argProblems, argErrors: f.argErrors, argNotices: f.argNotices, argError: f.argError, argValues: f.argValues,
    envProblems: f.envProblems, positionalModel: f.positionalModel, serviceLink: server.serviceLink, configFile: server.configFile,
    envUnverified: null as string | null,
  };
}

/**
 * Facts computed from others: when the input is unknown, so is the result. Without this a rule
 * reading only `intent.maxContextMatches` would judge a value derived from an unknown --max-model-len.
 */
const DERIVED: Readonly<Record<string, readonly string[]>> = {
  vllm: ['intent.precisionMatches', 'intent.maxContextMatches', 'volumes.cacheDir', 'volumes.cachePersistent', 'volumes.modelPersistent', 'literalSecretFlagEntries'],
  'vllm.dtype': ['intent.precisionMatches'],
  'vllm.quantization': ['intent.precisionMatches'],
  'vllm.maxModelLen': ['vllm.maxModelLenStatus', 'intent.maxContextMatches', 'vllm.batchedTokensBelowModelLen'],
  'vllm.maxNumSeqs': ['vllm.batchedTokensBelowSeqs'],
  'vllm.maxNumBatchedTokens': ['vllm.batchedTokensBelowSeqs', 'vllm.batchedTokensBelowModelLen'],
  'vllm.enableChunkedPrefill': ['vllm.batchedTokensBelowModelLen'],
  'vllm.apiKey': ['vllm.literalSecretFlags', 'literalSecretFlagEntries'],
  'vllm.hfToken': ['vllm.literalSecretFlags', 'literalSecretFlagEntries'],
  'vllm.model': ['vllm.modelKind', 'vllm.servedModelName', 'volumes.cacheDir', 'volumes.cachePersistent', 'volumes.modelPersistent'],
  'vllm.downloadDir': ['volumes.cacheDir', 'volumes.cachePersistent', 'volumes.modelPersistent'],
  // A startup probe a controller may fill in, or accelerators from another object: the rollout facts built on them.
  'probes.startup': ['rollout.startupBudgetSeconds', 'rollout.startupBudgetFrom'],
  accelerators: ['rollout.acceleratorsPerReplica', 'rollout.surgeAccelerators'],
};

/** Adds an unknown fact and every fact derived from it (DERIVED), each once. */
export function addUnknown(out: UnknownFact[], path: string, reason: string, source: string): void {
  if (!out.some((u) => u.path === path)) out.push({ path, reason, source });
  for (const derived of DERIVED[path] ?? []) {
    if (!out.some((u) => u.path === derived)) out.push({ path: derived, reason, source });
  }
}

/** Which typed facts the unknown options make unknown, so rules that read them never deny. */
export function unknownFactPaths(args: VllmArgs): UnknownFact[] {
  const out: UnknownFact[] = [];
  for (const [name, reason] of Object.entries(args.unknown)) {
    // '*': a word that could be any option (an unknown $EXTRA), so every vLLM fact is in doubt.
    if (name === '*') {
      addUnknown(out, 'vllm', reason, 'argument');
      continue;
    }
    addFlagUnknown(out, name, reason);
    // `/gcs/$(MODEL_ID)`: the name is unknown, its kind is not (modelKind above).
    const kindAt = name === 'model' && args.model !== null && knownKindPrefix(args.model) ? out.findIndex((u) => u.path === 'vllm.modelKind') : -1;
    if (kindAt >= 0) out.splice(kindAt, 1);
    // An unread --config file may set any option the command line leaves out (command line wins over file).
    if (name === 'config') for (const flag of [...PARALLEL_FLAGS, ...LOCATED]) if (!(flag in args.values)) addFlagUnknown(out, flag, reason, '--config');
  }
  return out;
}

function addFlagUnknown(out: UnknownFact[], name: string, reason: string, source = `--${name}`): void {
  const typed = PARALLEL_FLAGS.includes(name) ? 'vllm.parallel' : `vllm.${camel(name)}`;
  addUnknown(out, `vllm.args.${name}`, reason, source);
  addUnknown(out, typed, reason, source);
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
