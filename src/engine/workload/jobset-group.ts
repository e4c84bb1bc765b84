/**
 * Whether the pods of a JobSet launch one distributed vLLM engine or run independently. A JobSet's
 * replicated jobs are ordinary Jobs (kubernetes-sigs/jobset api/jobset/v1alpha2/jobset_types.go): each
 * pod runs its own command, and several pods form one NCCL group only when that command joins them,
 * which vLLM does with a multi-node launch: `--nnodes`/`--node-rank` (`-n`/`-r`) with `--headless`
 * workers (vllm/entrypoints/cli/serve.py), data-parallel engines joining `--data-parallel-address`
 * (docs/serving/data_parallel_deployment.md), or a Ray cluster (`ray start`, the bootstrap scripts of
 * vLLM's and LWS's multi-node examples, `--distributed-executor-backend ray`; vllm/detect.ts RAY_SCRIPTS).
 * Text only, no argv parsing: a marker anywhere in a pod's command, args or env values keeps the
 * whole JobSet one group (as a LeaderWorkerSet), so a launch we read wrongly stays as generous as before.
 */
import { RAY_SCRIPTS } from '../vllm/detect.js';
import { arrayAt, isObject } from '../util/json.js';
import type { JsonObject } from '../types.js';

/** Flags and commands that join pods into one engine, matched as text (`includes`, linear time). */
const MULTINODE_TEXT: readonly string[] = [
  '--nnodes', '--node-rank', '--headless', '--data-parallel-address', '--master-addr', 'ray start', '--distributed-executor-backend ray',
  '--distributed-executor-backend=ray', ...RAY_SCRIPTS,
];
/** vLLM's short forms of --nnodes and --node-rank (vllm/args-spellings.ts ALIASES), as whole argv items of a vLLM command. */
const SHORT_FLAGS: ReadonlySet<string> = new Set(['-n', '-r']);
/** Containers and strings read per pod: real pods have a handful; a bound keeps work linear in the input. */
const MAX_CONTAINERS = 64;
const MAX_STRINGS = 4096;

function stringsOf(container: JsonObject): string[] {
  const out: string[] = [];
  for (const field of ['command', 'args']) for (const item of arrayAt(container, field)) if (typeof item === 'string') out.push(item);
  for (const entry of arrayAt(container, 'env')) if (isObject(entry) && typeof entry.value === 'string') out.push(entry.value);
  return out.slice(0, MAX_STRINGS);
}

/** True when a container of the pod spec starts or joins a multi-node vLLM engine (see the file comment). */
export function launchesMultinode(spec: JsonObject): boolean {
  for (const list of ['containers', 'initContainers']) {
    for (const container of arrayAt(spec, list).slice(0, MAX_CONTAINERS)) {
      if (!isObject(container)) continue;
      const strings = stringsOf(container);
      const joined = strings.join(' ');
      if (MULTINODE_TEXT.some((marker) => joined.includes(marker))) return true;
      if (joined.includes('vllm') && strings.some((s) => SHORT_FLAGS.has(s))) return true;
    }
  }
  return false;
}
