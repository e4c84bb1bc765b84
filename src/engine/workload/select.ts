/** Which containers of a workload are checked, and in which role. */
import { buildEnvLookup } from '../command/argv.js';
import { classifyContainer, type Classification, type CompiledDetection } from '../vllm/detect.js';
import { mergeStringMapAt, stringAt } from '../util/json.js';
import type { EnvLookup } from '../command/shell.js';
import type { ContainerRole, JsonObject, PodTemplate, Workload } from '../types.js';
import { podContainers, type PodContainer } from './serving-extract.js';

export interface Target {
  template: PodTemplate;
  container: JsonObject;
  index: number;
  /** The list the container sits in; paths name it (`…initContainers[0]`). Absent means `containers`. */
  list?: PodContainer['list'];
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
  list: PodContainer['list'];
  /** containers and native sidecars; ordinary init and ephemeral containers are not. */
  longRunning: boolean;
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
    // containers, initContainers and ephemeralContainers, each list capped at MAX_CONTAINERS.
    for (const { container, index, list, longRunning } of podContainers(template.spec, template.specPath, MAX_CONTAINERS)) {
      const env = buildEnvLookup(container);
      out.push({ template, container, index, list, longRunning, classification: classifyContainer(container, detection, env), env, labelled });
    }
  }
  return out;
}

function labelledServer(candidates: Candidate[], template: PodTemplate): Candidate | undefined {
  const inTemplate = candidates.filter((c) => c.template === template && c.longRunning);
  return inTemplate.find((c) => SERVER_NAMES.includes(stringAt(c.container, 'name') ?? '')) ?? inTemplate[0];
}

/**
 * Servers and Ray workers of a vLLM group, label-selected servers, and with allPods every other
 * container. A native sidecar (an init container with restartPolicy Always) runs for the pod's life
 * and may be the server; an ordinary init container or an ephemeral container of a vLLM pod gets the
 * generic rules (image, secrets, security), as every container does with allPods.
 */
export function selectTargets(workload: Workload, detection: CompiledDetection): Target[] {
  const candidates = classifyAll(workload, detection);
  const isVllmGroup = candidates.some(
    (c) => c.longRunning && (c.classification.role === 'server' || c.classification.detectedBy === 'image' || c.labelled),
  );
  const targets: Target[] = [];
  for (const c of candidates) {
    let role: ContainerRole | null = null;
    if (!c.longRunning) role = isVllmGroup || detection.allPods ? 'generic' : null;
    else if (c.classification.role === 'server') role = c.classification.cpu ? 'generic' : 'server';
    else if (c.classification.role === 'ray-worker' && isVllmGroup) role = 'ray-worker';
    else if (c.labelled && !candidates.some((o) => o.template === c.template && o.longRunning && o.classification.role) && labelledServer(candidates, c.template) === c) role = 'server';
    else if (detection.allPods) role = 'generic';
    if (role) targets.push({ template: c.template, container: c.container, index: c.index, list: c.list, role, classification: c.classification, env: c.env });
  }
  return targets;
}
