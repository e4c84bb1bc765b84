/**
 * The `workload.crdParallel` fact: the parallelism an LLMInferenceService's spec makes KServe's default
 * config pass to vLLM (workload/llmisvc-parallelism.ts), with the accelerators of that pod group, so
 * gpu-count-matches-parallelism can judge it while the config's command line itself stays unknown.
 */
import type { Workload, PodTemplate, UnknownFact } from '../types.js';
import { addUnknown } from './vllm.js';
import { podAccelerators } from './accelerator-facts.js';
import type { AcceleratorMatcher } from './resources.js';
import { LLMISVC_PARALLEL_SOURCE, type LlmisvcParallelism } from '../workload/llmisvc-parallelism.js';

/** The parallelism the controller's config passes (LlmisvcParallelism), with the group's accelerators. */
export interface CrdParallelFact extends LlmisvcParallelism {
  /** Accelerators of the group: its leader (or single) pod plus pods − 1 workers. */
  devices: number;
  source: string;
}

/**
 * The fact for one checked template, or null (not an LLMInferenceService, or `main` writes its own
 * command). When the parallelism cannot be known (baseRefs, placeholders, the user's own flags) the
 * fact is null and `workload.crdParallel` is added to `unknowns` with the reason.
 */
export function readCrdParallel(workload: Workload, template: PodTemplate, matcher: AcceleratorMatcher, unknowns: UnknownFact[]): CrdParallelFact | null {
  const read = template.llmisvcParallelism;
  if (!read) return null;
  if ('unknown' in read) {
    addUnknown(unknowns, 'workload.crdParallel', read.unknown, 'the LLMInferenceServiceConfig');
    return null;
  }
  const p = read.known;
  const prefill = template.servingRole === 'prefill' || template.servingRole === 'prefill-worker';
  const lead = workload.templates.find((t) => t.servingRole === (prefill ? 'prefill' : 'leader'));
  const worker = workload.templates.find((t) => t.servingRole === (prefill ? 'prefill-worker' : 'worker'));
  const perLead = lead ? podAccelerators(lead.spec, matcher) : 0;
  const perWorker = worker ? podAccelerators(worker.spec, matcher) : perLead;
  return { ...p, devices: perLead + perWorker * (p.pods - 1), source: LLMISVC_PARALLEL_SOURCE };
}
