/**
 * The `detection` entry of one checked container for the JSON contract: its path, the role the engine
 * gave it, and the signals behind it (detection-signals.ts).
 */
import { mergeStringMapAt, stringAt } from '../util/json.js';
import type { ContainerDetection, Workload } from '../types.js';
import type { Target } from '../workload/select.js';
import { detectContainer } from './detection-signals.js';
import type { ImageLookups } from '../knowledge/image-lookups.js';

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Pure; linear in the container's argv and labels. `images` (the engine's) remembers image readings. */
export function describeDetection(workload: Workload, target: Target, images?: ImageLookups): ContainerDetection {
  const { container, template, classification } = target;
  const list = target.list ?? 'containers';
  const path = target.path ?? `${template.specPath}.${list}[${target.index}]`;
  const longRunning = list === 'containers' || (list === 'initContainers' && container.restartPolicy === 'Always');
  const argvTexts = [...(classification.command ?? []).map((t) => t.text), ...strings(container.command), ...strings(container.args)];
  const input = {
    image: stringAt(container, 'image') ?? '',
    classification,
    argvTexts,
    labels: mergeStringMapAt(workload.labels, template.metadata, 'labels'),
    longRunning,
    ...(images ? { matchImage: images.match } : {}),
    ...(target.completedBy ? { servingKind: `${workload.kind} (completed by ${target.completedBy})` } : {}),
  };
  const found = detectContainer(input);
  return { container: path, name: stringAt(container, 'name') ?? '', role: target.role, signals: found.signals, family: found.family };
}
