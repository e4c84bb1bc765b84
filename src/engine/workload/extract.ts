/**
 * Workload extraction: every pod spec an object will create, with its path.
 * Adding a kind is one entry in TEMPLATE_PATHS.
 */
import { isObject, objectAt, stringAt, stringMapAt, valueAtPath } from '../util/json.js';
import type { PodTemplate, Workload } from '../types.js';

interface TemplateEntry {
  /** Dotted path of the object holding metadata and spec; '' for a Pod itself. */
  path: string;
  role: PodTemplate['role'];
}

interface KindEntry {
  templates: TemplateEntry[];
  /** Dotted path of the group size, for kinds whose pods serve as one group. */
  groupSize?: string;
}

const CONTROLLER: KindEntry = { templates: [{ path: 'spec.template', role: 'pod' }] };

export const TEMPLATE_PATHS: Readonly<Record<string, KindEntry>> = {
  Pod: { templates: [{ path: '', role: 'pod' }] },
  Deployment: CONTROLLER,
  StatefulSet: CONTROLLER,
  ReplicaSet: CONTROLLER,
  DaemonSet: CONTROLLER,
  Job: CONTROLLER,
  ReplicationController: CONTROLLER,
  CronJob: { templates: [{ path: 'spec.jobTemplate.spec.template', role: 'pod' }] },
  LeaderWorkerSet: {
    templates: [
      // Without a leaderTemplate the leader runs the worker template, which is checked once below.
      { path: 'spec.leaderWorkerTemplate.leaderTemplate', role: 'leader' },
      { path: 'spec.leaderWorkerTemplate.workerTemplate', role: 'worker' },
    ],
    groupSize: 'spec.leaderWorkerTemplate.size',
  },
};

function readGroupSize(object: unknown, entry: KindEntry): number {
  if (!entry.groupSize) return 1;
  const size = valueAtPath(object, entry.groupSize);
  return typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : 1;
}

function readTemplate(object: unknown, entry: TemplateEntry, groupSize: number): PodTemplate | null {
  const holder = entry.path === '' ? object : valueAtPath(object, entry.path);
  if (!isObject(holder)) return null;
  const spec = objectAt(holder, 'spec');
  if (!spec) return null;
  const prefix = entry.path === '' ? '' : `${entry.path}.`;
  return {
    path: entry.path,
    specPath: `${prefix}spec`,
    metadata: objectAt(holder, 'metadata') ?? {},
    spec,
    role: entry.role,
    groupSize,
  };
}

/** Reads identity and pod templates; never throws on malformed input. */
export function extractWorkload(object: unknown): Workload {
  const metadata = objectAt(object, 'metadata');
  const kind = stringAt(object, 'kind') ?? '';
  const workload: Workload = {
    apiVersion: stringAt(object, 'apiVersion') ?? '',
    kind,
    name: stringAt(metadata, 'name') ?? stringAt(metadata, 'generateName') ?? '',
    namespace: stringAt(metadata, 'namespace') ?? '',
    labels: stringMapAt(metadata, 'labels'),
    annotations: stringMapAt(metadata, 'annotations'),
    templates: [],
  };
  if (!isObject(object)) {
    workload.skipped = 'the document is not an object';
    return workload;
  }
  if (!kind) {
    workload.skipped = 'the object has no kind';
    return workload;
  }
  const entry = Object.prototype.hasOwnProperty.call(TEMPLATE_PATHS, kind) ? TEMPLATE_PATHS[kind] : undefined;
  if (!entry) {
    workload.skipped = `kind ${kind} creates no pods that vllm-guard knows of`;
    return workload;
  }
  const groupSize = readGroupSize(object, entry);
  for (const templateEntry of entry.templates) {
    const template = readTemplate(object, templateEntry, groupSize);
    if (template) workload.templates.push(template);
  }
  if (workload.templates.length === 0) {
    const paths = entry.templates.map((t) => (t.path === '' ? 'spec' : `${t.path}.spec`)).join(' or ');
    workload.skipped = `${kind} has no pod spec at ${paths}`;
  }
  return workload;
}

