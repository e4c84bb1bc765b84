/**
 * A TP × PP world spanning the pods of a group (LeaderWorkerSet, Ray) needs a multi-node backend:
 * `--distributed-executor-backend ray` or multiprocessing with `--nnodes`. Without either, which
 * backend vLLM picks depends on the release and the platform (vllm/config.py, later
 * vllm/config/parallel.py, ParallelConfig.__post_init__): CUDA releases up to v0.11.x switch to Ray
 * when the world is larger than the local GPUs and Ray is installed, v0.12.0 and later stop with
 * "World size (N) is larger than the number of available GPUs (M) in this node…" (deny when the
 * image tag names such a release on NVIDIA devices); TPU picks Ray by itself
 * from v0.6.3 to v0.8.x (`ray_only_devices = ["tpu"]`, also "hpu" in v0.6.x), the XPU platform sets
 * Ray for a world above 1 (vllm/platforms/xpu.py v0.7.3–v0.12.0). So no backend is a warning on
 * every accelerator: the release the image runs decides, and a tag often names none (the LWS TPU
 * example runs vllm/vllm-tpu:latest). A backend that is set and cannot span pods (mp or uni
 * without --nnodes) stops at start on every release: deny.
 */
import { releaseSide } from '../release.js';
import { result, type CheckResult } from '../verdict.js';
import type { CheckInputs } from './inputs.js';

/** The first release whose CUDA path raises instead of picking Ray (vllm/config/parallel.py at v0.12.0). */
const CUDA_RAISES_FROM = [0, 12, 0] as const;

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
  const message = `TP × PP = ${world} spans ${Math.ceil(world / per)} pods of ${per} devices, but no multi-node backend is set${backend ? ` (--distributed-executor-backend ${backend})` : ''}`;
  const remediation = 'add --distributed-executor-backend ray, or the multi-node --nnodes flags';
  // A pre-release of v0.12.0 may come from either side of the change: not settled, so no deny for it.
  const side = inp.release === null ? null : releaseSide(inp.release, CUDA_RAISES_FROM);
  const cudaRaises = side === 'after' && inp.acceleratorResources.some((r) => r.startsWith('nvidia.com/'));
  if (backend === null && !cudaRaises) {
    // A CUDA release the tag names, below v0.12.0: it takes Ray when Ray is in the image (the project's own
    // vllm-openai images install it with requirements/cuda.txt), which the review does not read.
    const cudaRayRelease = inp.release !== null && side === 'before' && inp.acceleratorResources.some((r) => r.startsWith('nvidia.com/')) ? `v${inp.release.text}` : null;
    const picks = cudaRayRelease ? `vLLM ${cudaRayRelease} switches to Ray when Ray is installed, and stops at start otherwise` : 'some vLLM releases switch to Ray by themselves, others stop at start';
    return result('warn', `${message}: ${picks}`, {
      case: 'no-backend-default', remediation, vllmError, vllmSource: 'vllm/config/parallel.py ParallelConfig', assumed: { ...assumed, cudaRayRelease },
    });
  }
  return result('deny', `${message}: vLLM${cudaRaises && inp.release ? ` ${inp.release.text}` : ''} looks for ${world} local devices and stops at start`, { case: 'no-backend', remediation, vllmError, vllmSource: 'vllm/config/parallel.py ParallelConfig', assumed });
}
