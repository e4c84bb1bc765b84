/**
 * vLLM servers that may serve no client: a pod that starts vLLM only to measure it. Whether such a pod
 * takes traffic (so needs a readiness probe, a Service, an API key, …) is then unknown, never a deny.
 * @module
 */
import type { UnknownFact } from '../types.js';
import type { FactsContext } from './build.js';
import { addUnknown } from './vllm.js';
import { stringAt } from '../util/json.js';

/** Kinds whose pods run to completion: a Job ends when its script ends, so it is rarely a Service's backend. */
const RUN_TO_COMPLETION: ReadonlySet<string> = new Set(['Job', 'CronJob', 'JobSet']);

/**
 * A bare Pod whose restartPolicy is Never or OnFailure also runs to completion: its containers are not
 * restarted after they exit successfully, and the Pod ends Succeeded (kubernetes.io/docs/concepts/workloads/
 * pods/pod-lifecycle/, "Container restart policy"). vllm-project/tpu-inference examples/offload/gke/
 * pod_tpu_commons_cpu_offload.yaml (b8692ff01fa1) runs vLLM offline that way, with vLLM's engine flags.
 */
function runsToCompletion(ctx: FactsContext): boolean {
  const kind = ctx.workload.kind;
  if (RUN_TO_COMPLETION.has(kind)) return true;
  const policy = stringAt(ctx.target.template.spec, 'restartPolicy');
  return kind === 'Pod' && (policy === 'Never' || policy === 'OnFailure');
}

const CLIENT_REASON =
  "the same script runs vLLM's client (vllm bench, chat or complete) after starting the server, so the server may only be that client's target on localhost";

/**
 * Makes `servesVllmApi` unknown (the rules about vLLM's HTTP API then say "could not be verified")
 * when the container's own script runs one of vLLM's clients after starting the server (`vllm serve …
 * &` then `vllm bench serve …`: a benchmark pod), or when a run-to-completion kind (Job, CronJob,
 * JobSet) on a vLLM image runs a script vllm-guard cannot read: such a Job may start vLLM only to
 * benchmark or tune it on localhost, as vllm-project/vllm benchmarks/auto_tune/auto_tune.sh does
 * (GoogleCloudPlatform/accelerated-platforms runs it as a Job). Never throws.
 */
export function addSelfBenchmarkUnknowns(ctx: FactsContext, unknowns: UnknownFact[]): void {
  const { classification } = ctx.target;
  if (classification.role !== 'server') return;
  if (classification.client) {
    addUnknown(unknowns, 'servesVllmApi', CLIENT_REASON, 'shell script');
    return;
  }
  const kind = ctx.workload.kind;
  // A native sidecar (an init container with restartPolicy Always) lives as long as the pod's main
  // containers and stops when they end (kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/):
  // in a pod that runs to completion, vLLM there serves those containers on localhost, as the offline
  // batch JobSet of GoogleCloudPlatform/accelerated-platforms (inference-ref-arch, 9320f3b2) does.
  if (ctx.target.list === 'initContainers' && stringAt(ctx.target.container, 'restartPolicy') === 'Always' && runsToCompletion(ctx)) {
    const reason = `vLLM runs as a sidecar container in ${kind === 'Pod' ? 'a Pod that runs to completion' : `the pods of a ${kind}`}: it stops when the pod's main containers end, and may serve only them, on localhost`;
    addUnknown(unknowns, 'servesVllmApi', reason, 'sidecar container');
    return;
  }
  const script = classification.argvSource === 'shell' || classification.argvSource === 'command';
  if (!classification.argvKnown && !classification.launch && script && runsToCompletion(ctx)) {
    const what = kind === 'Pod' ? `a Pod with restartPolicy ${stringAt(ctx.target.template.spec, 'restartPolicy') ?? ''}` : `a ${kind}`;
    const reason = `${what} runs to completion, and its script, which vllm-guard cannot read, may start vLLM only to benchmark or tune it on localhost, as vLLM's benchmarks/auto_tune/auto_tune.sh does, or run vLLM offline`;
    addUnknown(unknowns, 'servesVllmApi', reason, 'shell script');
  }
}
