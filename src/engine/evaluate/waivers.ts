/**
 * Waivers: platform-owned ones from the config, and owner annotations for waivable policies.
 * A waiver without a reason, expired, or on a policy that is not waivable is reported, never honored.
 */
import type { Finding, Policy, Waiver, Workload } from '../types.js';

export const WAIVE = 'vllm-guard.io/waive';
export const WAIVE_REASON = 'vllm-guard.io/waive-reason';
export const WAIVE_UNTIL = 'vllm-guard.io/waive-until';

export interface WaiverResult {
  waived?: NonNullable<Finding['waived']>;
  problem?: string;
}

/**
 * Shell-style glob (`*` any run, `?` one character) without a regular expression: the classic
 * two-pointer match that returns to the last `*` only, so it is O(pattern × value) at worst and
 * needs no cache. Names and namespaces are at most 253 characters.
 */
export function matchesGlob(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      resume = v;
    } else if (c !== undefined && (c === '?' || c === value[v])) {
      p++;
      v++;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A date (YYYY-MM-DD or full ISO time) is valid through the end of that day, UTC. */
function expiryProblem(expires: string | undefined, now: () => Date): string | undefined {
  if (expires === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(expires.trim());
  const end = Date.parse(dateOnly ? `${expires.trim()}T23:59:59.999Z` : expires);
  if (Number.isNaN(end)) return `its expiry "${expires.slice(0, 40)}" is not a date (use YYYY-MM-DD)`;
  if (end < now().getTime()) return `it expired on ${expires.slice(0, 40)}`;
  return undefined;
}

function judge(waiver: Waiver, policyId: string, now: () => Date): WaiverResult {
  const from = waiver.source === 'config' ? 'the config waiver' : `the ${WAIVE} annotation`;
  if (!waiver.reason || !waiver.reason.trim()) {
    const fix = waiver.source === 'config' ? 'add a reason' : `add ${WAIVE_REASON}`;
    return { problem: `${from} for ${policyId} is not applied: it has no reason (${fix})` };
  }
  const expiry = expiryProblem(waiver.expires, now);
  if (expiry) return { problem: `${from} for ${policyId} is not applied: ${expiry}` };
  return {
    waived: { reason: waiver.reason, source: waiver.source, ...(waiver.expires ? { until: waiver.expires } : {}) },
  };
}

function annotationWaiver(workload: Workload): Waiver | undefined {
  const list = workload.annotations[WAIVE];
  if (!list) return undefined;
  const reason = workload.annotations[WAIVE_REASON];
  const until = workload.annotations[WAIVE_UNTIL];
  return {
    policies: list.split(/[\s,]+/).filter(Boolean),
    namespaces: ['*'],
    names: ['*'],
    ...(reason !== undefined ? { reason } : {}),
    ...(until !== undefined ? { expires: until } : {}),
    source: 'annotation',
  };
}

/** The answer for a finding no waiver covers (most of them): one frozen object, not one per finding. */
const NOT_WAIVED: WaiverResult = Object.freeze({});

/** The config's waivers first (platform-owned), then the workload's annotation for waivable policies. `now` is read only to judge an expiry. */
export function findWaiver(policy: Policy, waivable: boolean, workload: Workload, waivers: readonly Waiver[], now: () => Date): WaiverResult {
  for (const waiver of waivers) {
    if (!waiver.policies.some((p) => p === policy.id || p === '*')) continue;
    if (!waiver.namespaces.some((n) => matchesGlob(n, workload.namespace))) continue;
    if (!waiver.names.some((n) => matchesGlob(n, workload.name))) continue;
    return judge(waiver, policy.id, now);
  }
  const annotation = annotationWaiver(workload);
  if (!annotation?.policies.includes(policy.id)) return NOT_WAIVED;
  if (!waivable) {
    return { problem: `${policy.id} cannot be waived by annotation; ask the platform team for a waiver in the vllm-guard config` };
  }
  return judge(annotation, policy.id, now);
}
