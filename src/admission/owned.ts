/**
 * Controller-made children: a request may skip its own review only when (1) the object's controlling
 * owner is a kind vllm-guard reviews, so its template was judged at the parent, and (2) the requesting
 * identity is the controller that really creates that child kind from that parent kind
 * (src/engine/knowledge/controllers.ts, with sources). Any other account, in kube-system or not, and a
 * hand-written ownerReference are reviewed like a user's object.
 * @module
 */
import { createsChild, groupOf, type ControllerIdentity } from '../engine/api.js';
import type { AdmissionRequest } from './review.js';

interface OwnerReference {
  apiVersion?: unknown;
  kind?: unknown;
  controller?: unknown;
}

/** The controlling ownerReference of the request's object, or undefined. */
function controllingOwner(object: unknown): { apiVersion: string; kind: string } | undefined {
  const owners = (object as { metadata?: { ownerReferences?: unknown } } | null)?.metadata?.ownerReferences;
  if (!Array.isArray(owners)) return undefined;
  for (const owner of owners as OwnerReference[]) {
    if (owner && owner.controller === true && typeof owner.kind === 'string' && typeof owner.apiVersion === 'string') {
      return { apiVersion: owner.apiVersion, kind: owner.kind };
    }
  }
  return undefined;
}

/**
 * True when a CREATE comes from the controller that makes this child from a reviewed parent.
 * `reviewedKinds` are the parent kinds the engine reads pod templates of (its kind table, without Pod);
 * `extra` are controller installs the config names. Returns the parent kind for the decision log.
 */
export function controllerMadeChild(
  request: AdmissionRequest,
  reviewedKinds: ReadonlySet<string>,
  extra: readonly ControllerIdentity[] = [],
): string | undefined {
  if (request.operation !== 'CREATE') return undefined;
  const owner = controllingOwner(request.object);
  if (!owner || !reviewedKinds.has(owner.kind)) return undefined;
  const parent = { group: groupOf(owner.apiVersion), kind: owner.kind };
  const child = { group: request.kind.group, kind: request.kind.kind };
  return createsChild(request.username, parent, child, extra) ? owner.kind : undefined;
}
