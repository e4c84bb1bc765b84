/**
 * A TP × PP world spanning the pods of a group (LeaderWorkerSet, Ray) needs a multi-node backend:
 * `--distributed-executor-backend ray` or multiprocessing with `--nnodes`. Without either, vLLM's
 * ParallelConfig refuses a world larger than the local devices ("World size (N) is larger than the
 * number of available GPUs (M) in this node…", vllm/config/parallel.py, text as users report it from
 * recent releases). On CUDA (and ROCm) some releases pick Ray by themselves when Ray is installed (warn);
 * other accelerators do not (deny).
 */
import { result, type CheckResult } from '../verdict.js';
import type { CheckInputs } from './inputs.js';

/** multinode-backend: a TP × PP world larger than one pod of a group needs Ray or --nnodes. */
export function checkMultinode(inp: CheckInputs): CheckResult {
  const world = inp.tensorParallel * inp.pipelineParallel;
  const per = inp.devicesPerPod;
  const backend = inp.executorBackend?.toLowerCase() ?? null;
  const assumed = { world, devicesPerPod: per, groupSize: inp.groupSize, backend, nnodes: inp.nnodes, pods: per > 0 ? Math.ceil(world / per) : null };
  if (inp.groupSize <= 1) return result('ok', 'one pod: gpu-count-matches-parallelism judges its device count', { assumed });
  if (per <= 0) return result('unknown', 'the pod requests no accelerator devices the engine recognizes', { assumed });
  if (world <= per) return result('ok', `TP × PP = ${world} fits the ${per} devices of one pod`, { assumed });
  if (backend === 'ray' || (inp.nnodes !== null && inp.nnodes > 1)) return result('ok', `TP × PP = ${world} spans the group with ${backend === 'ray' ? 'the Ray backend' : `--nnodes ${inp.nnodes}`}`, { assumed });
  const vllmError = `World size (${world}) is larger than the number of available GPUs (${per}) in this node. If this is intentional and you are using: - ray, set '--distributed-executor-backend ray'. - multiprocessing, set '--nnodes' appropriately.`;
  // vLLM's ROCm platform shares the CUDA code paths; NPU, Gaudi and TPU platforms do not pick Ray.
  const cuda = inp.acceleratorResources.some((r) => r.startsWith('nvidia.com/') || r.startsWith('amd.com/'));
  const message = `TP × PP = ${world} spans ${Math.ceil(world / per)} pods of ${per} devices, but no multi-node backend is set${backend ? ` (--distributed-executor-backend ${backend})` : ''}`;
  const remediation = 'add --distributed-executor-backend ray, or the multi-node --nnodes flags';
  if (cuda && backend === null) {
    return result('warn', `${message}: on CUDA some vLLM releases switch to Ray by themselves, others stop at start`, { case: 'no-backend-cuda', remediation, vllmError, vllmSource: 'vllm/config/parallel.py ParallelConfig', assumed });
  }
  return result('deny', `${message}: vLLM looks for ${world} local devices and stops at start`, { case: 'no-backend', remediation, vllmError, vllmSource: 'vllm/config/parallel.py ParallelConfig', assumed });
}
