/** Which containers of a workload are checked, and in which role. */
import { buildEnvLookup } from '../command/argv.js';
import { classifyContainer, type Classification, type CompiledDetection } from '../vllm/detect.js';
import { arrayAt, isObject, mergeStringMapAt, stringAt } from '../util/json.js';
import type { EnvLookup } from '../command/shell.js';
import type { ContainerRole, JsonObject, PodTemplate, Workload } from '../types.js';

export interface Target {
  template: PodTemplate;
  container: JsonObject;
  index: number;
  role: ContainerRole;
  classification: Classification;
  /** The container's environment, built once for detection and reused for the vLLM arguments. */
  env: EnvLookup;
}

// Containers that conventionally hold the server when only a label says the pod is vLLM.
const SERVER_NAMES = ['vllm', 'main', 'kserve-container'];

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

interface Candidate {
  template: PodTemplate;
  container: JsonObject;
  index: number;
  classification: Classification;
  env: EnvLookup;
  labelled: boolean;
}

/**
 * Containers read per pod template. Real pods have a handful; thousands would hold the admission
 * request past its time budget. The review says when a template had more (index.ts).
 */
export const MAX_CONTAINERS = 64;

function classifyAll(workload: Workload, detection: CompiledDetection): Candidate[] {
  const out: Candidate[] = [];
  // Without a label selector (the default) no pod is labelled, so the labels are not merged.
  const hasSelector = Object.keys(detection.labels).length > 0;
  for (const template of workload.templates) {
    const labelled = hasSelector && labelsMatch(detection.labels, mergeStringMapAt(workload.labels, template.metadata, 'labels'));
    const containers = arrayAt(template.spec, 'containers');
    const count = Math.min(containers.length, MAX_CONTAINERS);
    for (let index = 0; index < count; index++) {
      const container = containers[index];
      if (!isObject(container)) continue;
      const env = buildEnvLookup(container);
      out.push({ template, container, index, classification: classifyContainer(container, detection, env), env, labelled });
    }
  }
  return out;
}

function labelledServer(candidates: Candidate[], template: PodTemplate): Candidate | undefined {
  const inTemplate = candidates.filter((c) => c.template === template);
  return inTemplate.find((c) => SERVER_NAMES.includes(stringAt(c.container, 'name') ?? '')) ?? inTemplate[0];
}

/** Servers and Ray workers of a vLLM group, label-selected servers, and with allPods every other container. */
export function selectTargets(workload: Workload, detection: CompiledDetection): Target[] {
  const candidates = classifyAll(workload, detection);
  const isVllmGroup = candidates.some(
    (c) => c.classification.role === 'server' || c.classification.detectedBy === 'image' || c.labelled,
  );
  const targets: Target[] = [];
  for (const c of candidates) {
    let role: ContainerRole | null = null;
    if (c.classification.role === 'server') role = c.classification.cpu ? 'generic' : 'server';
    else if (c.classification.role === 'ray-worker' && isVllmGroup) role = 'ray-worker';
    else if (c.labelled && !candidates.some((o) => o.template === c.template && o.classification.role) && labelledServer(candidates, c.template) === c) role = 'server';
    else if (detection.allPods) role = 'generic';
    if (role) targets.push({ template: c.template, container: c.container, index: c.index, role, classification: c.classification, env: c.env });
  }
  return targets;
}
