/**
 * PersistentVolumeClaims the pod mounts (`volumes[].persistentVolumeClaim.claimName`), looked up by
 * name. A claim whose access modes are all ReadWriteOnce or ReadWriteOncePod attaches to one node
 * (RWOP: one pod), so replicas scheduled on other nodes stay Pending with a Multi-Attach error
 * (kubernetes.io "Persistent Volumes", Access Modes). StatefulSet claim templates are per replica
 * and are not listed here.
 */
import { objectAt, stringAt } from '../util/json.js';
import { itemsAt, MAX_LISTED, nameOf, type RelatedContext } from './context.js';
import { relatedOfKind } from './related-set.js';

const SINGLE_NODE: ReadonlySet<string> = new Set(['ReadWriteOnce', 'ReadWriteOncePod']);

export interface VolumeClaimFact {
  name: string;
  /** The claim is in the related set. */
  found: boolean;
  /** spec.accessModes as written; [] when not found. */
  accessModes: string[];
  /** Every access mode is ReadWriteOnce or ReadWriteOncePod. */
  singleNode: boolean;
}

/**
 * One fact per claim name the pod's volumes mount (at most MAX_LISTED, first-mounted first): found in
 * the related set or not, its access modes, and singleNode (the rule above). [] when the pod mounts no
 * claim. Never throws.
 */
export function readVolumeClaims(ctx: RelatedContext): VolumeClaimFact[] {
  const names = new Set<string>();
  for (const volume of itemsAt(ctx.pod, 'volumes')) {
    const name = stringAt(objectAt(volume, 'persistentVolumeClaim'), 'claimName');
    if (name) names.add(name);
  }
  if (names.size === 0) return [];
  const claims = new Map(relatedOfKind(ctx.set, 'PersistentVolumeClaim', ctx.namespace).map((c) => [nameOf(c), c]));
  return [...names].slice(0, MAX_LISTED).map((name) => {
    const claim = claims.get(name);
    const accessModes = itemsAt(objectAt(claim, 'spec'), 'accessModes').filter((m): m is string => typeof m === 'string');
    return { name, found: claim !== undefined, accessModes, singleNode: accessModes.length > 0 && accessModes.every((m) => SINGLE_NODE.has(m)) };
  });
}
