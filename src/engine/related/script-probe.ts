/**
 * Whether a workload starts a container from a script on a ConfigMap volume
 * (command/script-files.ts): its commands, and so whether it is vLLM at all, are known only with
 * the ConfigMap. The audit reviews a workload with its namespace's related set only when a review
 * without it finds vLLM (audit/visit.ts); a generic image (`python:3.11`) that runs `vllm serve`
 * from such a script gives no vLLM signal without the ConfigMap, so it needs this second question.
 * @module
 */
import type { Engine } from '../engine.js';
import type { JsonObject } from '../types.js';
import { effectiveArgv } from '../command/argv.js';
import { buildEnvLookup } from '../command/container-env.js';
import { extractWorkload } from '../workload/extract.js';
import { MAX_CONTAINERS } from '../workload/select.js';
import { arrayAt, isObject } from '../util/json.js';
import { mountedConfigMapKey } from './mounted-files.js';

const LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/**
 * True when a container of `object`'s pod templates runs (as its command, inside `sh -c`, behind
 * `exec`/`env`/`tini`) or sources (`. /config/vars`, command/sourced-files.ts) a script file that a
 * volume mounts from a ConfigMap, a projected one's included. Reads no ConfigMap:
 * each such path answers "unknown" to the command reader, so the work is one argv reading per
 * container (at most MAX_CONTAINERS per list). Never throws.
 */
export function runsConfigMapScript(engine: Engine, object: unknown): boolean {
  for (const template of extractWorkload(object).templates) {
    for (const list of LISTS) {
      const containers = arrayAt(template.spec, list).slice(0, MAX_CONTAINERS);
      for (const container of containers) {
        if (!isObject(container) || arrayAt(container, 'volumeMounts').length === 0) continue;
        if (readsConfigMapFile(engine, container, template.spec)) return true;
      }
    }
  }
  return false;
}

function readsConfigMapFile(engine: Engine, container: JsonObject, pod: JsonObject): boolean {
  let found = false;
  effectiveArgv(container, engine.detection.entrypoints, buildEnvLookup(container), (path) => {
    const mounted = mountedConfigMapKey(path, container, pod);
    // A projected volume whose ConfigMap source may hold it counts: the ConfigMap decides.
    const fromConfigMap = 'name' in mounted || mounted.mayBeConfigMap === true;
    if (fromConfigMap) found = true;
    return fromConfigMap ? { unknown: '' } : null;
  });
  return found;
}
