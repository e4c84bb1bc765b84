/**
 * One fault, one finding: a rule may name policies that judge its fault more precisely
 * (`supersededBy`; dtype-explicit's and quantization-valid's "not a vLLM choice" defer to
 * vllm-args-valid, which checks the same argument against the option table of the image's vLLM
 * release and quotes vLLM's own error). Run after every finding of a review is decided, so the
 * comparison sees what the user sees: a superseding finding that the config softened, a waiver turned
 * to audit or the namespace's mode lowered leaves the other standing, and so does one about another
 * field. Without this, the first example a user runs (examples/bad/invalid-dtype-quantization.yaml)
 * denied each of its three bad values twice, with two different lists of choices.
 */
import type { Action, Finding } from '../types.js';

const ACTION_RANK: Readonly<Record<Action, number>> = { off: 0, audit: 1, warn: 2, deny: 3 };

/**
 * The findings without those a finding of a superseding policy covers: `supersededBy` maps a finding
 * to its rule's `supersededBy` ids (findings of rules without any are absent). A finding is covered
 * when another finding of one of those policies has the same `path` and an action at least as strong.
 * Order is kept; the input is not changed. Never throws.
 */
export function withoutSuperseded(findings: readonly Finding[], supersededBy: ReadonlyMap<Finding, readonly string[]>): Finding[] {
  return findings.filter((finding) => {
    const ids = supersededBy.get(finding);
    if (ids === undefined) return true;
    const rank = ACTION_RANK[finding.action];
    return !findings.some((other) => other !== finding && other.path === finding.path && ids.includes(other.policy) && ACTION_RANK[other.action] >= rank);
  });
}
