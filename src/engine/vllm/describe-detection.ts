/**
 * The `detection` entry of one checked container for the JSON contract: its path, the role the engine
 * gave it, and the signals behind it (detection-signals.ts).
 */
import { stringAt } from '../util/json.js';
import type { ContainerDetection, JsonObject, Token, Workload } from '../types.js';
import type { Target } from '../workload/select.js';
import { detectContainer, platformLabelsOf, type DetectionInput } from './detection-signals.js';
import type { ImageLookups } from '../knowledge/image-lookups.js';
import type { ReadingFlags } from './argv-memo.js';

/** Appends the string items of `value` (a container's command or args) to `out`. */
function pushStrings(out: string[], value: unknown): void {
  if (!Array.isArray(value)) return;
  for (const v of value) if (typeof v === 'string') out.push(v);
}

/**
 * Whether the container's written `command` and `args` are, item for item, the first tokens of the
 * effective argv (the same strings: nothing expanded, no ENTRYPOINT before them, no script split),
 * as for most containers: their texts then repeat texts already in the list.
 */
function writtenLead(command: readonly Token[], container: JsonObject): boolean {
  let k = 0;
  for (const key of WRITTEN) {
    const list = container[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return false;
    for (const v of list) {
      if (typeof v !== 'string' || command[k]?.text !== v) return false;
      k++;
    }
  }
  return true;
}

const WRITTEN: readonly string[] = ['command', 'args'];

/**
 * Pure; linear in the container's argv and labels. `images` (the engine's) remembers image readings;
 * `flagsOf` with `reading` (the engine's argv reading of classification.command) its engine flags.
 */
export function describeDetection(workload: Workload, target: Target, images?: ImageLookups, flagsOf?: ReadingFlags, reading?: object): ContainerDetection {
  const { container, template, classification } = target;
  const list = target.list ?? 'containers';
  const path = target.path ?? `${template.specPath}.${list}[${target.index}]`;
  const longRunning = list === 'containers' || (list === 'initContainers' && container.restartPolicy === 'Always');
  // One list, filled in place: the effective argv's texts, then command and args as written.
  const argvTexts: string[] = [];
  if (classification.command) for (const token of classification.command) argvTexts.push(token.text);
  // The written texts repeat the effective argv's first ones for most containers: no engine flag among
  // them that the effective argv did not already give, at its first appearance (detection-signals.ts).
  const flagTexts = classification.command && writtenLead(classification.command, container) ? argvTexts.length : undefined;
  pushStrings(argvTexts, container.command);
  pushStrings(argvTexts, container.args);
  const input: DetectionInput = {
    image: stringAt(container, 'image') ?? '',
    classification,
    argvTexts,
    // Only the labels detection reads (platform labels), merged as the pod sees them.
    labels: platformLabelsOf(workload.labels, template.metadata),
    longRunning,
  };
  if (flagTexts !== undefined) {
    input.flagTexts = flagTexts;
    // The texts looked in are then the command's own: its reading stands for them.
    if (flagsOf && reading) input.flagsDetail = flagsOf(reading, argvTexts, flagTexts);
  }
  if (images) {
    input.matchImage = images.match;
    input.placeholder = images.placeholder;
  }
  if (target.completedBy) input.servingKind = `${workload.kind} (completed by ${target.completedBy})`;
  if (target.rayLlm) input.servingKind = `${workload.kind} Ray Serve LLM engine (serveConfigV2 ${target.rayLlm.at})`;
  const found = detectContainer(input);
  return { container: path, name: stringAt(container, 'name') ?? '', role: target.role, signals: found.signals, family: found.family };
}
